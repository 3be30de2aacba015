// Drilling into a sequence (issue 13): the canvas shows the definition's nodes, the film around it
// waits in `outer`; the graph file is always the composition of both. Pure, so it is unit-tested.
import type { Graph } from '../../shared/graph/schema';
import { canvasToGraph, graphToCanvas, type CanvasDoc } from './convert';
import type { FilmNode, Wire } from './flow';

export interface Scope {
  /** The instance double-clicked, and the definition it uses. */
  instance: string;
  sequence: string;
  name: string;
  /** The film's own nodes and wires while the canvas shows the sequence. */
  outer: { nodes: FilmNode[]; edges: Wire[] };
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
  const inner = canvasToGraph(doc);
  const id = doc.scope.sequence;
  // Every definition stays where and as it was, except the one on the canvas.
  const sequences = (Array.isArray(doc.extra.sequences) ? (doc.extra.sequences as unknown[]) : []).map((d) =>
    (d as DefLike | null)?.id === id ? { ...(d as DefLike), nodes: inner.nodes, edges: inner.edges } : d,
  );
  const extra = { ...doc.extra, sequences };
  return canvasToGraph({ ...doc, nodes: doc.scope.outer.nodes, edges: doc.scope.outer.edges, extra });
}

/** The canvas inside instance `id`'s definition, or why it cannot open (a library file, a missing one). */
export function enter(
  doc: ScopedDoc,
  id: string,
): { nodes: FilmNode[]; edges: Wire[]; scope: Scope } | string {
  if (doc.scope) return 'open one sequence at a time: go back to the film first';
  const node = doc.nodes.find((n) => n.id === id);
  const ref = node?.data.params.sequence;
  if (typeof ref !== 'string') return `${id} is not a sequence`;
  const def = sequencesOf(doc.extra).find((d) => d.id === ref);
  if (!def) return `${id} uses "${ref}", which is not kept in this film (a library file opens on its own)`;
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
  const { format: _f, version: _v, name: _n, nodes: _nodes, edges: _edges, ...extra } = composeGraph(doc);
  return { nodes: doc.scope.outer.nodes, edges: doc.scope.outer.edges, extra, scope: null };
}
