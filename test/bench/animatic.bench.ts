// Wall time of one animatic shot as the offline provider renders it: 5 s at 720p (1280×720) from a
// first-frame image with caption and generated sound, and the same at 480p.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { renderAnimatic } from '../../electron/media/animatic';
import type { ShotRequest } from '../../electron/providers/types';
import { makeImage, tempDir } from '../helpers/media';
import { median, timeMs, type Bench } from './types';

const RUNS = 3;

const bench: Bench = {
  name: 'animatic',
  async run() {
    const dir = await tempDir('shotgraph-bench-animatic-');
    try {
      const image = await makeImage(path.join(dir, 'first.png'), 1600, 1000, 'mandelbrot');
      const req = (resolution: '720p' | '480p'): ShotRequest => ({
        nodeId: 'shot-1',
        key: 'k',
        prompt:
          'A lighthouse keeper climbs the spiral stairs at dusk, lantern swinging, storm clouds over the sea',
        firstFrame: { path: image },
        referenceImages: [],
        referenceVideos: [],
        referenceAudios: [],
        model: 'seedance-2.0',
        duration: 5,
        ratio: '16:9',
        resolution,
        generateAudio: true,
        seed: 1,
        watermark: false,
      });
      const rows = [];
      for (const resolution of ['720p', '480p'] as const) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++)
          times.push(
            await timeMs(() => renderAnimatic(req(resolution), path.join(dir, `${resolution}-${i}`))),
          );
        const ms = median(times);
        rows.push({
          metric: `renderAnimatic 5 s ${resolution} (median of ${RUNS})`,
          value: ms,
          unit: 'ms',
          note: `${(5000 / ms).toFixed(2)}× real time, incl. last-frame PNG`,
        });
      }
      return rows;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
