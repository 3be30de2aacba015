// One animatic shot as the offline provider renders it (5 s, with slate, caption and generated
// sound), for each kind of picture, against what the least a clip from a still costs by hand: one
// ffmpeg run turning the first-frame image into a 5 s house-format clip (no move, no text). Wall
// time and CPU-seconds (ffmpeg children included) are medians of RUNS renders.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { renderAnimatic } from '../../electron/media/animatic';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import type { ShotRequest } from '../../electron/providers/types';
import { makeImage, tempDir } from '../helpers/media';
import { measure, type Measured } from './cpu';
import { median, type Bench, type BenchRow } from './types';

const RUNS = 3;
const SAMPLES = path.resolve(import.meta.dirname, '../../graphs/media');

const bench: Bench = {
  name: 'animatic',
  async run() {
    const dir = await tempDir('shotgraph-bench-animatic-');
    try {
      const image = await makeImage(path.join(dir, 'first.png'), 1600, 1000, 'mandelbrot');
      const req = (resolution: '720p' | '480p', over: Partial<ShotRequest> = {}): ShotRequest => ({
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
        slate: { scene: 'Scene 1 — The lighthouse', shot: 1, label: 'The keeper climbs' },
        ...over,
      });
      let n = 0;
      const medians = async (fn: (out: string) => Promise<unknown>): Promise<Measured> => {
        const runs: Measured[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await measure(() => fn(path.join(dir, `r${++n}`))));
        const cpu = runs.map((r) => r.cpuSec).filter((c): c is number => c !== undefined);
        return {
          wallMs: median(runs.map((r) => r.wallMs)),
          ...(cpu.length === runs.length ? { cpuSec: median(cpu) } : {}),
        };
      };
      const byHand = (size: string) => (out: string) =>
        runFfmpeg([
          ...['-loglevel', 'error', '-loop', '1', '-framerate', '24', '-i', image],
          ...['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo', '-t', '5'],
          ...['-vf', `scale=${size}:force_original_aspect_ratio=increase,crop=${size},setsar=1`],
          ...houseEncoderArgs(),
          ...['-f', 'mp4', `${out}.mp4`],
        ]);

      const rows: BenchRow[] = [];
      const cases: [string, '720p' | '480p', Partial<ShotRequest>][] = [
        ['first frame', '720p', {}],
        ['first frame', '480p', {}],
        ['no picture (clean card)', '720p', { firstFrame: undefined }],
        [
          'reference video + 2 images (strip)',
          '720p',
          {
            firstFrame: undefined,
            referenceVideos: [{ path: path.join(SAMPLES, 'camera-move.mp4') }],
            referenceImages: [
              { path: path.join(SAMPLES, 'character-sheet.png') },
              { path: path.join(SAMPLES, 'set-design.png') },
            ],
          },
        ],
        ['first + last frame (eased)', '720p', { lastFrame: { path: path.join(SAMPLES, 'set-design.png') } }],
      ];
      const baselines = {
        '720p': await medians(byHand('1280:720')),
        '480p': await medians(byHand('864:496')),
      };
      for (const [name, resolution, over] of cases) {
        const m = await medians((out) => renderAnimatic(req(resolution, over), out));
        const base = baselines[resolution];
        rows.push({
          metric: `5 s ${resolution}, ${name}: wall`,
          value: Math.round(m.wallMs),
          unit: 'ms',
          baseline: Math.round(base.wallMs),
          ratio: m.wallMs / base.wallMs,
          note: `${(5000 / m.wallMs).toFixed(2)}× real time, incl. last-frame PNG`,
        });
        if (m.cpuSec !== undefined && base.cpuSec !== undefined)
          rows.push({
            metric: `5 s ${resolution}, ${name}: CPU (process + ffmpeg)`,
            value: round(m.cpuSec),
            unit: 's',
            baseline: round(base.cpuSec),
            ratio: m.cpuSec / base.cpuSec,
            note: 'baseline: the first-frame image to a 5 s house clip, one ffmpeg run',
          });
      }
      return rows;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export default bench;
