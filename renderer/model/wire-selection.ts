// Which wires are selected, kept on the wires in the document as xyflow kept them, so Delete
// (actions/nodes.ts) removes them with the selected cards in one undo step. Picking a wire follows
// xyflow's rules for a click on an element: alone, it selects only that wire (and no card); with
// Shift, Ctrl or Cmd it toggles that wire and keeps the rest.
import type { FilmNode, Wire } from './flow';

export interface Selection {
  nodes: FilmNode[];
  edges: Wire[];
}

const set = <T extends { selected?: boolean }>(x: T, on: boolean): T =>
  Boolean(x.selected) === on ? x : { ...x, selected: on };

/** Every array returned unchanged where nothing in it changes: no re-render of untouched wires. */
function same<T>(before: T[], after: T[]): T[] {
  return after.every((x, i) => x === before[i]) ? before : after;
}

export function pickWire(doc: Selection, id: string, additive: boolean): Selection {
  if (additive)
    return {
      nodes: doc.nodes,
      edges: same(
        doc.edges,
        doc.edges.map((e) => (e.id === id ? set(e, !e.selected) : e)),
      ),
    };
  return {
    nodes: same(
      doc.nodes,
      doc.nodes.map((n) => set(n, false)),
    ),
    edges: same(
      doc.edges,
      doc.edges.map((e) => set(e, e.id === id)),
    ),
  };
}

/** No wire selected (a click on empty canvas, or on a card without a modifier). */
export function clearWires(edges: Wire[]): Wire[] {
  return same(
    edges,
    edges.map((e) => set(e, false)),
  );
}

/** The wire a pointer event landed on: its element carries the wire's id (nodes/FilmWire.tsx). */
export function wireIdAt(target: EventTarget | null): string | undefined {
  return (target as Element | null)?.closest?.('[data-wire]')?.getAttribute('data-wire') ?? undefined;
}
