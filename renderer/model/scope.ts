// Drilling into a sequence (issue 13): the canvas shows the definition's nodes, the film around it
// waits in `outer`; the graph file is always the composition of both. Pure, so it is unit-tested.
import type { Graph } from '../../shared/graph/schema';
import {
  isLibraryRef,
  rebasePath,
  sequenceDefSchema,
  type DefPorts,
  type SequenceLibrary,
} from '../../shared/graph/sequence';
import { canvasToGraph, graphToCanvas, type CanvasDoc } from './convert';
import type { FilmNode, Wire } from './flow';

export interface Scope {
  /** The instance double-clicked, and the definition it uses. */
  instance: string;
  /** Its definition: an id in the film's `sequences`, or a library file's path. */
  sequence: string;
  name: string;
  /** The film's own nodes and wires while the canvas shows the sequence. */
  outer: { nodes: FilmNode[]; edges: Wire[] };
  /**
   * A library file's sequence (its path as the film names it): shown read-only, because the file is
   * shared by every film that uses it and a change here would change them all unseen.
   */
  library?: string;
}

export interface ScopedDoc extends CanvasDoc {
  scope: Scope | null;
}

interface DefLike {
  id: string;
  name?: string;
  nodes: Graph['nodes'];
  edges: Graph['edges'];
}

export const sequencesOf = (extra: Record<string, unknown>): DefLike[] =>
  Array.isArray(extra.sequences)
    ? (extra.sequences as DefLike[]).filter((d) => d && typeof d.id === 'string' && Array.isArray(d.nodes))
    : [];

/** The film as the graph file holds it, whatever the canvas shows now. */
export function composeGraph(doc: ScopedDoc): Graph {
  if (!doc.scope) return canvasToGraph(doc);
  if (doc.scope.library)
    return canvasToGraph({ ...doc, nodes: doc.scope.outer.nodes, edges: doc.scope.outer.edges });
  const inner = canvasToGraph(doc);
  const id = doc.scope.sequence;
  // Every definition stays where and as it was, except the one on the canvas.
  const sequences = (Array.isArray(doc.extra.sequences) ? (doc.extra.sequences as unknown[]) : []).map((d) =>
    (d as DefLike | null)?.id === id ? { ...(d as DefLike), nodes: inner.nodes, edges: inner.edges } : d,
  );
  const extra = { ...doc.extra, sequences };
  return canvasToGraph({ ...doc, nodes: doc.scope.outer.nodes, edges: doc.scope.outer.edges, extra });
}

/**
 * The canvas inside instance `id`'s definition, or why it cannot open. A library file's definition
 * comes from what the host read (`library`), and opens read-only.
 */
export function enter(
  doc: ScopedDoc,
  id: string,
  library: SequenceLibrary = new Map(),
): { nodes: FilmNode[]; edges: Wire[]; scope: Scope } | string {
  if (doc.scope) return 'open one sequence at a time: go back to the film first';
  const node = doc.nodes.find((n) => n.id === id);
  const ref = node?.data.params.sequence;
  if (typeof ref !== 'string') return `${id} is not a sequence`;
  let def: DefLike | undefined;
  if (isLibraryRef(ref)) {
    const entry = library.get(ref);
    if (!entry) return `${id} uses the sequence file "${ref}", which has not been read yet`;
    if (!entry.ok) return entry.message;
    const parsed = sequenceDefSchema.safeParse(entry.value);
    if (!parsed.success) return `"${ref}" is not a sequence file: ${parsed.error.issues[0]?.message ?? ''}`;
    def = parsed.data;
  } else {
    def = sequencesOf(doc.extra).find((d) => d.id === ref);
  }
  if (!def) return `${id} uses "${ref}", which is not a sequence of this film`;
  const canvas = graphToCanvas({
    format: 'shotgraph',
    version: 2,
    name: doc.name,
    nodes: def.nodes,
    edges: def.edges,
  } as Graph);
  return {
    nodes: canvas.nodes,
    edges: canvas.edges,
    scope: {
      instance: id,
      sequence: def.id,
      name: def.name ?? def.id,
      outer: { nodes: doc.nodes, edges: doc.edges },
      ...(isLibraryRef(ref) ? { library: ref } : {}),
    },
  };
}

/** Back to the film: the definition takes the canvas's edits, the film's nodes return. */
export function leave(doc: ScopedDoc): {
  nodes: FilmNode[];
  edges: Wire[];
  extra: Record<string, unknown>;
  scope: null;
} {
  if (!doc.scope) return { nodes: doc.nodes, edges: doc.edges, extra: doc.extra, scope: null };
  if (doc.scope.library)
    return { nodes: doc.scope.outer.nodes, edges: doc.scope.outer.edges, extra: doc.extra, scope: null };
  const { format: _f, version: _v, name: _n, nodes: _nodes, edges: _edges, ...extra } = composeGraph(doc);
  return { nodes: doc.scope.outer.nodes, edges: doc.scope.outer.edges, extra, scope: null };
}

/**
 * Finds a definition as the engine would: the film's own by id, a library file's by its path (from
 * what the host read), a path inside a library file taken relative to that file (`from`).
 */
export function defLookup(
  extra: Record<string, unknown>,
  library: SequenceLibrary,
  from?: string,
): (ref: string) => DefPorts | undefined {
  return (ref) => {
    if (!isLibraryRef(ref)) return sequencesOf(extra).find((d) => d.id === ref);
    const entry = library.get(libraryPathOf(ref, from));
    const value = entry?.ok ? (entry.value as DefPorts | undefined) : undefined;
    return value && Array.isArray(value.nodes) ? value : undefined;
  };
}

/** A library reference as the film names it, when it is written inside library file `from`. */
export const libraryPathOf = (ref: string, from?: string): string => (from ? rebasePath(from, ref) : ref);

/**
 * Instance `id` made to use its own copy of the library sequence `file` (`value`, as the host read
 * it, media already named as the film names them): the copy joins the film's `sequences` under a
 * fresh id, library files it names are re-named relative to the film, and only this instance moves to
 * it. The file, and every other film or instance using it, stay as they are.
 */
export function localCopy(
  doc: Pick<ScopedDoc, 'nodes' | 'extra'>,
  id: string,
  file: string,
  value: unknown,
): { nodes: FilmNode[]; extra: Record<string, unknown>; sequence: string } | string {
  const parsed = sequenceDefSchema.safeParse(value);
  if (!parsed.success) return `"${file}" is not a sequence file: ${parsed.error.issues[0]?.message ?? ''}`;
  if (!doc.nodes.some((n) => n.id === id)) return `${id} is not in this film`;
  const raw = Array.isArray(doc.extra.sequences) ? (doc.extra.sequences as unknown[]) : [];
  const taken = new Set(raw.map((d) => (d as { id?: unknown } | null)?.id));
  let sequence = parsed.data.id;
  for (let i = 2; taken.has(sequence); i++) sequence = `${parsed.data.id}-${i}`;
  const def = {
    ...parsed.data,
    id: sequence,
    nodes: parsed.data.nodes.map((n) => {
      const ref = n.type === 'sequence' ? n.params.sequence : undefined;
      return typeof ref === 'string' && isLibraryRef(ref)
        ? { ...n, params: { ...n.params, sequence: rebasePath(file, ref) } }
        : n;
    }),
  };
  const nodes = doc.nodes.map((n) =>
    n.id === id ? { ...n, data: { ...n.data, params: { ...n.data.params, sequence } } } : n,
  );
  return { nodes, extra: { ...doc.extra, sequences: [...raw, def] }, sequence };
}
