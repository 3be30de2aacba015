// Last-frame extraction must not grow with the clip's length: 5 s vs 15 s house clips (480p), plus
// a naive full decode of the 15 s clip for scale.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { extractLastFrame } from '../../electron/media/last-frame';
import { makeClip, tempDir } from '../helpers/media';
import { median, timeMs, type Bench } from './types';

const RUNS = 5;

const bench: Bench = {
  name: 'last frame',
  async run() {
    const dir = await tempDir('shotgraph-bench-last-');
    try {
      const clip = (seconds: number) =>
        makeClip(path.join(dir, `clip-${seconds}.mp4`), {
          width: 864,
          height: 496,
          seconds,
          encoder: houseEncoderArgs(),
        });
      const [short, long] = [await clip(5), await clip(15)];
      const png = path.join(dir, 'last.png');
      const times = { short: [] as number[], long: [] as number[], naive: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        times.short.push(await timeMs(() => extractLastFrame(short, png)));
        times.long.push(await timeMs(() => extractLastFrame(long, png)));
        times.naive.push(
          await timeMs(() =>
            runFfmpeg([
              '-loglevel',
              'error',
              '-i',
              long,
              '-map',
              '0:v:0',
              '-fps_mode',
              'passthrough',
              '-update',
              '1',
              png,
            ]),
          ),
        );
      }
      const [s, l, n] = [median(times.short), median(times.long), median(times.naive)];
      return [
        { metric: `extractLastFrame, 5 s 864×496 (median of ${RUNS})`, value: s, unit: 'ms' },
        {
          metric: `extractLastFrame, 15 s 864×496 (median of ${RUNS})`,
          value: l,
          unit: 'ms',
          baseline: s,
          ratio: l / s,
          note: 'ratio vs the 5 s clip; ≈1 means independent of length',
        },
        {
          metric: 'full decode of the 15 s clip (naive)',
          value: n,
          unit: 'ms',
          baseline: l,
          ratio: n / l,
          note: 'ratio vs extractLastFrame',
        },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
