// A prepared last frame: its ffmpeg starts before the clip exists and reads it from a pipe once it
// lands. The PNG must be the one extractLastFrame makes from the file, byte for byte, and whatever
// a pipe cannot read is extracted from the file as usual.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { resetToolPaths } from '../../electron/media/ffmpeg';
import {
  extractLastFrame,
  prepareLastFrame,
  preparedLastFrames,
  preparedSeams,
} from '../../electron/media/last-frame';
import { compareFrames, frameNumber, makeClip, streams, tempDir } from '../helpers/media';

const ON = { SHOTGRAPH_PREPARED_SEAMS: 'on' };
let dir: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-prepared-frame-');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A house clip (faststart, as the gateways' clips are) of `seconds` at width × height. */
const houseClip = (name: string, width: number, height: number, seconds = 4) =>
  makeClip(path.join(dir, name), { width, height, seconds, encoder: houseEncoderArgs() });

async function expectSameAsUsual(clip: string, prepared: string) {
  const usual = await extractLastFrame(clip, path.join(dir, `${path.basename(clip)}-usual.png`));
  expect((await readFile(prepared)).equals(await readFile(usual))).toBe(true);
  // And it is the clip's last frame, not merely the same mistake twice.
  const frames = (await streams(clip)).find((s) => s.type === 'video')!.frames;
  const last = await frameNumber(clip, frames - 1, path.join(dir, `${path.basename(clip)}-last.png`));
  expect((await compareFrames(prepared, 0, last, 0)).psnr).toBeGreaterThan(60);
}

describe('prepareLastFrame', () => {
  it('started before its clip exists, it gives the same PNG as extractLastFrame', async () => {
    const out = path.join(dir, 'prepared.png');
    const before = preparedLastFrames();
    const prepared = prepareLastFrame(out, { expectedSec: 4, env: ON });
    const clip = await houseClip('house.mp4', 480, 272);
    expect(await prepared.from(clip)).toBe(out);
    expect(preparedLastFrames()).toBe(before + 1);
    await expectSameAsUsual(clip, out);
    expect((await readdir(dir)).filter((f) => f.endsWith('.bmp'))).toEqual([]);
  });

  it('extracts from the file as usual when the clip keeps its index after its media', async () => {
    // Without +faststart the moov comes last: a pipe cannot reach back for the media.
    const clip = await makeClip(path.join(dir, 'index-last.mp4'), { width: 320, height: 240, seconds: 4 });
    const before = preparedLastFrames();
    const out = path.join(dir, 'index-last.png');
    await prepareLastFrame(out, { expectedSec: 4, env: ON }).from(clip);
    expect(preparedLastFrames()).toBe(before);
    await expectSameAsUsual(clip, out);
  });

  it('is not prepared when switched off, for a long clip, or for an unknown length', async () => {
    const clip = await houseClip('short.mp4', 160, 120);
    const before = preparedLastFrames();
    for (const [name, o] of [
      ['off', { expectedSec: 4, env: { SHOTGRAPH_PREPARED_SEAMS: 'off' } }],
      ['long', { expectedSec: 15, env: ON }],
      ['unknown', { env: ON }],
    ] as const) {
      const out = path.join(dir, `not-prepared-${name}.png`);
      await prepareLastFrame(out, o).from(clip);
      await expectSameAsUsual(clip, out);
    }
    expect(preparedLastFrames()).toBe(before);
    expect(preparedSeams({ SHOTGRAPH_PREPARED_SEAMS: 'off' })).toBe(false);
    expect(preparedSeams(ON)).toBe(true);
  });

  it('without an ffmpeg to start, it fails only when asked for the frame, as extractLastFrame does', async () => {
    const was = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = path.join(dir, 'no-ffmpeg-here');
    resetToolPaths();
    try {
      // The clip may still be downloaded (and kept by its task) before the missing tool is named.
      const prepared = prepareLastFrame(path.join(dir, 'no-tool.png'), { expectedSec: 4, env: ON });
      await expect(prepared.from(path.join(dir, 'house.mp4'))).rejects.toThrow(/FFMPEG_PATH/);
    } finally {
      if (was === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = was;
      resetToolPaths();
    }
  });

  it('cancelled, its waiting ffmpeg ends and leaves no file behind', async () => {
    const sub = path.join(dir, 'cancelled');
    await mkdir(sub);
    const prepared = prepareLastFrame(path.join(sub, 'last-frame.png'), { expectedSec: 4, env: ON });
    prepared.cancel();
    // Asked after all, it still answers, from the file.
    const clip = await houseClip('cancelled/clip.mp4', 160, 120);
    const before = preparedLastFrames();
    await prepared.from(clip);
    expect(preparedLastFrames()).toBe(before);
    expect((await readdir(sub)).sort()).toEqual(['clip.mp4', 'last-frame.png']);
  });
});
