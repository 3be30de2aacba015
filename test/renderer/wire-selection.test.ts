// Picking wires: a click selects one wire and no card, a modifier click toggles one and keeps the
// rest, a click elsewhere clears them; untouched wires keep their objects; Delete removes the
// picked wires in one undo step.
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteSelection } from '../../renderer/actions/nodes';
import type { FilmNode, Wire } from '../../renderer/model/flow';
import { wireId } from '../../renderer/model/flow';
import { clearWires, pickWire, wireIdAt } from '../../renderer/model/wire-selection';
import { undo, useDocument } from '../../renderer/stores/document';

const node = (id: string, selected = false): FilmNode => ({
  id,
  type: 'shot',
  position: { x: 0, y: 0 },
  selected,
  data: { kind: 'shot', params: {}, extra: {} },
});
const wire = (source: string, target: string, selected = false): Wire => ({
  id: wireId(source, 'last_frame', target, 'first_frame'),
  source,
  sourceHandle: 'last_frame',
  target,
  targetHandle: 'first_frame',
  selected,
  data: { extra: {}, portType: 'image' },
});

const nodes = [node('a', true), node('b'), node('c')];
const edges = [wire('a', 'b'), wire('b', 'c', true), wire('a', 'c')];
const picked = (w: Wire[]) => w.filter((e) => e.selected).map((e) => e.id);

describe('wire selection', () => {
  it('a click selects only that wire, and unselects the cards', () => {
    const next = pickWire({ nodes, edges }, edges[2]!.id, false);
    expect(picked(next.edges)).toEqual([edges[2]!.id]);
    expect(next.nodes.some((n) => n.selected)).toBe(false);
    // Cards that were not selected keep their objects.
    expect(next.nodes[1]).toBe(nodes[1]);
    expect(next.edges[0]).toBe(edges[0]);
  });

  it('a modifier click toggles that wire and keeps the rest, cards included', () => {
    const more = pickWire({ nodes, edges }, edges[0]!.id, true);
    expect(picked(more.edges)).toEqual([edges[0]!.id, edges[1]!.id]);
    expect(more.nodes).toBe(nodes);
    const less = pickWire(more, edges[1]!.id, true);
    expect(picked(less.edges)).toEqual([edges[0]!.id]);
  });

  it('clearing returns the same array when no wire is selected', () => {
    const cleared = clearWires(edges);
    expect(picked(cleared)).toEqual([]);
    expect(cleared[0]).toBe(edges[0]);
    expect(clearWires(cleared)).toBe(cleared);
  });

  it('finds the wire a click landed on from the element, or none', () => {
    const hit = { closest: (s: string) => (s === '[data-wire]' ? { getAttribute: () => 'w1' } : null) };
    expect(wireIdAt(hit as unknown as EventTarget)).toBe('w1');
    expect(wireIdAt({ closest: () => null } as unknown as EventTarget)).toBeUndefined();
    expect(wireIdAt(null)).toBeUndefined();
  });
});

describe('deleting a picked wire', () => {
  beforeEach(() => {
    useDocument.setState({
      nodes: nodes.map((n) => ({ ...n, selected: false })),
      edges,
      past: [],
      future: [],
    });
  });

  it('removes only the picked wire, undoably', () => {
    useDocument.setState((s) => pickWire(s, edges[0]!.id, false));
    deleteSelection();
    expect(useDocument.getState().edges.map((e) => e.id)).toEqual([edges[1]!.id, edges[2]!.id]);
    expect(useDocument.getState().nodes).toHaveLength(3);
    undo();
    expect(useDocument.getState().edges.map((e) => e.id)).toEqual(edges.map((e) => e.id));
  });
});
