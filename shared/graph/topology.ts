// Graph walking shared by validator, executor and editor: ordered inputs, cycles, dependants.
import type { Graph, GraphEdge } from './schema';

/** Edges into `target`, multi-port edges sorted by `order` then file order. */
export function incomingEdges(graph: Graph, target: string, port?: string): GraphEdge[] {
  return inPortOrder(
    graph.edges
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.target === target && (port === undefined || e.targetPort === port)),
  );
}

/**
 * incomingEdges for every node at once: the edges are grouped in one pass, so asking for each
 * node's inputs costs the node's own edges, not a scan of the whole graph (quadratic at film scale).
 */
export function edgesInto(graph: Graph): (target: string, port?: string) => GraphEdge[] {
  const byTarget = new Map<string, { e: GraphEdge; i: number }[]>();
  graph.edges.forEach((e, i) => {
    (byTarget.get(e.target) ?? byTarget.set(e.target, []).get(e.target)!).push({ e, i });
  });
  return (target, port) => {
    const all = byTarget.get(target) ?? [];
    return inPortOrder(port === undefined ? all : all.filter(({ e }) => e.targetPort === port));
  };
}

function inPortOrder(edges: { e: GraphEdge; i: number }[]): GraphEdge[] {
  return [...edges].sort((a, b) => (a.e.order ?? a.i) - (b.e.order ?? b.i) || a.i - b.i).map(({ e }) => e);
}

export function upstreamIds(graph: Graph, id: string): string[] {
  return [...new Set(graph.edges.filter((e) => e.target === id).map((e) => e.source))];
}

export function downstreamIds(graph: Graph, id: string): string[] {
  return [...new Set(graph.edges.filter((e) => e.source === id).map((e) => e.target))];
}

/** Node id → the ids one edge away (targets, or sources with `reverse`), in edge order, built once. */
function neighbours(graph: Graph, reverse = false): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    const [from, to] = reverse ? [e.target, e.source] : [e.source, e.target];
    (next.get(from) ?? next.set(from, []).get(from)!).push(to);
  }
  return next;
}

/** Every node reachable from `id` along `next` (not including it). */
function reachable(next: Map<string, string[]>, id: string): Set<string> {
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/** Every node reachable downstream of `id` (not including it). */
export function allDependants(graph: Graph, id: string): Set<string> {
  return reachable(neighbours(graph), id);
}

/** `id` and everything it needs. */
export function withAncestors(graph: Graph, id: string): Set<string> {
  return new Set([id, ...reachable(neighbours(graph, true), id)]);
}

/** Cycles as lists of node ids (each cycle once), found by Tarjan's SCC. */
export function findCycles(graph: Graph): string[][] {
  const ids = graph.nodes.map((n) => n.id);
  const adj = new Map<string, string[]>(ids.map((id) => [id, []]));
  const selfLoops = new Set<string>();
  // Edges to a missing node are reported elsewhere; following them here would walk off the map.
  for (const e of graph.edges) {
    if (!adj.has(e.target)) continue;
    adj.get(e.source)?.push(e.target);
    if (e.source === e.target) selfLoops.add(e.source);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  // Iterative Tarjan so a hostile 5,000-node chain cannot overflow the call stack.
  for (const start of ids) {
    if (idx.has(start)) continue;
    const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = adj.get(frame.id)!;
      if (frame.next < succ.length) {
        const w = succ[frame.next++]!;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, idx.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === idx.get(frame.id)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== frame.id);
        if (scc.length > 1 || selfLoops.has(frame.id)) cycles.push(scc.reverse());
      }
    }
  }
  return cycles;
}

/** Kahn order; assumes no cycles (validate first). */
export function topoOrder(graph: Graph): string[] {
  const indeg = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) if (indeg.has(e.target)) indeg.set(e.target, indeg.get(e.target)! + 1);
  const next = neighbours(graph);
  const queue = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  // A read index, not shift(): shifting a 5,000-entry queue is quadratic too.
  for (let head = 0; head < queue.length; head++) {
    for (const target of next.get(queue[head]!) ?? []) {
      if (!indeg.has(target)) continue;
      const d = indeg.get(target)! - 1;
      indeg.set(target, d);
      if (d === 0) queue.push(target);
    }
  }
  return queue;
}
