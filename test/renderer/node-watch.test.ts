// Which cards moved, for their wires: one listener on xyflow's store, fanned out per card.
import { describe, expect, it } from 'vitest';
import { watchNodes } from '../../renderer/nodes/node-watch';

describe('node watch', () => {
  it('tells a card’s watchers only when that card changes, and stops listening with the last', () => {
    let state = {
      nodeLookup: new Map<string, unknown>([
        ['a', { v: 1 }],
        ['b', { v: 1 }],
      ]),
    };
    const subs = new Set<() => void>();
    const store = {
      getState: () => state as never,
      subscribe: (l: () => void) => (subs.add(l), () => subs.delete(l)),
    };
    const watch = watchNodes(store);
    const heard: string[] = [];
    const offA = watch.subscribe('a', () => heard.push('a'));
    const offB = watch.subscribe('b', () => heard.push('b'));
    expect(subs.size).toBe(1);
    const bump = (id: string) => {
      state.nodeLookup.set(id, { v: 2 });
      state = { ...state };
      for (const l of subs) l();
    };
    bump('b');
    bump('b');
    expect(heard).toEqual(['b', 'b']);
    for (const l of subs) l(); // a store update that touched no card (a pan)
    expect(heard).toEqual(['b', 'b']);
    expect(watch.card('b')).toBe(state.nodeLookup.get('b'));
    offA();
    offB();
    expect(subs.size).toBe(0);
  });
});
