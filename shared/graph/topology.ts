// Graph walking shared by validator, executor and editor: ordered inputs, cycles, dependants.
import type { Graph, GraphEdge } from './schema';

/** Edges into `target`, multi-port edges sorted by `order` then file order. */
export function incomingEdges(graph: Graph, target: string, port?: string): GraphEdge[] {
  return graph.edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.target === target && (port === undefined || e.targetPort === port))
    .sort((a, b) => (a.e.order ?? a.i) - (b.e.order ?? b.i) || a.i - b.i)
    .map(({ e }) => e);
}

export function upstreamIds(graph: Graph, id: string): string[] {
  return [...new Set(graph.edges.filter((e) => e.target === id).map((e) => e.source))];
}

export function downstreamIds(graph: Graph, id: string): string[] {
  return [...new Set(graph.edges.filter((e) => e.source === id).map((e) => e.target))];
}

/** Every node reachable downstream of `id` (not including it). */
export function allDependants(graph: Graph, id: string): Set<string> {
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    for (const next of downstreamIds(graph, stack.pop()!)) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** `id` and everything it needs. */
export function withAncestors(graph: Graph, id: string): Set<string> {
  const seen = new Set<string>([id]);
  const stack = [id];
  while (stack.length) {
    for (const prev of upstreamIds(graph, stack.pop()!)) {
      if (!seen.has(prev)) {
        seen.add(prev);
        stack.push(prev);
      }
    }
  }
  return seen;
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
  const queue = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const out: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    out.push(id);
    for (const e of graph.edges) {
      if (e.source !== id || !indeg.has(e.target)) continue;
      const d = indeg.get(e.target)! - 1;
      indeg.set(e.target, d);
      if (d === 0) queue.push(e.target);
    }
  }
  return out;
}
