// The last round's continuity ffmpegs (docs/architecture.md §5.2): once every shot has started and
// every create is answered, each in-flight chained shot's figures get an ffmpeg started ahead of its
// clip, one after another rather than all at once, so no process start (which holds the event loop
// while it forks) lands on a create or on the clips landing together. The clock is the test's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContinuityAhead } from '../../electron/engine/continuity';
import type { NodeOutput } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';

/** Three chains, a1 → b1, a2 → b2, a3 → b3: the b shots are the last round. */
function threeChains(): Graph {
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  for (const c of [1, 2, 3]) {
    for (const s of ['a', 'b']) nodes.push({ id: `${s}${c}`, type: 'shot', params: { duration: 4 } });
    edges.push({ source: `a${c}`, sourcePort: 'last_frame', target: `b${c}`, targetPort: 'first_frame' });
  }
  return { format: 'shotgraph', version: 2, name: 'last round', nodes, edges };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the last round', () => {
  it('starts its figures’ ffmpegs once every create is answered, 50 ms apart', () => {
    const outputs = new Map<string, NodeOutput>(
      [1, 2, 3].map((c) => [`a${c}`, { video: `/film/a${c}.mp4`, last_frame: `/film/a${c}-last.png` }]),
    );
    const started: { last: string | undefined; at: number }[] = [];
    const ahead = new ContinuityAhead(threeChains(), outputs, new Map(), undefined, (last) => {
      started.push({ last, at: Date.now() });
      return { from: async () => ({ sharpness: 1 }), cancel: () => undefined };
    });
    const t0 = Date.now();
    // b1 and b2 are at their gateways before the last shot starts; b3's create is still out.
    for (const id of ['b1', 'b2']) {
      ahead.shotStarted(id);
      ahead.shotSubmitted(id);
    }
    expect(started).toEqual([]); // not the last round yet
    ahead.shotStarted('b3');
    ahead.shotsStarted();
    vi.advanceTimersByTime(500);
    expect(started).toEqual([]); // b3's create is not answered: nothing may hold it up
    ahead.shotSubmitted('b3');
    expect(started.map((s) => s.last)).toEqual(['/film/a1-last.png']);
    vi.advanceTimersByTime(49);
    expect(started).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(started).toHaveLength(2);
    vi.advanceTimersByTime(50);
    expect(started.map((s) => s.last)).toEqual([
      '/film/a1-last.png',
      '/film/a2-last.png',
      '/film/a3-last.png',
    ]);
    expect(started.map((s) => s.at - t0)).toEqual([500, 550, 600]);
  });

  it('leaves a shot whose clip is already coming to the usual start, and starts nothing after a cancel', () => {
    const outputs = new Map<string, NodeOutput>(
      [1, 2, 3].map((c) => [`a${c}`, { video: `/film/a${c}.mp4`, last_frame: `/film/a${c}-last.png` }]),
    );
    const controller = new AbortController();
    const started: (string | undefined)[] = [];
    const ahead = new ContinuityAhead(threeChains(), outputs, new Map(), controller.signal, (last) => {
      started.push(last);
      return { from: async () => ({ sharpness: 1 }), cancel: () => undefined };
    });
    for (const id of ['b1', 'b2', 'b3']) ahead.shotStarted(id);
    ahead.shotsStarted();
    for (const id of ['b1', 'b2', 'b3']) ahead.shotSubmitted(id);
    expect(started).toEqual(['/film/a1-last.png']);
    // b2's gateway is done before its turn: its ffmpeg starts then, once, and the queue moves on.
    ahead.clipComing('b2');
    expect(started).toEqual(['/film/a1-last.png', '/film/a2-last.png']);
    controller.abort();
    vi.advanceTimersByTime(1000);
    expect(started).toEqual(['/film/a1-last.png', '/film/a2-last.png']);
  });
});
