// Auto-layout: columns by dependency depth (sources on the left, the final cut on the right),
// rows ordered by the average row of each node's inputs so wires cross as little as possible.
import type { FilmNode, Wire } from './flow';

const COLUMN_GAP = 90;
const ROW_GAP = 36;
const DEFAULT_SIZE = { width: 260, height: 180 };

export function layoutPositions(nodes: FilmNode[], edges: Wire[]): Map<string, { x: number; y: number }> {
  const ids = new Set(nodes.map((n) => n.id));
  const inputs = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) inputs.get(e.target)!.push(e.source);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (visiting.has(id)) return 0; // a cycle (invalid, but layout must not hang on it)
    visiting.add(id);
    const d = Math.max(-1, ...inputs.get(id)!.map(depthOf)) + 1;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const columns: FilmNode[][] = [];
  for (const n of nodes) (columns[depthOf(n.id)] ??= []).push(n);
  const size = (n: FilmNode) => ({
    width: n.measured?.width ?? DEFAULT_SIZE.width,
    height: n.measured?.height ?? DEFAULT_SIZE.height,
  });
  const rowOf = new Map<string, number>();
  const out = new Map<string, { x: number; y: number }>();
  let x = 0;
  columns.forEach((column = []) => {
    const key = (n: FilmNode) => {
      const rows = inputs
        .get(n.id)!
        .map((s) => rowOf.get(s))
        .filter((r): r is number => r !== undefined);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : n.position.y;
    };
    column.sort((a, b) => key(a) - key(b));
    const total = column.reduce((h, n) => h + size(n).height + ROW_GAP, -ROW_GAP);
    let y = -total / 2;
    for (const n of column) {
      out.set(n.id, { x, y: Math.round(y) });
      rowOf.set(n.id, y + size(n).height / 2);
      y += size(n).height + ROW_GAP;
    }
    x += Math.max(...column.map((n) => size(n).width), DEFAULT_SIZE.width) + COLUMN_GAP;
  });
  return out;
}
