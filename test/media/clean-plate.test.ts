// The clean plate (a shot with no picture of its own) on its own bytes: deterministic, a look of its
// own per shot, dark where white burn-ins sit, and with structure for a camera push to move.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanPlatePixels, writeCleanPlate } from '../../electron/media/clean-plate';
import { lumaRange, size, tempDir } from '../helpers/media';

const [W, H] = [864, 496];
let dir: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-clean-plate-');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Mean of one channel over a band of rows. */
function meanOf(px: Buffer, channel: 0 | 1 | 2, y0: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = 0; x < W; x++) sum += px[(y * W + x) * 3 + channel]!;
  return sum / ((y1 - y0) * W);
}

it('is the same bytes for the same shot, another picture for another', () => {
  const a = cleanPlatePixels(W, H, 'The storm arrives');
  expect(a.length).toBe(W * H * 3);
  expect(cleanPlatePixels(W, H, 'The storm arrives').equals(a)).toBe(true);
  const b = cleanPlatePixels(W, H, 'Morning after');
  const skyA = [0, 1, 2].map((c) => meanOf(a, c as 0, 0, 40));
  const skyB = [0, 1, 2].map((c) => meanOf(b, c as 0, 0, 40));
  expect(Math.max(...skyA.map((v, c) => Math.abs(v - skyB[c]!)))).toBeGreaterThan(8);
});

it('is dark where the slate and caption go, and has ridges and strokes, not a flat fill', async () => {
  const file = await writeCleanPlate(path.join(dir, 'plate.ppm'), W, H, 'A lighthouse at dusk');
  expect(await size(file)).toEqual([W, H]);
  const top = await lumaRange(file, 0, { x: 0, y: 0, w: W, h: Math.round(H * 0.2) });
  const bottom = await lumaRange(file, 0, { x: 0, y: Math.round(H * 0.88), w: W, h: Math.round(H * 0.12) });
  expect(top.mean).toBeLessThan(110);
  expect(bottom.mean).toBeLessThan(60);
});

it('has strokes in the sky and hatching in the hills, not only smooth gradients', () => {
  const px = cleanPlatePixels(W, H, 'A lighthouse at dusk');
  // Share of pixels in a band of rows that differ sharply from the pixel above: a smooth gradient
  // (and the vignette) changes by a level or two per pixel, a pencil stroke by far more.
  const sum = (i: number) => px[i]! + px[i + 1]! + px[i + 2]!;
  const edges = (y0: number, y1: number) => {
    let sharp = 0;
    for (let y = y0; y < y1; y++)
      for (let x = 0; x < W; x++)
        if (Math.abs(sum((y * W + x) * 3) - sum(((y - 1) * W + x) * 3)) > 18) sharp++;
    return sharp / ((y1 - y0) * W);
  };
  for (const [from, to] of [
    [0.05, 0.3],
    [0.3, 0.55],
    [0.7, 0.95],
  ] as const)
    expect(edges(Math.round(H * from), Math.round(H * to)), `rows ${from}–${to}`).toBeGreaterThan(0.01);
});
