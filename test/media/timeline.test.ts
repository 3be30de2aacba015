// Rendering the timeline's pictures: crossfades and fades through black in one filtergraph pass,
// trims to the frame, output presets, and stream copy whenever the pictures need nothing.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { renderFinalCut, type CutTimeline } from '../../electron/media/final-cut';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { ProblemError } from '../../shared/problems';
import {
  durationOf,
  framemd5,
  levelDb,
  makeClip,
  meanLuma,
  ssimBetween,
  streams,
  tempDir,
} from '../helpers/media';

let dir: string;
/** Three 5 s clips with different pictures and a tone, as a provider might deliver them (not house format). */
let clips: string[];
let house: string[];

const SILENT_LOUDNESS = { loudness: { enabled: false } };
const timeline = (params: Record<string, unknown>, clipIds = ['a', 'b', 'c']): CutTimeline => ({
  nodeId: 'cut',
  clipIds,
  params: finalCutParams.parse({ ...SILENT_LOUDNESS, ...params }),
});
const video = async (file: string) => (await streams(file)).find((s) => s.type === 'video')!;
const audio = async (file: string) => (await streams(file)).find((s) => s.type === 'audio')!;

beforeAll(async () => {
  dir = await tempDir('shotgraph-timeline-');
  const patterns = ['testsrc2', 'mandelbrot', 'smptebars'] as const;
  clips = await Promise.all(
    patterns.map((pattern, i) =>
      makeClip(path.join(dir, `clip-${i}.mp4`), { width: 480, height: 272, seconds: 5, pattern }),
    ),
  );
  house = [];
  for (const [i, pattern] of patterns.entries()) {
    house.push(
      await makeClip(path.join(dir, `house-${i}.mp4`), {
        width: 480,
        height: 272,
        seconds: 4,
        pattern,
        encoder: houseEncoderArgs(),
      }),
    );
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transitions', () => {
  it('three 5 s clips with two 1 s crossfades last 13.0 s; mid-crossfade frames blend both clips', async () => {
    const out = path.join(dir, 'crossfades.mp4');
    const seen: number[] = [];
    const cut = await renderFinalCut(clips, out, {
      timeline: timeline({
        transitions: { b: { type: 'crossfade', duration: 1 }, c: { type: 'crossfade', duration: 1 } },
      }),
      onProgress: (f) => seen.push(f),
    });
    expect(cut.mode).toBe('filtered');
    expect(Math.abs((await durationOf(out)) - 13)).toBeLessThanOrEqual(0.1);
    expect(cut.durationSec).toBeCloseTo(13, 2);
    expect((await video(out)).frames).toBe(13 * 24);
    expect(Math.abs((await audio(out)).durationSec - 13)).toBeLessThan(0.03);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);

    // Outside the transitions the film shows one clip; mid-crossfade it shows both, half each.
    expect(await ssimBetween(out, 2, clips[0]!, 2)).toBeGreaterThan(0.9);
    expect(await ssimBetween(out, 6.5, clips[1]!, 2.5)).toBeGreaterThan(0.9);
    const toA = await ssimBetween(out, 4.5, clips[0]!, 4.5);
    const toB = await ssimBetween(out, 4.5, clips[1]!, 0.5);
    for (const s of [toA, toB]) {
      expect(s).toBeLessThan(0.85);
      expect(s).toBeGreaterThan(0.2);
    }
    // The second crossfade starts at 8 s (5 + 5 − 1 − 1 + 1 − 1 … each clip starts 1 s before the last ends).
    expect(await ssimBetween(out, 8.5, clips[2]!, 0.5)).toBeLessThan(0.85);
    expect(await ssimBetween(out, 9.5, clips[2]!, 1.5)).toBeGreaterThan(0.9);
  });

  it('a fade through black after a cut is black mid-transition, sound included, and not a quarter in', async () => {
    const out = path.join(dir, 'fade-black.mp4');
    await renderFinalCut(clips, out, {
      timeline: timeline({ transitions: { c: { type: 'fade_black', duration: 1 } } }),
    });
    expect(Math.abs((await durationOf(out)) - 14)).toBeLessThanOrEqual(0.1);
    expect(await ssimBetween(out, 5 + 1 / 48, clips[1]!, 1 / 48)).toBeGreaterThan(0.9); // the cut
    expect(await meanLuma(out, 9.5)).toBeLessThan(20); // black is 16 in video range
    expect(await meanLuma(out, 9.25)).toBeGreaterThan(30);
    expect(await meanLuma(out, 9.75)).toBeGreaterThan(30);
    const steady = await levelDb(out, 7, 8);
    expect(await levelDb(out, 9.48, 9.52)).toBeLessThan(steady - 20);
  });

  it('trims change the length exactly and start each clip at its in point', async () => {
    const out = path.join(dir, 'trims.mp4');
    const cut = await renderFinalCut(clips, out, {
      timeline: timeline({
        clips: { a: { trim_in: 1, trim_out: 4 }, b: { trim_out: 2.5 }, c: { trim_in: 0.5 } },
      }),
    });
    expect(cut.mode).toBe('filtered');
    expect((await video(out)).frames).toBe(10 * 24); // 3 + 2.5 + 4.5 s
    expect(Math.abs((await durationOf(out)) - 10)).toBeLessThanOrEqual(0.05);
    expect(await ssimBetween(out, 0, clips[0]!, 1)).toBeGreaterThan(0.9);
    expect(await ssimBetween(out, 0, clips[0]!, 0)).toBeLessThan(0.9); // the check can fail
    expect(await ssimBetween(out, 5.5 + 1 / 48, clips[2]!, 0.5 + 1 / 48)).toBeGreaterThan(0.9);
  });

  it('refuses a transition longer than a clip after trims, naming the field, before encoding anything', async () => {
    const out = path.join(dir, 'refused.mp4');
    const err = await renderFinalCut(clips, out, {
      timeline: timeline({
        clips: { a: { trim_out: 0.5 } },
        transitions: { b: { type: 'crossfade', duration: 1 } },
      }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).problems).toEqual([
      expect.objectContaining({
        nodeId: 'cut',
        field: 'transitions.b.duration',
        code: 'timeline.transition-too-long',
      }),
    ]);
  });
});

describe('fast path and presets', () => {
  it('a timeline that asks nothing of the pictures keeps stream copy, gain and loudness included', async () => {
    const out = path.join(dir, 'copy.mp4');
    const cut = await renderFinalCut(house, out, {
      timeline: timeline({ clips: { b: { gain_db: -12 } }, loudness: { enabled: true, target_lufs: -14 } }),
    });
    expect(cut.mode).toBe('copy');
    expect(await framemd5(out)).toEqual((await Promise.all(house.map(framemd5))).flat());
    expect(cut.loudness).toBeDefined();
  });

  it('per-clip gain changes the measured level of that clip only', async () => {
    const out = path.join(dir, 'gain.mp4');
    const cut = await renderFinalCut(house, out, { timeline: timeline({ clips: { b: { gain_db: -12 } } }) });
    expect(cut.mode).toBe('copy');
    const [a, b, c] = [
      await levelDb(out, 0.5, 3.5),
      await levelDb(out, 4.5, 7.5),
      await levelDb(out, 8.5, 11.5),
    ];
    expect(b - a).toBeGreaterThan(-13);
    expect(b - a).toBeLessThan(-11);
    expect(Math.abs(c - a)).toBeLessThan(0.5);
  });

  it('preset 480p / H.265 / 25 fps re-encodes to that size, codec and rate', async () => {
    const h265 = await runFfmpeg([
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=s=64x64:d=0.1',
      '-c:v',
      'libx265',
      '-f',
      'null',
      '-',
    ]).then(
      () => true,
      () => false,
    );
    const codec = h265 ? 'h265' : 'h264';
    const out = path.join(dir, 'preset.mp4');
    const cut = await renderFinalCut(house.slice(0, 2), out, {
      timeline: timeline({ preset: { resolution: '480p', fps: 25, codec, quality: 'draft' } }, ['a', 'b']),
    });
    expect(cut.mode).toBe('filtered');
    const v = await video(out);
    // 480×272 is 30:17; at a 480-pixel short side the width is the nearest even 847.
    expect(v).toMatchObject({
      codec: h265 ? 'hevc' : 'h264',
      width: 848,
      height: 480,
      fps: '25/1',
      frames: 200,
    });
    expect(Math.abs((await audio(out)).durationSec - 8)).toBeLessThan(0.03);
    expect(await ssimBetween(out, 1, house[0]!, 1)).toBeGreaterThan(0.8);
  });
});
