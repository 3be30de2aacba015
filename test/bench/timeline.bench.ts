// Final cut of 20 four-second 480p clips (864×496) with 0.5 s crossfades against the equivalent raw
// ffmpeg command (one xfade/acrossfade filtergraph, same encoder settings), interleaved in one session.
// Ours adds probing, frame-exact trims and sound, and optionally the loudness measurement pass.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { renderFinalCut } from '../../electron/media/final-cut';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { durationOf, makeClip, tempDir } from '../helpers/media';
import { median, timeMs, type Bench } from './types';

const CLIPS = 20;
const SECONDS = 4;
const FADE = 0.5;
const RUNS = 3;

const bench: Bench = {
  name: 'timeline',
  async run() {
    const dir = await tempDir('shotgraph-bench-timeline-');
    try {
      const patterns = ['testsrc2', 'mandelbrot', 'smptebars'] as const;
      const clips: string[] = [];
      for (let i = 0; i < CLIPS; i++) {
        const file = path.join(dir, `clip-${String(i).padStart(2, '0')}.mp4`);
        clips.push(
          await makeClip(file, {
            width: 864,
            height: 496,
            seconds: SECONDS,
            pattern: patterns[i % 3]!,
            encoder: houseEncoderArgs(),
          }),
        );
      }
      const ids = clips.map((_, i) => `shot-${i + 1}`);
      const transitions = Object.fromEntries(
        ids.slice(1).map((id) => [id, { type: 'crossfade', duration: FADE }]),
      );
      const timeline = (loudness: boolean) => ({
        nodeId: 'cut',
        clipIds: ids,
        params: finalCutParams.parse({ transitions, loudness: { enabled: loudness } }),
      });

      // The same cut by hand: xfade and acrossfade chains straight on the decoded clips.
      const v: string[] = [];
      const a: string[] = [];
      let vIn = '[0:v]';
      let aIn = '[0:a]';
      for (let i = 1; i < CLIPS; i++) {
        const offset = (i * (SECONDS - FADE)).toFixed(3);
        v.push(`${vIn}[${i}:v]xfade=transition=fade:duration=${FADE}:offset=${offset}[v${i}]`);
        a.push(`${aIn}[${i}:a]acrossfade=d=${FADE}[a${i}]`);
        [vIn, aIn] = [`[v${i}]`, `[a${i}]`];
      }
      const c = { preset: 'veryfast', crf: '20' };
      const rawArgs = (out: string) => [
        ...['-loglevel', 'error', ...clips.flatMap((f) => ['-i', f])],
        ...['-filter_complex', [...v, ...a].join(';'), '-map', vIn, '-map', aIn],
        ...[
          '-c:v',
          'libx264',
          '-preset',
          c.preset,
          '-crf',
          c.crf,
          '-pix_fmt',
          'yuv420p',
          '-c:a',
          'aac',
          '-b:a',
          '128k',
          out,
        ],
      ];

      const raw = path.join(dir, 'raw.mp4');
      const ours = path.join(dir, 'ours.mp4');
      const loud = path.join(dir, 'ours-loudness.mp4');
      const times = { raw: [] as number[], ours: [] as number[], loud: [] as number[] };
      // Interleaved, so background load on the shared machine hits every side alike.
      for (let i = 0; i < RUNS; i++) {
        await rm(raw, { force: true });
        times.raw.push(await timeMs(() => runFfmpeg(rawArgs(raw))));
        times.ours.push(await timeMs(() => renderFinalCut(clips, ours, { timeline: timeline(false) })));
        times.loud.push(await timeMs(() => renderFinalCut(clips, loud, { timeline: timeline(true) })));
      }
      const [r, o, l] = [median(times.raw), median(times.ours), median(times.loud)];
      const expected = CLIPS * SECONDS - (CLIPS - 1) * FADE;
      const label = `${CLIPS}×${SECONDS} s 864×496, ${CLIPS - 1} crossfades of ${FADE} s, median of ${RUNS}`;
      return [
        {
          metric: `renderFinalCut with a timeline, ${label}`,
          value: o,
          unit: 'ms',
          baseline: r,
          ratio: o / r,
          note: 'baseline: one raw ffmpeg xfade/acrossfade filtergraph, libx264 veryfast crf 20',
        },
        {
          metric: 'same, with loudness normalisation to −14 LUFS (measure pass + gain)',
          value: l,
          unit: 'ms',
          baseline: r,
          ratio: l / r,
        },
        {
          metric: 'film length, ours',
          value: await durationOf(ours),
          unit: 's',
          note: `expected ${expected}`,
        },
        { metric: 'film length, raw', value: await durationOf(raw), unit: 's', note: `expected ${expected}` },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
