// The next shot of a chain starts on this PNG, so it must be the clip's very last decoded frame.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { extractLastFrame } from '../../electron/media/last-frame';
import { compareFrames, frameNumber, makeClip, size, streams, tempDir } from '../helpers/media';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-last-frame-');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectLastFrame(clip: string, png: string) {
  const frames = (await streams(clip)).find((s) => s.type === 'video')!.frames;
  const last = await frameNumber(clip, frames - 1, path.join(dir, `${path.basename(clip)}-last.png`));
  const before = await frameNumber(clip, frames - 2, path.join(dir, `${path.basename(clip)}-before.png`));
  expect(await size(png)).toEqual(await size(last));
  const same = await compareFrames(png, 0, last, 0);
  expect(same.ssim).toBeGreaterThanOrEqual(0.999);
  expect(same.psnr).toBeGreaterThan(60);
  // The test pattern moves every frame, so the frame before the last is measurably different.
  expect((await compareFrames(png, 0, before, 0)).psnr).toBeLessThan(same.psnr);
}

describe('extractLastFrame', () => {
  it.each([5, 15])('returns the final decoded frame of a %i s house clip', async (seconds) => {
    const clip = await makeClip(path.join(dir, `house-${seconds}.mp4`), {
      width: 480,
      height: 272,
      seconds,
      encoder: houseEncoderArgs(),
    });
    const png = await extractLastFrame(clip, path.join(dir, `house-${seconds}.png`));
    await expectLastFrame(clip, png);
  });

  it('handles a clip with long GOPs (keyframes 10 s apart)', async () => {
    const clip = await makeClip(path.join(dir, 'long-gop.mp4'), {
      width: 320,
      height: 240,
      seconds: 12,
      encoder: ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '240', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    });
    await expectLastFrame(clip, await extractLastFrame(clip, path.join(dir, 'long-gop.png')));
  });

  it('finds the last picture when the sound runs on long after it', async () => {
    const clip = path.join(dir, 'short-picture.mp4');
    await makeClip(clip, {
      width: 320,
      height: 240,
      seconds: 10,
      // The picture stops after 3 s; the tone continues to 10 s.
      encoder: [
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-frames:v',
        '72',
        '-c:a',
        'aac',
      ],
    });
    await expectLastFrame(clip, await extractLastFrame(clip, path.join(dir, 'short-picture.png')));
  });

  it('names the clip when it cannot be read', async () => {
    await expect(extractLastFrame(path.join(dir, 'nope.mp4'), path.join(dir, 'nope.png'))).rejects.toThrow(
      /nope\.mp4/,
    );
  });
});
