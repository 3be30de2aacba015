// The film's input declarations as the graph file stores them (top-level `inputs`, issue 13). Pure
// helpers for the editor's toggle; what an input's type and default are is the host's answer.
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
