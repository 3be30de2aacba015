// A film's exposed inputs (docs/architecture.md §3): what each one is (its type, value, default and
// allowed values, all read from the node registry) and how a run's values are put into the graph.
// Pure, so the CLI, a batch run and the editor's form read one definition.
import type { z } from 'zod';
import { nodeKind } from '../nodes';
import type { Problem } from '../problems';
import { quoted } from '../validate/quoted';
import { GRAPH_VERSION, type FilmInputDecl, type Graph, type GraphNode } from './schema';
import {
  filmSequences,
  isLibraryRef,
  MAX_SEQUENCE_DEPTH,
  rebaseNode,
  rebasePath,
  SEQUENCE_KIND,
  sequenceDefSchema,
  type SequenceLibrary,
} from './sequence';

/** Library files read by the caller (the engine reads them; without them, library values are unknown). */
const NO_LIBRARY: SequenceLibrary = new Map();

export type FilmInputType = 'text' | 'number' | 'boolean' | 'choice' | 'image' | 'video' | 'audio';
export type InputValue = string | number | boolean;

export interface FilmInput {
  name: string;
  description?: string;
  node: string;
  /** The node's label, when it has one, for a form or a table. */
  nodeLabel?: string;
  field: string;
  type: FilmInputType;
  /** What renders when the run does not set this input: the node's own value. */
  value?: InputValue;
  /** What a form resets to: the declared default, else the node's value. */
  default?: InputValue;
  /** The only values a `choice` takes, in the registry's order. */
  allowed?: InputValue[];
  min?: number;
  max?: number;
  integer?: boolean;
}

/** Media slots by node kind: the field holding the file, and what kind of file it takes. */
const MEDIA_SLOTS: Record<string, Record<string, 'image' | 'video' | 'audio'>> = {
  image: { file: 'image' },
  video: { file: 'video' },
  audio: { file: 'audio' },
  final_cut: { 'music.file': 'audio' },
};

/** A choice with more values than this is offered as a number instead. */
const MAX_CHOICES = 64;

type FieldShape =
  | { ok: true; type: FilmInputType; allowed?: InputValue[]; min?: number; max?: number; integer?: boolean }
  | { ok: false; message: string };

interface Def {
  type: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  in?: z.ZodType;
}
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;

/** The schema of a (possibly dotted) field of a node kind, or undefined when there is none. */
function fieldSchema(kind: string, field: string): z.ZodType | undefined {
  const def = nodeKind(kind);
  if (!def) return undefined;
  let schema: z.ZodType | undefined = def.params;
  for (const part of field.split('.')) {
    schema = schema && unwrap(schema);
    if (!schema || defOf(schema).type !== 'object') return undefined;
    const shape: Record<string, z.ZodType> = (schema as unknown as { shape: Record<string, z.ZodType> })
      .shape;
    schema = Object.prototype.hasOwnProperty.call(shape, part) ? shape[part] : undefined;
  }
  return schema;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const d = defOf(s);
    if ((d.type === 'default' || d.type === 'optional' || d.type === 'nullable') && d.innerType)
      s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else break;
  }
  return s;
}

/** What kind of value a field takes, from its schema; objects and lists cannot be one input. */
function shapeOf(kind: string, field: string): FieldShape {
  const media = MEDIA_SLOTS[kind]?.[field];
  if (media) return { ok: true, type: media };
  const leaf = field.split('.').pop()!;
  if (leaf === 'sha256') {
    return { ok: false, message: 'the sha256 is recorded with the file; expose the file instead' };
  }
  const schema = fieldSchema(kind, field);
  if (!schema) {
    const known = nodeKind(kind) ? Object.keys(nodeKind(kind)!.params.shape).join(', ') : '';
    return {
      ok: false,
      message: nodeKind(kind)
        ? `a ${kind} node has no field "${field}"; its fields are ${known}`
        : `node kind "${kind}" is unknown, so none of its fields can be an input`,
    };
  }
  return (
    scalarShape(unwrap(schema)) ?? {
      ok: false,
      message: `"${field}" is not a single value, so it cannot be an input`,
    }
  );
}

function scalarShape(schema: z.ZodType): FieldShape | undefined {
  const d = defOf(schema);
  if (d.type === 'string') return { ok: true, type: 'text' };
  if (d.type === 'boolean') return { ok: true, type: 'boolean' };
  if (d.type === 'number') {
    const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
    return {
      ok: true,
      type: 'number',
      ...(Number.isFinite(n.minValue) ? { min: n.minValue! } : {}),
      ...(Number.isFinite(n.maxValue) ? { max: n.maxValue! } : {}),
      ...(n.isInt ? { integer: true } : {}),
    };
  }
  if (d.type === 'enum')
    return { ok: true, type: 'choice', allowed: [...(schema as unknown as { options: string[] }).options] };
  if (d.type === 'literal') return { ok: true, type: 'choice', allowed: (d.values ?? []) as InputValue[] };
  if (d.type === 'union' && d.options) {
    // A union of literals and small whole-number ranges (a shot's duration: "auto" or 4–15) is a choice.
    const allowed: InputValue[] = [];
    for (const option of d.options) {
      const part = scalarShape(unwrap(option));
      if (part?.ok && part.type === 'choice') allowed.push(...part.allowed!);
      else if (
        part?.ok &&
        part.type === 'number' &&
        part.integer &&
        part.min !== undefined &&
        part.max !== undefined &&
        part.max - part.min < MAX_CHOICES
      ) {
        for (let v = part.min; v <= part.max; v++) allowed.push(v);
      } else return undefined;
    }
    return allowed.length <= MAX_CHOICES ? { ok: true, type: 'choice', allowed } : undefined;
  }
  return undefined;
}

function getPath(params: Record<string, unknown>, field: string): unknown {
  let v: unknown = params;
  for (const part of field.split('.')) {
    if (!v || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A copy of params with field set; a new media file drops the hash recorded for the old one. */
function setPath(params: Record<string, unknown>, field: string, value: InputValue, media: boolean) {
  const parts = field.split('.');
  const root: Record<string, unknown> = { ...params };
  let at = root;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    at[part] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
    at = at[part] as Record<string, unknown>;
  }
  const leaf = parts[parts.length - 1]!;
  if (media && at[leaf] !== value) delete at.sha256;
  at[leaf] = value;
  return root;
}

/** The node's params with every default filled in, as a run reads them. */
function effectiveParams(node: GraphNode): Record<string, unknown> {
  const parsed = nodeKind(node.type)?.params.safeParse(node.params);
  return parsed?.success ? (parsed.data as Record<string, unknown>) : (node.params ?? {});
}

const isScalar = (v: unknown): v is InputValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** What an input's field is, as a run reads it: a node kind, a field of it and its params. */
interface Target {
  kind: string;
  field: string;
  params: Record<string, unknown>;
}

/**
 * An input on a sequence instance names one of its values (`values.NAME`): it takes what the inner
 * field that value reaches takes (docs/architecture.md §3.1), through nested instances. A library
 * file's definition comes from `library` (what the engine read); paths inside it are the file's own.
 */
function targetOf(
  graph: Graph,
  node: GraphNode,
  field: string,
  library: SequenceLibrary = NO_LIBRARY,
  depth = 0,
  from?: string,
): Target | { message: string } {
  if (node.type !== SEQUENCE_KIND) return { kind: node.type, field, params: effectiveParams(node) };
  // Inside a definition, an input on a nested instance may name the value bare (sequence.ts valueName).
  const name = /^values\.(.+)$/.exec(field)?.[1] ?? (depth > 0 ? field : undefined);
  if (!name) return { message: `a sequence node's inputs are its values: "values.NAME"` };
  if (depth >= MAX_SEQUENCE_DEPTH) return { message: `sequences are nested too deep` };
  const ref = String(node.params.sequence);
  let raw: unknown;
  let file: string | undefined;
  if (isLibraryRef(ref)) {
    // A library file's definition, as the engine read it (its paths relative to the file).
    file = from ? rebasePath(from, ref) : ref;
    const entry = library.get(file);
    if (!entry?.ok) return { message: `its sequence file ${quoted(file)} was not read` };
    raw = entry.value;
  } else raw = filmSequences(graph).find((d) => (d as { id?: unknown })?.id === ref);
  const def = raw === undefined ? undefined : sequenceDefSchema.safeParse(raw);
  if (!def?.success) return { message: `its sequence ${quoted(ref)} is not a sequence this film has` };
  const input = def.data.inputs.find((i) => i.name === name && i.field !== undefined);
  const found = input && def.data.nodes.find((n) => n.id === input.node);
  if (!input || !found) return { message: `its sequence has no value input ${quoted(name)}` };
  const inner = file ? rebaseNode(file, found) : found;
  const target = targetOf(graph, inner, input.field!, library, depth + 1, file ?? from);
  if ('message' in target) return target;
  // What this instance sets replaces the inner node's own value.
  const own = (node.params.values as Record<string, unknown> | undefined)?.[name];
  return own === undefined
    ? target
    : { ...target, params: setPath(target.params, target.field, own as InputValue, false) };
}

const shapeAt = (t: Target | { message: string }): FieldShape =>
  'message' in t ? { ok: false, message: t.message } : shapeOf(t.kind, t.field);

/** Every input of the film with what a form or a table needs to show it. Broken declarations are
 *  left out here and reported by `inputProblems`. */
export function listInputs(graph: Graph, library: SequenceLibrary = NO_LIBRARY): FilmInput[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: FilmInput[] = [];
  for (const decl of graph.inputs ?? []) {
    const node = byId.get(decl.node);
    if (!node) continue;
    const target = targetOf(graph, node, decl.field, library);
    const shape = shapeAt(target);
    if (!shape.ok || 'message' in target) continue;
    const value = getPath(target.params, target.field);
    const def = decl.default ?? (isScalar(value) ? value : undefined);
    const { ok: _ok, ...rest } = shape;
    out.push({
      name: decl.name,
      ...(decl.description ? { description: decl.description } : {}),
      node: node.id,
      ...(node.label ? { nodeLabel: node.label } : {}),
      field: decl.field,
      ...rest,
      ...(isScalar(value) ? { value } : {}),
      ...(def !== undefined ? { default: def } : {}),
    });
  }
  return out;
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  '1': true,
  false: false,
  no: false,
  off: false,
  '0': false,
};

/** A typed value from what the user wrote, or why it is not one. */
function convert(input: FilmInput, text: string): { value: InputValue } | { message: string } {
  switch (input.type) {
    case 'number': {
      const n = /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : NaN;
      const what = input.integer ? 'a whole number' : 'a number';
      const range =
        input.min !== undefined && input.max !== undefined ? ` from ${input.min} to ${input.max}` : '';
      if (!Number.isFinite(n)) return { message: `must be ${what}${range}, not ${quoted(text)}` };
      if (
        (input.integer && !Number.isInteger(n)) ||
        (input.min ?? -Infinity) > n ||
        n > (input.max ?? Infinity)
      )
        return { message: `must be ${what}${range}, not ${quoted(text)}` };
      return { value: n };
    }
    case 'boolean': {
      const b = BOOLEAN_WORDS[text.trim().toLowerCase()];
      return b === undefined ? { message: `must be true or false, not ${quoted(text)}` } : { value: b };
    }
    case 'choice': {
      const hit = input.allowed!.find((a) => String(a) === text.trim());
      return hit === undefined
        ? { message: `must be one of ${describeAllowed(input.allowed!)}, not ${quoted(text)}` }
        : { value: hit };
    }
    case 'image':
    case 'video':
    case 'audio':
      if (!text.trim()) return { message: `must name a ${input.type} file` };
      return { value: text };
    default:
      return { value: text };
  }
}

/** Allowed values in a few words, runs of whole numbers joined: "auto, 4–15". */
export function describeAllowed(allowed: readonly InputValue[]): string {
  const parts: string[] = [];
  for (let i = 0; i < allowed.length; i++) {
    const start = allowed[i]!;
    let j = i;
    while (typeof allowed[j] === 'number' && allowed[j + 1] === (allowed[j] as number) + 1) j++;
    parts.push(j - i >= 2 ? `${String(start)}–${String(allowed[j])}` : String(start));
    if (j - i === 1) parts.push(String(allowed[j]));
    i = j;
  }
  return parts.join(', ');
}

export interface AppliedInputs {
  graph: Graph;
  problems: Problem[];
}

/**
 * The graph with these inputs set (values as a user writes them: `--set`, a CSV cell, a form field;
 * media as paths relative to the graph file or https URLs). Each value is checked as the node's param
 * would be; a problem names the input, its node and its field. Unset inputs keep the node's value.
 */
export function applyInputs(
  graph: Graph,
  values: Record<string, string>,
  library: SequenceLibrary = NO_LIBRARY,
): AppliedInputs {
  const problems: Problem[] = [...inputProblems(graph, library)];
  const inputs = new Map(listInputs(graph, library).map((i) => [i.name, i]));
  const declared = (graph.inputs ?? []).map((d) => d.name);
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const [name, text] of Object.entries(values)) {
    const input = inputs.get(name);
    if (!input) {
      // A broken declaration is already reported by inputProblems.
      if (declared.includes(name)) continue;
      problems.push({
        code: 'input.unknown',
        field: 'inputs',
        message: `no input named ${quoted(name)}; ${
          declared.length ? `this film's inputs are ${declared.join(', ')}` : 'this film has no inputs'
        }`,
      });
      continue;
    }
    const where = { nodeId: input.node, field: input.field };
    const converted = convert(input, String(text));
    if ('message' in converted) {
      problems.push({ code: 'input.value', ...where, message: `input "${name}": ${converted.message}` });
      continue;
    }
    const node = nodes.get(input.node)!;
    const params = setPath(node.params ?? {}, input.field, converted.value, isMedia(input));
    // A sequence's value is checked where it lands: the inner node's own field.
    const target = targetOf(graph, node, input.field, library) as Target;
    const checked = setPath(target.params, target.field, converted.value, isMedia(input));
    const parsed = nodeKind(target.kind)!.params.safeParse(node.type === SEQUENCE_KIND ? checked : params);
    const issues = parsed.success
      ? []
      : parsed.error.issues.filter((i) => within(i.path.map(String).join('.'), target.field));
    if (issues.length) {
      for (const issue of issues)
        problems.push({ code: 'input.value', ...where, message: `input "${name}": ${issue.message}` });
      continue;
    }
    nodes.set(node.id, { ...node, params });
  }
  return { graph: { ...graph, nodes: graph.nodes.map((n) => nodes.get(n.id) ?? n) }, problems };
}

/** Whether a problem's field is the input's field, inside it, or holds it. */
const within = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

const isMedia = (i: FilmInput) => i.type === 'image' || i.type === 'video' || i.type === 'audio';

/** Problems of the declarations themselves: each names the input, its node and its field. */
export function inputProblems(graph: Graph, library: SequenceLibrary = NO_LIBRARY): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const slots = new Map<string, string>();
  for (const decl of graph.inputs ?? []) {
    const where = { nodeId: decl.node, field: decl.field };
    const say = (code: string, message: string) =>
      problems.push({ code, ...where, message: `input "${decl.name}": ${message}` });
    if (seen.has(decl.name)) say('input.duplicate', 'two inputs share this name; names must be unique');
    seen.add(decl.name);
    const node = byId.get(decl.node);
    if (!node) {
      say('input.node', `no node "${decl.node}" in this film`);
      continue;
    }
    const shape = shapeAt(targetOf(graph, node, decl.field, library));
    if (!shape.ok) {
      say('input.field', shape.message);
      continue;
    }
    const slot = `${decl.node}\0${decl.field}`;
    if (slots.has(slot)) say('input.duplicate', `input "${slots.get(slot)}" already sets this field`);
    slots.set(slot, decl.name);
    if (decl.default !== undefined) problems.push(...defaultProblems(decl, node, graph, library));
  }
  return problems;
}

function defaultProblems(
  decl: FilmInputDecl,
  node: GraphNode,
  film: Graph,
  library: SequenceLibrary,
): Problem[] {
  const trial = applyOne(decl, node, String(decl.default), film, library);
  return trial.map((p) => ({
    ...p,
    code: 'input.default',
    message: p.message.replace(/^input "[^"]*": /, `input "${decl.name}": its default `),
  }));
}

/** Checks one value against one declaration (used for its default). */
function applyOne(
  decl: FilmInputDecl,
  node: GraphNode,
  text: string,
  film: Graph,
  library: SequenceLibrary,
): Problem[] {
  const g: Graph = {
    format: 'shotgraph',
    version: GRAPH_VERSION,
    name: '',
    nodes: [node],
    edges: [],
    inputs: [{ ...decl, default: undefined }],
    ...(film.sequences ? { sequences: film.sequences } : {}),
  };
  return applyInputs(g, { [decl.name]: text }, library).problems;
}

/**
 * Problems a run reported about fields that inputs set, with the input named: a missing media file
 * set by `--set photo=…` reads `… (input "photo")`.
 */
export function nameInputsInProblems(graph: Graph, problems: Problem[], names: Iterable<string>): Problem[] {
  const wanted = new Set(names);
  const decls = (graph.inputs ?? []).filter((d) => wanted.has(d.name));
  return problems.map((p) => {
    const d = decls.find((x) => x.node === p.nodeId && p.field !== undefined && within(p.field, x.field));
    return d && !p.message.includes(`input "${d.name}"`)
      ? { ...p, message: `${p.message} (input "${d.name}")` }
      : p;
  });
}
