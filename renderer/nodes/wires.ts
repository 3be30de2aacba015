// Wire counts per node and port, in their own store: recomputed when the wires change, so the
// hundreds of port badges are not re-checked on every frame of a drag.
import { create } from 'zustand';
import type { Wire } from '../model/flow';
import { useDocument } from '../stores/document';

const EMPTY: Record<string, number> = {};

function countWires(edges: Wire[]): Map<string, Record<string, number>> {
  const index = new Map<string, Record<string, number>>();
  const bump = (id: string, key: string) => {
    const counts = index.get(id) ?? index.set(id, {}).get(id)!;
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const e of edges) {
    bump(e.target, `in:${e.targetHandle}`);
    bump(e.source, `out:${e.sourceHandle}`);
  }
  return index;
}

export const useWireCounts = create(() => ({ byNode: countWires(useDocument.getState().edges) }));

useDocument.subscribe((s, prev) => {
  if (s.edges !== prev.edges) useWireCounts.setState({ byNode: countWires(s.edges) });
});

export function wiresOf(id: string) {
  return (s: { byNode: Map<string, Record<string, number>> }) => s.byNode.get(id) ?? EMPTY;
}
