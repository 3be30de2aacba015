// Cards under a drag placed straight in xyflow's node lookup: only the moved cards get new
// entries, their absolute position moves with them, and the rest keep their entries (so their
// wrappers, wires and the map see nothing change).
import type { InternalNode } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { placeMoving } from '../../renderer/nodes/moving-cards';

const card = (id: string, x: number, y: number, offset = { x: 0, y: 0 }): InternalNode =>
  ({
    id,
    position: { x, y },
    data: {},
    measured: { width: 248, height: 120 },
    internals: { positionAbsolute: { x: x + offset.x, y: y + offset.y }, z: 0, userNode: { id } },
  }) as unknown as InternalNode;

describe('placeMoving', () => {
  it('replaces the entries of the cards that moved, and no other', () => {
    const a = card('a', 0, 0);
    const b = card('b', 400, 0, { x: 100, y: 50 });
    const c = card('c', 800, 0);
    const lookup = new Map([
      ['a', a],
      ['b', b],
      ['c', c],
    ]);
    const moved = new Map([
      ['b', { x: 424, y: 16 }],
      ['c', { x: 800, y: 0 }], // held still: no new entry
    ]);
    expect(placeMoving(lookup, moved)).toBe(true);
    expect(lookup.get('a')).toBe(a);
    expect(lookup.get('c')).toBe(c);
    const nb = lookup.get('b')!;
    expect(nb).not.toBe(b);
    expect(nb.position).toEqual({ x: 424, y: 16 });
    expect(nb.internals.positionAbsolute).toEqual({ x: 524, y: 66 });
    expect(nb.dragging).toBe(true);
    // What xyflow rebuilds a card from is left as it was: the document still has the old node.
    expect(nb.internals.userNode).toBe(b.internals.userNode);
    expect(nb.measured).toEqual(b.measured);
    // The entry it replaced is untouched (xyflow and the wires compare entries by identity).
    expect(b.position).toEqual({ x: 400, y: 0 });
  });

  it('says nothing moved when the drag holds still or names a card no longer there', () => {
    const a = card('a', 8, 8);
    const lookup = new Map([['a', a]]);
    expect(placeMoving(lookup, new Map([['a', { x: 8, y: 8 }]]))).toBe(false);
    expect(placeMoving(lookup, new Map([['gone', { x: 1, y: 1 }]]))).toBe(false);
    expect(lookup.get('a')).toBe(a);
    expect(lookup.size).toBe(1);
  });
});
