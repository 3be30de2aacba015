// The film as a director reads it: the final cut's clips in film order, then the shots that are in
// no cut yet. Pure, over the document's nodes and wires.
import type { FilmNode, Wire } from './flow';

/** Wires into one port of one node, in their order (`order`, then file order). */
export function orderedWires(edges: Wire[], target: string, port: string): Wire[] {
  return edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.target === target && e.targetHandle === port)
    .sort((a, b) => (a.e.data?.order ?? a.i) - (b.e.data?.order ?? b.i) || a.i - b.i)
    .map(({ e }) => e);
}

export function finalCuts(nodes: FilmNode[]): string[] {
  return nodes.filter((n) => n.data.kind === 'final_cut').map((n) => n.id);
}

/** The cut the storyboard and timeline show: the one chosen, else the film's first. */
export function shownCut(nodes: FilmNode[], chosen: string | null): string | null {
  const cuts = finalCuts(nodes);
  return chosen && cuts.includes(chosen) ? chosen : (cuts[0] ?? null);
}

export interface FilmEntry {
  id: string;
  /** Place in the cut, or -1 for a shot in no cut. */
  index: number;
  scene: string;
}

export function filmEntries(nodes: FilmNode[], edges: Wire[], cut: string | null): FilmEntry[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const sceneOf = (id: string) => {
    const scene = byId.get(id)?.data.extra.scene;
    return typeof scene === 'string' ? scene : '';
  };
  const seen = new Set<string>();
  const entries: FilmEntry[] = [];
  if (cut) {
    for (const w of orderedWires(edges, cut, 'clips')) {
      if (seen.has(w.source) || !byId.has(w.source)) continue;
      seen.add(w.source);
      entries.push({ id: w.source, index: entries.length, scene: sceneOf(w.source) });
    }
  }
  for (const n of nodes) {
    if (n.data.kind === 'shot' && !seen.has(n.id))
      entries.push({ id: n.id, index: -1, scene: sceneOf(n.id) });
  }
  return entries;
}

/** `edges` with the cut's clips numbered in the order of `sources` (source node ids). */
export function withClipOrder(edges: Wire[], cut: string, sources: string[]): Wire[] {
  const rank = new Map(sources.map((id, i) => [id, i]));
  return edges.map((e) =>
    e.target === cut && e.targetHandle === 'clips' && rank.has(e.source)
      ? { ...e, data: { extra: {}, ...e.data, order: rank.get(e.source)! } }
      : e,
  );
}

/** Scenes in film order as runs of consecutive entries: a new group wherever the scene changes. */
export function sceneRuns(entries: FilmEntry[]): { scene: string; entries: FilmEntry[] }[] {
  const runs: { scene: string; entries: FilmEntry[] }[] = [];
  for (const e of entries) {
    const last = runs[runs.length - 1];
    if (last && last.scene === e.scene) last.entries.push(e);
    else runs.push({ scene: e.scene, entries: [e] });
  }
  return runs;
}
