// A chain of animatic shots, each starting on the previous shot's last frame, cut into a film: every
// seam must be continuous (this is what the user sees when a graph is chained shot → shot).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderAnimatic, type AnimaticClip } from '../../electron/media/animatic';
import { renderFinalCut } from '../../electron/media/final-cut';
import type { ShotRequest } from '../../electron/providers/types';
import { makeImage, ssimBetween, streams, tempDir } from '../helpers/media';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-chain-');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('chains three shots through their last frames into a seamless final cut', async () => {
  const opening = await makeImage(path.join(dir, 'harbour-dawn.png'), 1024, 640, 'mandelbrot');
  const prompts = [
    'The ferry leaves the harbour at dawn',
    'Gulls follow the wake',
    'The town shrinks to a line',
  ];
  const durations = [4, 5, 4];
  const shots: AnimaticClip[] = [];
  for (const [i, prompt] of prompts.entries()) {
    const req: ShotRequest = {
      nodeId: `shot-${i + 1}`,
      key: `k${i}`,
      prompt,
      firstFrame: { path: i === 0 ? opening : shots[i - 1]!.lastFrame },
      referenceImages: [],
      referenceVideos: [],
      referenceAudios: [],
      model: 'seedance-2.0',
      duration: durations[i]!,
      ratio: '16:9',
      resolution: '480p',
      generateAudio: true,
      seed: i,
      watermark: false,
    };
    shots.push(await renderAnimatic(req, path.join(dir, `shot-${i + 1}`)));
  }

  const film = await renderFinalCut(
    shots.map((s) => s.video),
    path.join(dir, 'film.mp4'),
  );
  expect(film.mode).toBe('copy');
  expect(Math.abs(film.durationSec - 13)).toBeLessThan(0.1);
  const video = (await streams(film.output)).find((s) => s.type === 'video')!;
  expect(video.frames).toBe(13 * 24);

  const seams = [4, 9];
  for (const seam of seams) {
    // The last frame of one shot against the first frame of the next.
    const ssim = await ssimBetween(film.output, seam - 0.5 / 24, film.output, seam + 0.5 / 24);
    expect(ssim, `seam at ${seam}s`).toBeGreaterThanOrEqual(0.9);
  }
  // Control: the camera really moved, so the ends of one shot are not alike.
  expect(await ssimBetween(film.output, 0, film.output, 4 - 0.5 / 24)).toBeLessThan(0.9);
});
