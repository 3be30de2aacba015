// Wires as the canvas draws them: in their media colour, and clips into a multi port (the cut's
// clips) numbered by their order (nodes/FilmWire.tsx). A wire the edit did not touch keeps the
// object it was drawn with, so the wire layer re-renders only the wires that changed, not all of a
// big film's hundreds on every selection or new wire.
import { portColour } from './ports';
import type { Wire } from './flow';

const drawn = new WeakMap<Wire, { rank: number | undefined; wire: Wire }>();

export function drawnWires(edges: Wire[]): Wire[] {
  const ranks = multiPortRanks(edges);
  return edges.map((e) => {
    const rank = ranks.get(e.id);
    const was = drawn.get(e);
    if (was && was.rank === rank) return was.wire;
    const wire: Wire = {
      ...e,
      type: 'film',
      style: { stroke: portColour(e.data?.portType), strokeWidth: e.selected ? 3 : 2 },
      className: `wire wire-${e.data?.portType ?? 'unknown'}`,
      ...(rank !== undefined ? { data: { extra: {}, ...e.data, rank } } : {}),
    };
    drawn.set(e, { rank, wire });
    return wire;
  });
}

/** Wire id → its place (from 1) among the wires into the same port, where there are two or more. */
export function multiPortRanks(edges: Wire[]): Map<string, number> {
  const rank = new Map<string, number>();
  const groups = new Map<string, { e: Wire; i: number }[]>();
  edges.forEach((e, i) => {
    const key = `${e.target}:${e.targetHandle}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push({ e, i });
  });
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    list
      .sort((a, b) => (a.e.data?.order ?? a.i) - (b.e.data?.order ?? b.i) || a.i - b.i)
      .forEach(({ e }, i) => rank.set(e.id, i + 1));
  }
  return rank;
}
