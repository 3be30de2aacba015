// Sequences (docs/architecture.md §3.1): a group of nodes saved as one reusable piece, kept in the film
// (`sequences`) or in a `*.sequence.json` library file inside the project. The engine never runs a
// sequence node: it flattens every instance into plain nodes first, so validation, keys, estimates and
// runs see an ordinary graph. Inner nodes keep their params and wiring, and a key depends on content
// upstream, never on ids (node-keys.ts), so a shot keeps its cache key when it moves into a sequence.
import { z } from 'zod';
import { inputPort, outputPort, type PortDef } from '../nodes';
import type { Problem } from '../problems';
import { isRemoteUrl } from '../validate/media-path';
import {
  graphEdgeSchema,
  graphNodeSchema,
  nodeIdSchema,
  type Graph,
  type GraphEdge,
  type GraphNode,
} from './schema';

export const SEQUENCE_KIND = 'sequence';
/** A reference ending so names a library file (relative to the graph file); anything else is an id. */
export const LIBRARY_SUFFIX = '.sequence.json';
/** Sequences inside sequences, at most this deep: a hostile file cannot recurse for ever. */
export const MAX_SEQUENCE_DEPTH = 8;
/** The flattened film may hold at most this many nodes, like any graph (schema.ts). */
export const MAX_FLAT_NODES = 5000;
/** Separates an instance's id from its inner node's id; never part of an ordinary id. */
export const SEQUENCE_SEP = '/';

const portName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "_", "-" or "."');

export const sequenceInputSchema = z
  .looseObject({
    name: portName,
    node: nodeIdSchema,
    /** A wire into this port of the inner node. */
    port: z.string().min(1).optional(),
    /** Or a value for this param of the inner node, set per instance in `values`. */
    field: z.string().min(1).optional(),
  })
  .refine((i) => (i.port === undefined) !== (i.field === undefined), {
    message: 'an input names either a "port" (a wire) or a "field" (a value), not both or neither',
  });
export type SequenceInput = z.infer<typeof sequenceInputSchema>;

export const sequenceOutputSchema = z.looseObject({
  name: portName,
  node: nodeIdSchema,
  port: z.string().min(1),
});
export type SequenceOutput = z.infer<typeof sequenceOutputSchema>;

export const sequenceDefSchema = z.looseObject({
  id: nodeIdSchema,
  name: z.string().max(200).default('Sequence'),
  nodes: z.array(graphNodeSchema).max(MAX_FLAT_NODES),
  edges: z.array(graphEdgeSchema).max(20000).default([]),
  inputs: z.array(sequenceInputSchema).max(200).default([]),
  outputs: z.array(sequenceOutputSchema).max(200).default([]),
});
export type SequenceDef = z.infer<typeof sequenceDefSchema>;

export const sequenceParams = z.object({
  /** The id of a sequence in this film, or a library file path ending in `.sequence.json`. */
  sequence: z.string().min(1, 'choose a sequence'),
  /** Values of the definition's field inputs, by input name. */
  values: z.record(z.string(), z.unknown()).default({}),
});

/** What the engine read for one library path: the file's JSON, or why it could not be read. */
export type LibraryEntry = { ok: true; value: unknown } | { ok: false; message: string };
export type SequenceLibrary = ReadonlyMap<string, LibraryEntry>;

export interface FlattenOptions {
  /**
   * Leave instances of library files missing from `library` as they are, wires included, instead of a
   * problem: the editor's live check has no files, the engine reads them all before it flattens.
   */
  keepUnread?: boolean;
}

export interface FlattenResult {
  graph: Graph;
  problems: Problem[];
}

export function isLibraryRef(ref: string): boolean {
  return ref.endsWith(LIBRARY_SUFFIX);
}

export function hasSequences(graph: Graph): boolean {
  return graph.nodes.some((n) => n.type === SEQUENCE_KIND);
}

/** The film's own definitions, as written (validated when used). */
export function filmSequences(graph: Graph): unknown[] {
  const list = (graph as { sequences?: unknown }).sequences;
  return Array.isArray(list) ? list : [];
}

/**
 * A path written inside a library file, made relative to the graph file: library files name their
 * media and other library files relative to themselves, so a library can be shared between films.
 */
export function rebasePath(libraryPath: string, file: string): string {
  if (isRemoteUrl(file)) return file;
  const f = file.replace(/\\/g, '/');
  if (f.startsWith('/') || /^[a-z]:/i.test(f)) return file; // refused later by the path rules
  const dir = libraryPath.replace(/\\/g, '/').split('/').slice(0, -1);
  const parts: string[] = [...dir];
  for (const part of f.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** Library paths referenced by these nodes (as the graph file sees them). */
export function libraryRefs(nodes: readonly GraphNode[], from?: string): string[] {
  const refs: string[] = [];
  for (const n of nodes) {
    const ref = n.type === SEQUENCE_KIND ? n.params.sequence : undefined;
    if (typeof ref === 'string' && isLibraryRef(ref)) refs.push(from ? rebasePath(from, ref) : ref);
  }
  return refs;
}

/** Library paths named anywhere in the film: its nodes and its own definitions' nodes. */
export function filmLibraryRefs(graph: Graph): string[] {
  const refs = libraryRefs(graph.nodes);
  for (const def of filmSequences(graph)) {
    const nodes = (def as { nodes?: unknown })?.nodes;
    if (Array.isArray(nodes)) refs.push(...libraryRefs(nodes.filter(isNodeLike)));
  }
  return [...new Set(refs)];
}

/** Library paths a library file's definition names, relative to the graph file. */
export function libraryEntryRefs(libraryPath: string, value: unknown): string[] {
  const nodes = (value as { nodes?: unknown })?.nodes;
  return Array.isArray(nodes) ? libraryRefs(nodes.filter(isNodeLike), libraryPath) : [];
}

function isNodeLike(n: unknown): n is GraphNode {
  return (
    !!n && typeof n === 'object' && typeof (n as GraphNode).type === 'string' && !!(n as GraphNode).params
  );
}

class Flattener {
  problems: Problem[] = [];
  count = 0;
  private defs = new Map<string, unknown>();
  private parsed = new Map<string, SequenceDef>();

  constructor(
    graph: Graph,
    private library: SequenceLibrary,
    private keepUnread = false,
  ) {
    for (const d of filmSequences(graph)) {
      const id = (d as { id?: unknown })?.id;
      if (typeof id === 'string' && !this.defs.has(id)) this.defs.set(id, d);
    }
  }

  problem(nodeId: string, field: string, message: string, code = 'sequence.invalid'): void {
    if (this.problems.length < 200) this.problems.push({ code, nodeId, field, message });
  }

  /** A definition by reference, with library paths inside it rebased; undefined after a problem. */
  resolve(
    instance: GraphNode,
    ref: string,
    from: string | undefined,
  ): { key: string; def: SequenceDef } | undefined {
    let raw: unknown;
    let key: string;
    let libPath: string | undefined;
    if (isLibraryRef(ref)) {
      key = libPath = from ? rebasePath(from, ref) : ref;
      const entry = this.library.get(libPath);
      if (!entry) {
        this.problem(
          instance.id,
          'sequence',
          `the sequence file "${libPath}" was not read`,
          'sequence.missing',
        );
        return undefined;
      }
      if (!entry.ok) {
        this.problem(instance.id, 'sequence', entry.message, 'sequence.missing');
        return undefined;
      }
      raw = entry.value;
    } else {
      key = `#${ref}`;
      raw = this.defs.get(ref);
      if (raw === undefined) {
        const known = [...this.defs.keys()].slice(0, 20);
        this.problem(
          instance.id,
          'sequence',
          `there is no sequence "${ref}" in this film${known.length ? `; its sequences are ${known.join(', ')}` : ''}`,
          'sequence.missing',
        );
        return undefined;
      }
    }
    // Parsed once per definition: a film may hold thousands of instances of one sequence.
    const cached = this.parsed.get(key);
    if (cached) return { key, def: cached };
    const parsed = sequenceDefSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 10)) {
        const where = issue.path.map(String).join('.');
        this.problem(
          instance.id,
          'sequence',
          `sequence "${ref}"${where ? `, ${where}` : ''}: ${issue.message}`,
        );
      }
      return undefined;
    }
    const def = parsed.data;
    if (libPath) {
      // Media and nested library files are named relative to the library file.
      def.nodes = def.nodes.map((n) => rebaseNode(libPath, n));
    }
    this.parsed.set(key, def);
    return { key, def };
  }

  /**
   * Flattens one level: `nodes`/`edges` as written at this level, ids relative to it. Returns plain
   * nodes and edges, and where each instance's inputs and outputs now lead.
   */
  level(
    nodes: readonly GraphNode[],
    edges: readonly GraphEdge[],
    depth: number,
    chain: string[],
    from: string | undefined,
  ): { nodes: GraphNode[]; edges: GraphEdge[]; ports: Map<string, Ports> } | undefined {
    const out: GraphNode[] = [];
    const inner: GraphEdge[] = [];
    const ports = new Map<string, Ports>();
    let failed = false;
    for (const node of nodes) {
      // Sequence nodes count too, so a tower of empty instances is bounded like any other.
      if (++this.count > MAX_FLAT_NODES) return this.tooBig(node);
      if (node.type !== SEQUENCE_KIND) {
        out.push(node);
        continue;
      }
      if (this.keepUnread && this.unread(node, from)) {
        out.push(node);
        continue;
      }
      const flat = this.instance(node, depth, chain, from);
      if (!flat) {
        if (this.count > MAX_FLAT_NODES) return undefined;
        failed = true;
        continue;
      }
      ports.set(node.id, flat.ports);
      out.push(...flat.nodes);
      inner.push(...flat.edges);
    }
    if (failed || this.count > MAX_FLAT_NODES) return undefined;
    const mapped: GraphEdge[] = [];
    edges.forEach((e, i) => {
      const src = ports.get(e.source);
      const dst = ports.get(e.target);
      let edge: GraphEdge = e;
      if (src) {
        const to = src.outputs.get(e.sourcePort);
        if (!to) {
          this.problem(
            e.source,
            `outputs.${e.sourcePort}`,
            portMessage('output', e.sourcePort, src.outputs, i),
          );
          failed = true;
          return;
        }
        edge = { ...edge, source: to.node, sourcePort: to.port };
      }
      if (dst) {
        const to = dst.inputs.get(e.targetPort);
        if (!to) {
          this.problem(e.target, `inputs.${e.targetPort}`, portMessage('input', e.targetPort, dst.inputs, i));
          failed = true;
          return;
        }
        edge = { ...edge, target: to.node, targetPort: to.port };
      }
      mapped.push(edge);
    });
    if (failed) return undefined;
    // This level's own edges keep their places first: an input without `order` is ranked by place.
    return { nodes: out, edges: [...mapped, ...inner], ports };
  }

  /** An instance of a library file nobody read (the editor cannot read files). */
  private unread(node: GraphNode, from: string | undefined): boolean {
    const ref = node.params.sequence;
    if (typeof ref !== 'string' || !isLibraryRef(ref)) return false;
    return !this.library.has(from ? rebasePath(from, ref) : ref);
  }

  private tooBig(node: GraphNode): undefined {
    if (this.count === MAX_FLAT_NODES + 1) {
      this.problem(
        node.id,
        'sequence',
        `with its sequences flattened the film has more than ${MAX_FLAT_NODES} nodes (counting sequence nodes); a film may hold at most ${MAX_FLAT_NODES}`,
        'sequence.too-large',
      );
    }
    return undefined;
  }

  private instance(
    node: GraphNode,
    depth: number,
    chain: string[],
    from: string | undefined,
  ): { nodes: GraphNode[]; edges: GraphEdge[]; ports: Ports } | undefined {
    const params = sequenceParams.safeParse(node.params);
    if (!params.success) {
      for (const issue of params.error.issues)
        this.problem(node.id, issue.path.map(String).join('.') || 'params', issue.message);
      return undefined;
    }
    const ref = params.data.sequence;
    if (depth >= MAX_SEQUENCE_DEPTH) {
      this.problem(
        node.id,
        'sequence',
        `sequences are nested more than ${MAX_SEQUENCE_DEPTH} deep (through ${chain.join(' → ')}); flatten some of them`,
        'sequence.depth',
      );
      return undefined;
    }
    const found = this.resolve(node, ref, from);
    if (!found) return undefined;
    const { key, def } = found;
    if (chain.includes(key)) {
      this.problem(
        node.id,
        'sequence',
        `sequence "${ref}" contains itself (${[...chain, key].map((k) => k.replace(/^#/, '')).join(' → ')})`,
        'sequence.cycle',
      );
      return undefined;
    }
    const label = `sequence "${ref}"`;
    const byId = new Map(def.nodes.map((n) => [n.id, n]));
    if (byId.size !== def.nodes.length) {
      this.problem(node.id, 'sequence', `${label} holds two nodes with the same id`);
      return undefined;
    }
    // The instance's values replace params of copies of the inner nodes: the definition is shared.
    const values = params.data.values;
    const inputNames = new Set<string>();
    const copies = new Map(def.nodes.map((n) => [n.id, n]));
    let ok = true;
    for (const input of def.inputs) {
      if (inputNames.has(input.name)) {
        this.problem(node.id, 'sequence', `${label} has two inputs named "${input.name}"`);
        ok = false;
      }
      inputNames.add(input.name);
      const target = byId.get(input.node);
      if (!target) {
        this.problem(
          node.id,
          `inputs.${input.name}`,
          `${label}: input "${input.name}" names no node "${input.node}" inside it`,
        );
        ok = false;
        continue;
      }
      if (input.field === undefined || !Object.hasOwn(values, input.name)) continue;
      const copy = copies.get(input.node)!;
      copies.set(
        input.node,
        target.type === SEQUENCE_KIND
          ? // A nested instance takes the value as one of its own inputs.
            {
              ...copy,
              params: {
                ...copy.params,
                values: {
                  ...(copy.params.values as object | undefined),
                  [valueName(input.field)]: values[input.name],
                },
              },
            }
          : { ...copy, params: { ...copy.params, [input.field]: values[input.name] } },
      );
    }
    for (const name of Object.keys(values)) {
      const input = def.inputs.find((i) => i.name === name);
      if (!input || input.field === undefined) {
        const fields = def.inputs.filter((i) => i.field !== undefined).map((i) => i.name);
        this.problem(
          node.id,
          `values.${name}`,
          `${label} has no value input "${name}"${fields.length ? `; its value inputs are ${fields.join(', ')}` : ''}`,
        );
        ok = false;
      }
    }
    const outNames = new Set<string>();
    for (const o of def.outputs) {
      if (outNames.has(o.name)) {
        this.problem(node.id, 'sequence', `${label} has two outputs named "${o.name}"`);
        ok = false;
      }
      outNames.add(o.name);
      if (!byId.has(o.node)) {
        this.problem(
          node.id,
          `outputs.${o.name}`,
          `${label}: output "${o.name}" names no node "${o.node}" inside it`,
        );
        ok = false;
      }
    }
    if (!ok) return undefined;
    const flat = this.level(
      [...copies.values()],
      def.edges,
      depth + 1,
      [...chain, key],
      key.startsWith('#') ? undefined : key,
    );
    if (!flat) return undefined;
    const ns = (id: string) => `${node.id}${SEQUENCE_SEP}${id}`;
    // A port on a nested instance leads wherever that instance's own port leads.
    const lead = (id: string, port: string, dir: 'inputs' | 'outputs'): Endpoint | undefined => {
      const nested = flat.ports.get(id);
      if (!nested) return { node: ns(id), port };
      const to = nested[dir].get(port);
      return to ? { node: ns(to.node), port: to.port } : undefined;
    };
    const ports: Ports = { inputs: new Map(), outputs: new Map(), values: new Map() };
    for (const input of def.inputs) {
      if (input.field === undefined) continue;
      // Where this value lands once flattened, through nested instances.
      const nested = flat.ports.get(input.node);
      const to = nested
        ? nested.values.get(valueName(input.field))
        : { node: input.node, field: input.field };
      if (to) ports.values.set(input.name, { node: ns(to.node), field: to.field });
    }
    for (const input of def.inputs) {
      if (input.port === undefined) continue;
      const to = lead(input.node, input.port, 'inputs');
      if (!to) {
        this.problem(
          node.id,
          `inputs.${input.name}`,
          `${label}: input "${input.name}" leads to no port "${input.port}" of "${input.node}"`,
        );
        return undefined;
      }
      ports.inputs.set(input.name, to);
    }
    for (const o of def.outputs) {
      const to = lead(o.node, o.port, 'outputs');
      if (!to) {
        this.problem(
          node.id,
          `outputs.${o.name}`,
          `${label}: output "${o.name}" leads to no port "${o.port}" of "${o.node}"`,
        );
        return undefined;
      }
      ports.outputs.set(o.name, to);
    }
    return {
      nodes: flat.nodes.map((n) => ({ ...n, id: ns(n.id) })),
      edges: flat.edges.map((e) => ({ ...e, source: ns(e.source), target: ns(e.target) })),
      ports,
    };
  }
}

interface Endpoint {
  node: string;
  port: string;
}
interface Ports {
  inputs: Map<string, Endpoint>;
  outputs: Map<string, Endpoint>;
  /** Each value input: the flattened node and field it sets. */
  values: Map<string, { node: string; field: string }>;
}

/**
 * The value a field input on a sequence instance sets: `values.NAME`, as a film input names it, or
 * the bare `NAME` older files wrote inside a definition.
 */
export function valueName(field: string): string {
  return field.startsWith('values.') ? field.slice('values.'.length) : field;
}

function portMessage(
  kind: 'input' | 'output',
  name: string,
  known: Map<string, Endpoint>,
  index: number,
): string {
  const list = [...known.keys()];
  return `edge #${index}: this sequence has no ${kind} "${name}"; its ${kind}s are ${list.length ? list.join(', ') : '(none)'}`;
}

/** A library file's node with the paths it names made relative to the graph file. */
export function rebaseNode(libraryPath: string, node: GraphNode): GraphNode {
  const params = { ...node.params };
  if (typeof params.file === 'string') params.file = rebasePath(libraryPath, params.file);
  if (typeof params.output === 'string') params.output = rebasePath(libraryPath, params.output);
  const music = params.music as { file?: unknown } | undefined;
  if (music && typeof music === 'object' && typeof music.file === 'string')
    params.music = { ...music, file: rebasePath(libraryPath, music.file) };
  return { ...node, params };
}

/**
 * The film with every sequence instance replaced by its inner nodes, ids `<instance>/<inner>`, wires
 * into and out of the instance joined to the inner ports its definition names. A film without
 * sequence nodes comes back as it is. `library` holds the library files the engine read.
 */
export function flattenSequences(
  graph: Graph,
  library: SequenceLibrary = new Map(),
  opts: FlattenOptions = {},
): FlattenResult {
  if (!hasSequences(graph)) return { graph, problems: [] };
  const f = new Flattener(graph, library, opts.keepUnread ?? false);
  const flat = f.level(graph.nodes, graph.edges, 0, [], undefined);
  if (!flat)
    return {
      graph,
      problems: f.problems.length
        ? f.problems
        : [{ code: 'sequence.invalid', message: 'the sequences could not be flattened' }],
    };
  const problems: Problem[] = [];
  const inputs = graph.inputs?.map((d) => {
    // A film input on an instance's value now names the inner node and field that value sets.
    const ports = flat.ports.get(d.node);
    if (!ports) return d;
    const name = /^values\.(.+)$/.exec(d.field)?.[1];
    const to = name === undefined ? undefined : ports.values.get(name);
    if (to) return { ...d, node: to.node, field: to.field };
    const names = [...ports.values.keys()];
    problems.push({
      code: 'input.field',
      nodeId: d.node,
      field: d.field,
      message: `input "${d.name}": a sequence node's inputs are its values ("values.NAME"); ${
        names.length ? `its values are ${names.join(', ')}` : 'its sequence has no value inputs'
      }`,
    });
    return d;
  });
  if (problems.length) return { graph, problems };
  return {
    graph: { ...graph, nodes: flat.nodes, edges: flat.edges, ...(inputs ? { inputs } : {}) },
    problems: [],
  };
}

/** Multi-input ports whose order must be spelled out once wires cross a sequence's edge. */
function rankEdges(edges: GraphEdge[], targets: Set<string>): GraphEdge[] {
  const groups = new Map<string, number[]>();
  edges.forEach((e, i) => {
    if (!targets.has(e.target)) return;
    const k = `${e.target}\0${e.targetPort}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(i);
  });
  const out = edges.slice();
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    list
      .slice()
      .sort((a, b) => (edges[a]!.order ?? a) - (edges[b]!.order ?? b) || a - b)
      .forEach((i, rank) => (out[i] = { ...edges[i]!, order: rank }));
  }
  return out;
}

function uniqueId(base: string, taken: (id: string) => boolean): string {
  const slug =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 56) || 'sequence';
  if (!taken(slug)) return slug;
  for (let i = 2; ; i++) if (!taken(`${slug}-${i}`)) return `${slug}-${i}`;
}

export interface MadeSequence {
  graph: Graph;
  /** The new definition's id in `sequences`. */
  sequenceId: string;
  /** The node that replaced the selection. */
  instanceId: string;
}

/**
 * The film with `nodeIds` turned into one sequence instance: the nodes and the wires between them
 * become a definition in `sequences`; every wire that crossed the selection becomes an input or an
 * output of it, named `<node>.<port>`. Flattening gives back the same nodes with the same params and
 * inputs, so their keys and cached takes are unchanged. Throws a message naming the node on a bad pick.
 */
export function makeSequence(graph: Graph, nodeIds: readonly string[], name: string): MadeSequence {
  const picked = new Set(nodeIds);
  if (!picked.size) throw new Error('select at least one node to make a sequence');
  for (const id of picked)
    if (!graph.nodes.some((n) => n.id === id))
      throw new Error(`node "${id}": there is no such node in this film`);
  const existing = filmSequences(graph);
  const sequenceId = uniqueId(name, (id) => existing.some((d) => (d as { id?: unknown })?.id === id));
  const instanceId = uniqueId(name, (id) => graph.nodes.some((n) => n.id === id));
  const edges = rankEdges(graph.edges, picked);
  const def: SequenceDef = {
    id: sequenceId,
    name: name.slice(0, 200) || 'Sequence',
    nodes: graph.nodes.filter((n) => picked.has(n.id)).map((n) => structuredClone(n)),
    edges: edges.filter((e) => picked.has(e.source) && picked.has(e.target)).map((e) => ({ ...e })),
    inputs: [],
    outputs: [],
  };
  const outEdges: GraphEdge[] = [];
  for (const e of edges) {
    const fromIn = picked.has(e.source);
    const toIn = picked.has(e.target);
    if (fromIn && toIn) continue;
    if (!fromIn && !toIn) {
      outEdges.push(e);
      continue;
    }
    if (toIn) {
      const portName = `${e.target}.${e.targetPort}`;
      if (!def.inputs.some((i) => i.name === portName))
        def.inputs.push({ name: portName, node: e.target, port: e.targetPort });
      outEdges.push({ ...e, target: instanceId, targetPort: portName });
    } else {
      const portName = `${e.source}.${e.sourcePort}`;
      if (!def.outputs.some((o) => o.name === portName))
        def.outputs.push({ name: portName, node: e.source, port: e.sourcePort });
      outEdges.push({ ...e, source: instanceId, sourcePort: portName });
    }
  }
  const members = graph.nodes.filter((n) => picked.has(n.id));
  const placed = members.filter((n) => n.position);
  const position = placed.length
    ? {
        x: placed.reduce((s, n) => s + n.position!.x, 0) / placed.length,
        y: placed.reduce((s, n) => s + n.position!.y, 0) / placed.length,
      }
    : undefined;
  const instance: GraphNode = {
    id: instanceId,
    type: SEQUENCE_KIND,
    label: def.name,
    ...(position ? { position } : {}),
    params: { sequence: sequenceId, values: {} },
  };
  const first = members[0]!.id;
  const nodes = graph.nodes
    .filter((n) => n.id === first || !picked.has(n.id))
    .map((n) => (n.id === first ? instance : n));
  return {
    graph: { ...graph, nodes, edges: outEdges, sequences: [...existing, def] } as Graph,
    sequenceId,
    instanceId,
  };
}

/** A definition as far as its ports go (the editor passes what it holds, parsed or not). */
export interface DefPorts {
  nodes: readonly { id: string; type: string; params?: Record<string, unknown> }[];
  inputs?: readonly { name: string; node: string; port?: string; field?: string }[];
  outputs?: readonly { name: string; node: string; port: string }[];
}

/**
 * An instance's ports: its definition's wire inputs and its outputs, each typed by the inner port it
 * leads to (through nested instances, found with `lookup`), named as the instance's edges name them.
 * A port that leads nowhere is left out; flattening reports it.
 */
export function sequencePorts(
  def: DefPorts,
  lookup: (ref: string) => DefPorts | undefined,
  depth = 0,
): { inputs: PortDef[]; outputs: PortDef[] } {
  const leadTo = (nodeId: string, port: string, side: 'inputs' | 'outputs'): PortDef | undefined => {
    const node = def.nodes.find((n) => n.id === nodeId);
    if (!node) return undefined;
    if (node.type !== SEQUENCE_KIND)
      return side === 'inputs' ? inputPort(node.type, port) : outputPort(node.type, port);
    const ref = node.params?.sequence;
    const nested = typeof ref === 'string' && depth < MAX_SEQUENCE_DEPTH ? lookup(ref) : undefined;
    return nested && sequencePorts(nested, lookup, depth + 1)[side].find((p) => p.name === port);
  };
  const inputs = (def.inputs ?? []).flatMap((i) => {
    const p = i.port === undefined ? undefined : leadTo(i.node, i.port, 'inputs');
    return p ? [{ ...p, name: i.name, label: i.name }] : [];
  });
  const outputs = (def.outputs ?? []).flatMap((o) => {
    const p = leadTo(o.node, o.port, 'outputs');
    return p ? [{ ...p, name: o.name, label: o.name }] : [];
  });
  return { inputs, outputs };
}
