// The queue that measures a run's continuity figures: what arrives together is measured by one
// ffmpeg, one clip that cannot be read costs only its own figure, and once the shots are done what
// waits is shared over more lanes at full priority. The measure is a stand-in here (the real one is
// held to ffmpeg's own figures in test/engine/continuity.test.ts).
import { describe, expect, it } from 'vitest';
import { FirstFrameQueue } from '../../electron/engine/continuity-queue';
import type { FirstFrameFigures, FirstFrameMeasure } from '../../electron/media/continuity';

interface Call {
  clips: string[];
  background: boolean;
  finish: () => void;
}

/** A measure that waits until the test lets each call finish; "bad" clips fail the whole call. */
function stand() {
  const calls: Call[] = [];
  let running = 0;
  let peak = 0;
  const measure = (items: FirstFrameMeasure[], o: { background?: boolean } = {}) =>
    new Promise<FirstFrameFigures[]>((resolve, reject) => {
      running++;
      peak = Math.max(peak, running);
      calls.push({
        clips: items.map((i) => i.clip),
        background: o.background === true,
        finish: () => {
          running--;
          if (items.some((i) => i.clip.startsWith('bad'))) reject(new Error('unreadable'));
          else
            resolve(items.map((i) => ({ sharpness: i.clip.length, ...(i.lastFrame ? { ssim: 0.9 } : {}) })));
        },
      });
    });
  return { calls, measure, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('the continuity queue', () => {
  it('measures what arrives together in one run, below the run’s priority, and the rest after it', async () => {
    const s = stand();
    const q = new FirstFrameQueue(undefined, s.measure);
    const first = ['a', 'bb', 'ccc'].map((clip) => q.add({ clip }));
    await tick();
    expect(s.calls.map((c) => c.clips)).toEqual([['a', 'bb', 'ccc']]);
    expect(s.calls[0]!.background).toBe(true);
    const later = q.add({ clip: 'dddd', lastFrame: 'c.png' });
    await tick();
    expect(s.calls).toHaveLength(1); // one ffmpeg at a time
    s.calls[0]!.finish();
    expect((await Promise.all(first)).map((f) => f.sharpness)).toEqual([1, 2, 3]);
    await tick();
    expect(s.calls[1]!.clips).toEqual(['dddd']);
    s.calls[1]!.finish();
    expect(await later).toEqual({ sharpness: 4, ssim: 0.9 });
  });

  it('an unreadable clip fails only its own figure', async () => {
    const s = stand();
    const q = new FirstFrameQueue(undefined, s.measure);
    const settling = Promise.allSettled(['a', 'bad', 'cc'].map((clip) => q.add({ clip })));
    for (let i = 0; i < 4; i++) {
      await tick();
      s.calls.at(-1)?.finish();
    }
    const settled = await settling;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(s.calls.map((c) => c.clips)).toEqual([['a', 'bad', 'cc'], ['a'], ['bad'], ['cc']]);
  });

  it('once the shots are done, what waits is shared over the lanes at full priority', async () => {
    const s = stand();
    const q = new FirstFrameQueue(undefined, s.measure);
    const busy = q.add({ clip: 'a' });
    await tick();
    const rest = ['b', 'c', 'd', 'e'].map((clip) => q.add({ clip }));
    q.hurry(2);
    await tick();
    // The running call goes on; the second lane takes what waits, at the run's priority.
    expect(s.calls.map((c) => [c.clips, c.background])).toEqual([
      [['a'], true],
      [['b', 'c', 'd', 'e'], false],
    ]);
    expect(s.peak()).toBe(2);
    for (const c of s.calls) c.finish();
    await Promise.all([busy, ...rest]);
  });

  // The last round's clips land together while an earlier figure is still being measured: many get
  // two new lanes (none waits behind the running measure, none takes them all); a few go to one free
  // lane, not to more processes than cores.
  it.each([
    [
      'many',
      ['b', 'c', 'd', 'e', 'f', 'g', 'h'],
      [
        ['b', 'c', 'd', 'e'],
        ['f', 'g', 'h'],
      ],
      3,
    ],
    ['a few', ['b', 'c', 'd'], [['b', 'c', 'd']], 2],
  ])(
    'once nothing else is left, %s late figures are split as they should be',
    async (_, late, split, peak) => {
      const s = stand();
      const q = new FirstFrameQueue(undefined, s.measure);
      const busy = q.add({ clip: 'a' });
      await tick();
      const rest = late.map((clip) => q.add({ clip }));
      q.hurryBeside(2);
      await tick();
      expect(s.calls.map((c) => [c.clips, c.background])).toEqual([
        [['a'], true],
        ...split.map((clips) => [clips, false]),
      ]);
      expect(s.peak()).toBe(peak);
      for (const c of s.calls) c.finish();
      await Promise.all([busy, ...rest]);
    },
  );

  it('two idle lanes split what waits between them', async () => {
    const s = stand();
    const q = new FirstFrameQueue(undefined, s.measure);
    q.hurry(2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((clip) => q.add({ clip }));
    await tick();
    expect(s.calls.map((c) => c.clips)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    for (const c of s.calls) c.finish();
    await Promise.all(all);
  });

  it('a backlog of more than a batch is measured at the run’s priority, in full batches, so it cannot pile up', async () => {
    const s = stand();
    const q = new FirstFrameQueue(undefined, s.measure);
    const first = q.add({ clip: 'a' });
    await tick();
    // While the first runs, a machine busy with other work lets 20 more arrive.
    const rest = Array.from({ length: 20 }, (_, i) => q.add({ clip: `c${i}` }));
    s.calls[0]!.finish();
    await first;
    await tick();
    expect(s.calls[1]!.clips).toHaveLength(8);
    expect(s.calls[1]!.background).toBe(false); // 20 waiting: more than a batch
    s.calls[1]!.finish();
    await Promise.all(rest.slice(0, 8));
    await tick();
    expect(s.calls[2]!.background).toBe(false); // 12 left: still more than a batch
    s.calls[2]!.finish();
    await Promise.all(rest.slice(8, 16));
    await tick();
    expect(s.calls[3]!.clips).toHaveLength(4);
    expect(s.calls[3]!.background).toBe(true); // 4 left: caught up
    s.calls[3]!.finish();
    await Promise.all(rest);
  });

  it('once every shot has started, small batches: the last clip never waits behind a long run', async () => {
    const s = stand();
    const q = new FirstFrameQueue(undefined, s.measure);
    q.hurry(1);
    const all = ['a', 'b', 'c', 'd', 'e'].map((clip) => q.add({ clip }));
    for (let i = 0; i < 3; i++) {
      await tick();
      s.calls.at(-1)?.finish();
    }
    await Promise.all(all);
    expect(s.calls.map((c) => [c.clips, c.background])).toEqual([
      [['a', 'b'], false],
      [['c', 'd'], false],
      [['e'], false],
    ]);
  });

  it('in the last round a backlog still drains in full batches', async () => {
    const s = stand();
    const q = new FirstFrameQueue(undefined, s.measure);
    q.hurry(1);
    const all = Array.from({ length: 11 }, (_, i) => q.add({ clip: `c${i}` }));
    for (let i = 0; i < 4; i++) {
      await tick();
      s.calls.at(-1)?.finish();
    }
    await Promise.all(all);
    // 11 waiting: a full batch; then 3 left, which trickle out in pairs.
    expect(s.calls.map((c) => c.clips.length)).toEqual([8, 2, 1]);
  });
});
