// The continuity report (shared/continuity.ts, electron/engine/continuity.ts) on real clips made by
// ffmpeg: a chain that continues cleanly scores a near-perfect seam and keeps its sharpness, and the
// same chain with its last continuation blurred (boxblur on the real clip) triggers both warnings.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import {
  ContinuityAhead,
  loadContinuityMemo,
  measureContinuity,
  saveContinuityMemo,
} from '../../electron/engine/continuity';
import { findTool } from '../../electron/media/binaries';
import { resetToolPaths } from '../../electron/media/ffmpeg';
import { laplacianVariance } from '../../electron/media/continuity';
import { extractLastFrame } from '../../electron/media/last-frame';
import { chains, judgeChain, judgeSeam } from '../../shared/continuity';
import type { NodeOutput } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { tempDir } from '../helpers/media';

const ffmpeg = (...args: string[]) => execFileSync(findTool('ffmpeg'), ['-v', 'error', '-y', ...args]);
// Lossless, so the clean chain loses nothing to compression and any loss measured is the blur's.
const x264 = ['-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv420p', '-r', '24'];

/** Three shots, each starting on the last frame of the one before. */
const chain: Graph = {
  format: 'shotgraph',
  version: 2,
  name: 'chain',
  nodes: ['a', 'b', 'c'].map((id) => ({ id, type: 'shot', params: {} })),
  edges: [
    { source: 'a', sourcePort: 'last_frame', target: 'b', targetPort: 'first_frame' },
    { source: 'b', sourcePort: 'last_frame', target: 'c', targetPort: 'first_frame' },
  ],
};

let dir: string;
const clips: Record<string, NodeOutput> = {};

beforeAll(async () => {
  dir = await tempDir('shotgraph-continuity-');
  const at = (f: string) => path.join(dir, f);
  // a: a grainy grey test pattern (detail everywhere, as in a real shot; grey, so converting the
  // frame between RGB and YUV clips nothing and a clean continuation loses nothing); b: continues on a's last frame; c: continues on b's last frame, and a
  // blurred copy of the same real clip stands in for a continuation that went soft.
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=480x270,format=gray,noise=alls=20',
    '-frames:v',
    '1',
    at('grain.png'),
  );
  ffmpeg('-loop', '1', '-i', at('grain.png'), '-t', '1', ...x264, at('a.mp4'));
  await extractLastFrame(at('a.mp4'), at('a.png'));
  ffmpeg('-loop', '1', '-i', at('a.png'), '-t', '1', ...x264, at('b.mp4'));
  await extractLastFrame(at('b.mp4'), at('b.png'));
  ffmpeg('-loop', '1', '-i', at('b.png'), '-t', '1', ...x264, at('c.mp4'));
  await extractLastFrame(at('c.mp4'), at('c.png'));
  ffmpeg('-i', at('c.mp4'), '-vf', 'boxblur=4:2', ...x264, at('c-blurred.mp4'));
  for (const id of ['a', 'b', 'c']) clips[id] = { video: at(`${id}.mp4`), last_frame: at(`${id}.png`) };
}, 180_000);

describe('continuity report', () => {
  it('a clean chain: seams near 1, sharpness kept, no warning', async () => {
    const report = await measureContinuity(chain, new Map(Object.entries(clips)));
    expect(report.seams.map((s) => [s.from, s.to])).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    for (const s of report.seams) expect(s.ssim).toBeGreaterThan(0.95);
    expect(report.chains).toHaveLength(1);
    const ratios = report.chains[0]!.shots.map((s) => s.ratio);
    expect(ratios[0]).toBe(1);
    for (const r of ratios) expect(r).toBeGreaterThan(0.85);
    expect(report.warnings).toEqual([]);
  });

  it('a blurred continuation triggers the seam and the chain warnings', async () => {
    const blurred = { ...clips, c: { ...clips.c!, video: path.join(dir, 'c-blurred.mp4') } };
    const report = await measureContinuity(chain, new Map(Object.entries(blurred)));
    const seam = report.seams.find((s) => s.to === 'c')!;
    expect(seam.ssim).toBeLessThan(0.8);
    expect(seam.warning).toMatch(/^the cut from "b" to "c" jumps: SSIM 0\.\d{3} is below 0\.8$/);
    const c = report.chains[0]!;
    expect(c.shots.at(-1)!.ratio).toBeLessThan(0.85);
    expect(c.lostPercent).toBeGreaterThan(15);
    expect(c.warning).toMatch(/^the chain from "a" goes soft: "c" starts [\d.]+% less sharp than "a"/);
    expect(report.warnings).toHaveLength(2);
  });

  it('figures are kept by file: a second report reads the memo and measures nothing', async () => {
    const memo = new Map<string, number>();
    const first = await measureContinuity(chain, new Map(Object.entries(clips)), undefined, memo);
    expect([...memo.keys()].map((k) => k.split('|')[0]).sort()).toEqual([
      'sharp',
      'sharp',
      'sharp',
      'ssim',
      'ssim',
    ]);
    // Doctored figures come back as they are: proof that nothing was measured again.
    for (const k of memo.keys()) memo.set(k, k.startsWith('ssim') ? 0.5 : 10);
    const again = await measureContinuity(chain, new Map(Object.entries(clips)), undefined, memo);
    expect(again.seams.map((s) => s.ssim)).toEqual([0.5, 0.5]);
    expect(again.warnings).toHaveLength(2);
    expect(first.warnings).toEqual([]);
    // Saved and loaded through the project's state folder; a damaged file is an empty memo.
    await saveContinuityMemo(dir, memo);
    expect(await loadContinuityMemo(dir)).toEqual(memo);
    writeFileSync(path.join(dir, 'continuity.json'), '{"ssim|x": "0.9", "a": [1]');
    expect((await loadContinuityMemo(dir)).size).toBe(0);
  });

  it('a chain of animatic stand-ins is measured, not judged; its seams still are', async () => {
    const blurred = { ...clips, c: { ...clips.c!, video: path.join(dir, 'c-blurred.mp4') } };
    const outputs = new Map(Object.entries(blurred));
    const report = await measureContinuity(
      chain,
      outputs,
      undefined,
      new Map(),
      undefined,
      (id) => id === 'b',
    );
    const c = report.chains[0]!;
    expect(c.standIn).toBe(true);
    expect(c.lostPercent).toBeGreaterThan(15); // the same figures as judged above
    expect(c.warning).toBeUndefined();
    expect(c.shots.filter((s) => s.soft)).toEqual([]);
    expect(report.warnings).toEqual([expect.stringMatching(/^the cut from "b" to "c" jumps/)]);
  });

  it('a shot without a clip leaves its seams and chain out rather than guessing', async () => {
    const partial = new Map(Object.entries({ a: clips.a!, b: clips.b! }));
    const report = await measureContinuity(chain, partial);
    expect(report.seams.map((s) => s.to)).toEqual(['b']);
    expect(report.chains).toEqual([]);
  });
});

describe('the verdict', () => {
  it('thresholds: a seam below 0.8, a chain that lost more than 15 %', () => {
    expect(judgeSeam('a', 'b', 0.8).warning).toBeUndefined();
    expect(judgeSeam('a', 'b', 0.799).warning).toBeDefined();
    const kept = judgeChain([
      { nodeId: 'a', sharpness: 100 },
      { nodeId: 'b', sharpness: 85 },
    ]);
    expect(kept).toMatchObject({ lostPercent: 15 });
    expect(kept.warning).toBeUndefined();
    const lost = judgeChain([
      { nodeId: 'a', sharpness: 100 },
      { nodeId: 'b', sharpness: 90 },
      { nodeId: 'c', sharpness: 80 },
    ]);
    expect(lost.lostPercent).toBe(20);
    // Only the shot beyond the limit is flagged on its card.
    expect(lost.shots.map((s) => !!s.soft)).toEqual([false, false, true]);
    expect(lost.warning).toMatch(/"c" starts 20% less sharp/);
  });

  it('chains follow last frame → first frame links, one per branch of a fork', () => {
    const fork: Graph = {
      ...chain,
      nodes: [...chain.nodes, { id: 'd', type: 'shot', params: {} }],
      edges: [
        ...chain.edges,
        { source: 'b', sourcePort: 'last_frame', target: 'd', targetPort: 'first_frame' },
      ],
    };
    expect(chains(fork)).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'd'],
    ]);
  });

  it('the Laplacian of a flat frame is 0 and of a checkerboard is large', () => {
    const flat = { width: 4, height: 4, data: new Uint8Array(16).fill(128) };
    expect(laplacianVariance(flat)).toBe(0);
    const board = {
      width: 4,
      height: 4,
      data: Uint8Array.from({ length: 16 }, (_, i) => ((i + (i >> 2)) % 2) * 255),
    };
    expect(laplacianVariance(board)).toBeGreaterThan(1e5);
  });
});

describe('figures measured while the run goes on', () => {
  it('each node queues what it completes; the report after the last shot measures nothing itself', async () => {
    const outputs = new Map<string, NodeOutput>();
    const memo = new Map<string, number>();
    const ahead = new ContinuityAhead(chain, outputs, memo);
    // Shots finish one by one, as in a run: each makes its figures measurable.
    for (const id of ['a', 'b', 'c']) {
      outputs.set(id, clips[id]!);
      ahead.nodeDone(id);
    }
    await ahead.drain();
    // Every ffmpeg from here on is counted: the report must take all its figures from `ahead`.
    const log = path.join(dir, 'ffmpeg-calls.log');
    const wrapper = path.join(dir, 'ffmpeg-counting');
    writeFileSync(wrapper, `#!/bin/sh\necho x >> "${log}"\nexec "${findTool('ffmpeg')}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = wrapper;
    resetToolPaths();
    try {
      const report = await measureContinuity(chain, outputs, undefined, memo, ahead);
      expect(existsSync(log)).toBe(false);
      // The same figures as a report measured from nothing.
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
      resetToolPaths();
      expect(report).toEqual(await measureContinuity(chain, outputs));
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
      resetToolPaths();
    }
  });

  it('a figure known from an earlier run is not measured ahead; a failed one is measured by the report', async () => {
    const outputs = new Map(Object.entries(clips));
    const memo = new Map<string, number>();
    await measureContinuity(chain, outputs, undefined, memo);
    // A figure no measure would give: seen again only if it came from the memo.
    const sharpA = [...memo.keys()].find((k) => k.startsWith(`sharp|${clips.a!.video}|`))!;
    memo.set(sharpA, 0.1234);
    const ahead = new ContinuityAhead(chain, outputs, memo);
    const gone = path.join(dir, 'no-such-clip.mp4');
    const missing = new Map(
      Object.entries({ ...clips, c: { video: gone, last_frame: clips.c!.last_frame! } }),
    );
    const broken = new ContinuityAhead(chain, missing, new Map());
    for (const id of ['a', 'b', 'c']) {
      ahead.nodeDone(id);
      broken.nodeDone(id);
    }
    await Promise.all([ahead.drain(), broken.drain()]);
    expect(await ahead.get(`sharp|${clips.a!.video}`)).toBe(0.1234);
    await expect(broken.get(`sharp|${gone}`)).rejects.toThrow();
    // The report does not take the failure for a figure: it measures again and fails in its own words.
    await expect(measureContinuity(chain, missing, undefined, new Map(), broken)).rejects.toThrow();
  });
});
