// The film's input declarations as the graph file stores them (top-level `inputs`, issue 13). Pure
// helpers for the editor's toggle; what an input's type and default are is the host's answer.
import type { Scope } from './scope';

export interface InputDecl {
  name: string;
  node: string;
  field: string;
  description?: string;
  default?: unknown;
}

export function declsOf(extra: Record<string, unknown>): InputDecl[] {
  const raw = extra.inputs;
  return Array.isArray(raw) ? (raw as InputDecl[]).filter((d) => d && typeof d.name === 'string') : [];
}

const MAIN_FIELD: Record<string, string> = { prompt: 'text', image: 'file', video: 'file', audio: 'file' };

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);

/** A readable name for a new input: the node's label (or id), plus the field unless it is the main one. */
export function suggestName(
  decls: InputDecl[],
  node: { id: string; kind: string; label?: string },
  field: string,
): string {
  const base = slug(node.label ?? '') || node.id;
  const name = MAIN_FIELD[node.kind] === field ? base : `${base}-${slug(field)}`;
  const taken = new Set(decls.map((d) => d.name));
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name}-${i}`)) return `${name}-${i}`;
}

/** Exposes the field as an input, or stops exposing it. */
export function toggled(
  decls: InputDecl[],
  node: { id: string; kind: string; label?: string },
  field: string,
): InputDecl[] {
  const at = decls.findIndex((d) => d.node === node.id && d.field === field);
  if (at >= 0) return decls.filter((_, i) => i !== at);
  return [...decls, { name: suggestName(decls, node, field), node: node.id, field }];
}

/** Renames an input; refuses (returns null) an empty name or one another input has. */
export function renamed(decls: InputDecl[], from: string, to: string): InputDecl[] | null {
  const name = to.trim();
  if (!name || (name !== from && decls.some((d) => d.name === name))) return null;
  return decls.map((d) => (d.name === from ? { ...d, name } : d));
}

/** Inputs whose node is gone (deleted) are dropped with it. */
export function withoutNodes(decls: InputDecl[], ids: Set<string>): InputDecl[] {
  return decls.filter((d) => !ids.has(d.node));
}

interface DefInOut {
  id: string;
  inputs?: { name: string; node: string; field?: string }[];
  outputs?: { name: string; node: string }[];
}

/**
 * After deleting nodes `gone` from the canvas: the film's inputs that pointed at them (outside a
 * sequence), or the open sequence's inputs and outputs that did (inside one), together with the wires
 * and film inputs that used those ports on the film's instances of it. Unchanged parts keep their
 * identity, so an edit that touches no input writes nothing new.
 */
export function withoutInputsOn(
  extra: Record<string, unknown>,
  scope: Scope | null,
  gone: Set<string>,
): { extra: Record<string, unknown>; scope: Scope | null } {
  const decls = declsOf(extra);
  if (!scope) {
    const kept = withoutNodes(decls, gone);
    return { extra: kept.length === decls.length ? extra : { ...extra, inputs: kept }, scope };
  }
  if (scope.library || !Array.isArray(extra.sequences)) return { extra, scope };
  const defs = extra.sequences as DefInOut[];
  const def = defs.find((d) => d?.id === scope.sequence);
  if (!def) return { extra, scope };
  const lostIn = new Set((def.inputs ?? []).filter((i) => gone.has(i.node)).map((i) => i.name));
  const lostOut = new Set((def.outputs ?? []).filter((o) => gone.has(o.node)).map((o) => o.name));
  if (!lostIn.size && !lostOut.size) return { extra, scope };
  const trimmed: DefInOut = {
    ...def,
    inputs: (def.inputs ?? []).filter((i) => !lostIn.has(i.name)),
    outputs: (def.outputs ?? []).filter((o) => !lostOut.has(o.name)),
  };
  const instances = new Set(
    scope.outer.nodes.filter((n) => n.data.params.sequence === def.id).map((n) => n.id),
  );
  const edges = scope.outer.edges.filter(
    (e) =>
      !(instances.has(e.target) && lostIn.has(e.targetHandle ?? '')) &&
      !(instances.has(e.source) && lostOut.has(e.sourceHandle ?? '')),
  );
  // An instance's own value for an input that is gone would be refused by the engine: drop it too.
  const nodes = scope.outer.nodes.map((n) => {
    const values = n.data.params.values as Record<string, unknown> | undefined;
    if (!instances.has(n.id) || !values || !Object.keys(values).some((k) => lostIn.has(k))) return n;
    const kept = Object.fromEntries(Object.entries(values).filter(([k]) => !lostIn.has(k)));
    return { ...n, data: { ...n.data, params: { ...n.data.params, values: kept } } };
  });
  const filmInputs = decls.filter(
    (d) => !(instances.has(d.node) && lostIn.has(d.field.replace(/^values\./, ''))),
  );
  return {
    extra: {
      ...extra,
      sequences: defs.map((d) => (d === def ? trimmed : d)),
      ...(filmInputs.length !== decls.length ? { inputs: filmInputs } : {}),
    },
    scope: { ...scope, outer: { nodes, edges } },
  };
}
