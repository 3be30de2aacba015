// A prepared first-frame measure: its ffmpeg starts before the clip exists, is given its filters
// and the clip once it lands. Its figures must be the ones measureFirstFrames gives from the file,
// exactly; whatever a pipe cannot read is measured from the file as usual; a cancelled one stops.
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { measureFirstFrames, prepareFirstFrame, preparedFirstFrames } from '../../electron/media/continuity';
import { extractLastFrame } from '../../electron/media/last-frame';
import { makeClip, tempDir } from '../helpers/media';

const ON = { SHOTGRAPH_PREPARED_SEAMS: 'on' };
const live = () =>
  (globalThis as Record<symbol, Set<unknown>>)[Symbol.for('shotgraph.ffmpeg.children')]?.size ?? 0;
let dir: string;
let lastFrame: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-prepared-first-');
  // The shot before: its last frame is what the next clip's first frame is compared with.
  const before = await makeClip(path.join(dir, 'before.mp4'), {
    width: 480,
    height: 272,
    seconds: 2,
    encoder: houseEncoderArgs(),
  });
  lastFrame = await extractLastFrame(before, path.join(dir, 'before-last.png'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A house clip (faststart, as the gateways' clips are), made after the measure was prepared. */
const houseClip = (name: string, width = 480, height = 272, seconds = 2) =>
  makeClip(path.join(dir, name), { width, height, seconds, encoder: houseEncoderArgs() });

describe('prepareFirstFrame', () => {
  it('started before its clip exists, measures the seam and sharpness measureFirstFrames does', async () => {
    const before = preparedFirstFrames();
    const prepared = prepareFirstFrame(lastFrame, { env: ON });
    expect(live()).toBeGreaterThan(0); // ffmpeg is up, waiting
    // Another size than the last frame: the clip is scaled to it for the seam, not for sharpness.
    // Larger than a pipe holds: ffmpeg stops reading after the first frame, which is no failure.
    const clip = await houseClip('next.mp4', 640, 360, 4);
    expect((await stat(clip)).size).toBeGreaterThan(256 * 1024);
    const figures = await prepared.from(clip);
    expect(preparedFirstFrames()).toBe(before + 1);
    const [usual] = await measureFirstFrames([{ clip, lastFrame }]);
    expect(figures).toEqual(usual);
    expect(figures.ssim).toBeGreaterThan(0);
    expect(figures.ssim).toBeLessThan(1);
    expect(figures.sharpness).toBeGreaterThan(0);
  });

  it('measures only the sharpness of a clip that starts no seam', async () => {
    const before = preparedFirstFrames();
    const prepared = prepareFirstFrame(undefined, { env: ON });
    const clip = await houseClip('first.mp4');
    const figures = await prepared.from(clip);
    expect(preparedFirstFrames()).toBe(before + 1);
    expect(figures).toEqual((await measureFirstFrames([{ clip }]))[0]);
    expect(figures.ssim).toBeUndefined();
  });

  it('measures from the file as usual when the clip keeps its index after its media', async () => {
    // Without +faststart the moov comes last: a pipe cannot reach back for the media.
    const before = preparedFirstFrames();
    const prepared = prepareFirstFrame(lastFrame, { env: ON });
    const clip = await makeClip(path.join(dir, 'index-last.mp4'), { width: 480, height: 272, seconds: 2 });
    const figures = await prepared.from(clip);
    expect(preparedFirstFrames()).toBe(before);
    expect(figures).toEqual((await measureFirstFrames([{ clip, lastFrame }]))[0]);
  });

  it('starts nothing when switched off; a cancelled one stops its ffmpeg', async () => {
    const idle = live();
    const off = prepareFirstFrame(lastFrame, { env: { SHOTGRAPH_PREPARED_SEAMS: 'off' } });
    expect(live()).toBe(idle);
    const clip = await houseClip('off.mp4');
    expect(await off.from(clip)).toEqual((await measureFirstFrames([{ clip, lastFrame }]))[0]);

    const waiting = prepareFirstFrame(lastFrame, { env: ON });
    expect(live()).toBe(idle + 1);
    waiting.cancel();
    for (let i = 0; i < 200 && live() > idle; i++) await new Promise((r) => setTimeout(r, 10));
    expect(live()).toBe(idle);
    // Once cancelled it still answers, from the file.
    expect(await waiting.from(clip)).toEqual((await measureFirstFrames([{ clip, lastFrame }]))[0]);
  });
});
