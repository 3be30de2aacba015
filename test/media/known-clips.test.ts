// Know each file once (issue 17): the final cut takes what earlier probes learnt of its clips'
// bytes (media-facts.ts) instead of running ffprobe again, and still tells clips apart that cannot
// be joined by stream copy. ffprobe is counted through a wrapper named by FFPROBE_PATH.
import { readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { resetToolPaths } from '../../electron/media/ffmpeg';
import { renderFinalCut, type CutTimeline } from '../../electron/media/final-cut';
import {
  factsLearnt,
  forgetMediaFacts,
  loadMediaFacts,
  saveMediaFacts,
} from '../../electron/media/media-facts';
import { probeMedia } from '../../electron/media/probe';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { audioSamples, makeClip, streams, tempDir } from '../helpers/media';
import { toolCalls, type ToolCalls } from '../helpers/tool-calls';

let dir: string;
let ffprobe: ToolCalls;
let ffmpeg: ToolCalls;
let saved: string | undefined;
let savedFfmpeg: string | undefined;
const ffmpegCalls = () => ffmpeg.calls();
const calls = () => ffprobe.calls().length;
const house = (name: string, seconds: number, extra: string[] = []) =>
  makeClip(path.join(dir, name), {
    width: 480,
    height: 272,
    seconds,
    encoder: [...houseEncoderArgs(), ...extra],
  });

/** The MP4's top-level box types, in file order. */
function topLevelBoxes(file: string): string[] {
  const bytes = readFileSync(file);
  const types: string[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at);
    types.push(bytes.toString('latin1', at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return types;
}

beforeAll(async () => {
  dir = await tempDir('shotgraph-known-clips-');
  ffprobe = toolCalls(dir, 'ffprobe');
  ffmpeg = toolCalls(dir, 'ffmpeg');
  saved = process.env.FFPROBE_PATH;
  savedFfmpeg = process.env.FFMPEG_PATH;
  process.env.FFPROBE_PATH = ffprobe.wrapper;
  process.env.FFMPEG_PATH = ffmpeg.wrapper;
  resetToolPaths();
});

afterAll(async () => {
  if (saved === undefined) delete process.env.FFPROBE_PATH;
  else process.env.FFPROBE_PATH = saved;
  if (savedFfmpeg === undefined) delete process.env.FFMPEG_PATH;
  else process.env.FFMPEG_PATH = savedFfmpeg;
  resetToolPaths();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => forgetMediaFacts());
afterEach(() => forgetMediaFacts());

describe('a final cut of clips already probed', () => {
  it('runs no ffprobe and still makes the whole film, sound in sync', async () => {
    const clips = [await house('a.mp4', 2), await house('b.mp4', 3), await house('c.mp4', 2)];
    for (const c of clips) await probeMedia(c); // what validation does before a render
    const before = calls();
    const out = path.join(dir, 'films', 'known.mp4');
    const cut = await renderFinalCut(clips, out);
    expect(calls() - before).toBe(0);
    expect(cut.mode).toBe('copy');
    expect(cut.durationSec).toBeCloseTo(7, 3);
    const video = (await streams(out)).find((s) => s.type === 'video')!;
    expect(video.frames).toBe(7 * 24);
    expect(Math.abs((await audioSamples(out)).length / 48000 - 7)).toBeLessThanOrEqual(1024 / 48000);
    // The index comes before the media (the film plays while it downloads), written in one pass.
    expect(topLevelBoxes(out).filter((b) => b === 'moov' || b === 'mdat')).toEqual(['moov', 'mdat']);
  });

  it('knows the same bytes under another name: read once for both, no ffprobe', async () => {
    const a = await house('same.mp4', 2);
    const copy = path.join(dir, 'elsewhere', 'same.mp4');
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(a, copy);
    const [before, learntBefore] = [calls(), factsLearnt()];
    const [x, y] = [await probeMedia(a), await probeMedia(copy)];
    expect(factsLearnt() - learntBefore).toBe(1);
    expect(calls() - before).toBe(0); // a plain MP4: its headers are read in process (mp4-facts.ts)
    expect(y).toEqual(x);
  });

  it('tells apart clips whose H.264 headers differ, from the cached facts alone', async () => {
    const a = await house('sps-a.mp4', 2);
    const b = await house('sps-b.mp4', 2, ['-x264-params', 'ref=5']);
    const [pa, pb] = [await probeMedia(a), await probeMedia(b)];
    expect(pa.video?.extradata).toMatch(/^MD5:/);
    expect(pb.video?.extradata).not.toBe(pa.video?.extradata);
    const cut = await renderFinalCut([a, b], path.join(dir, 'films', 'sps.mp4'), {
      workDir: path.join(dir, 'normalised'),
    });
    expect(cut.mode).toBe('normalised');
    const video = (await streams(cut.output)).find((s) => s.type === 'video')!;
    expect(video.frames).toBe(4 * 24);
  });

  it('trusts facts written by this version only: an older file is probed afresh', async () => {
    const project = path.join(dir, 'project');
    const state = path.join(project, '.shotgraph');
    await mkdir(project, { recursive: true });
    const clip = path.join(project, 'clip.mp4');
    await copyFile(await house('p.mp4', 2), clip);
    await probeMedia(clip);
    await saveMediaFacts(state, project);
    forgetMediaFacts();
    await loadMediaFacts(state, project);
    let before = factsLearnt();
    await probeMedia(clip);
    expect(factsLearnt() - before).toBe(0); // a restart: known from the project's facts file

    // The same facts stamped version 1 (no extradata hashes): not one of them is used.
    const file = path.join(state, 'media-facts.json');
    const facts = JSON.parse(readFileSync(file, 'utf8')) as { version: number };
    writeFileSync(file, JSON.stringify({ ...facts, version: 1 }));
    forgetMediaFacts();
    await loadMediaFacts(state, project);
    before = factsLearnt();
    await probeMedia(clip);
    expect(factsLearnt() - before).toBe(1);
  });

  it('measures each clip’s sound once: the same film asked again, or with another gain, decodes no sound', async () => {
    const clips = [await house('l-a.mp4', 2), await house('l-b.mp4', 2)];
    const timeline: CutTimeline = {
      nodeId: 'cut',
      clipIds: ['a', 'b'],
      params: finalCutParams.parse({
        clips: { b: { gain_db: -6 } },
        loudness: { enabled: true, target_lufs: -16 },
      }),
    };
    // A measurement decodes sound to raw samples (a clip's figures) or through ebur128 (a whole mix).
    const measures = () => ffmpegCalls().filter((c) => /ebur128|pcm_f32le/.test(c)).length;
    const first = await renderFinalCut(clips, path.join(dir, 'films', 'loud-1.mp4'), { timeline });
    const measured = measures();
    expect(measured).toBe(1); // both clips, one ffmpeg; the film's loudness pooled from them
    const again = await renderFinalCut(clips, path.join(dir, 'films', 'loud-2.mp4'), { timeline });
    expect(measures()).toBe(measured);
    expect(again.loudness).toEqual(first.loudness);
    // Another gain is another mix, pooled from the same clips' figures: nothing decoded again.
    const louder = {
      ...timeline,
      params: finalCutParams.parse({ loudness: { enabled: true, target_lufs: -16 } }),
    };
    const third = await renderFinalCut(clips, path.join(dir, 'films', 'loud-3.mp4'), { timeline: louder });
    expect(measures()).toBe(measured);
    expect(third.loudness?.measuredLufs).not.toBeCloseTo(first.loudness!.measuredLufs, 1);
  });
});
