// Final cut of 20 five-second house-format clips at 480p (864×496, the real Seedance 16:9 480p size)
// against a raw `ffmpeg -f concat -c copy` of the same clips, interleaved in one session.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { renderFinalCut } from '../../electron/media/final-cut';
import { forgetMediaFacts } from '../../electron/media/media-facts';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { audioSamples, makeClip, streams, tempDir } from '../helpers/media';
import { median, timeMs, type Bench } from './types';

const CLIPS = 20;
const SECONDS = 5;
const RUNS = 3;

const bench: Bench = {
  name: 'final cut',
  async run() {
    const dir = await tempDir('shotgraph-bench-cut-');
    try {
      const patterns = ['testsrc2', 'mandelbrot', 'smptebars'] as const;
      const clips: string[] = [];
      for (let i = 0; i < CLIPS; i++) {
        clips.push(
          await makeClip(path.join(dir, `clip-${String(i).padStart(2, '0')}.mp4`), {
            width: 864,
            height: 496,
            seconds: SECONDS,
            pattern: patterns[i % patterns.length]!,
            encoder: houseEncoderArgs(),
          }),
        );
      }
      const list = path.join(dir, 'list.txt');
      await writeFile(list, clips.map((c) => `file '${c}'`).join('\n') + '\n');
      const raw = path.join(dir, 'raw.mp4');
      const ours = path.join(dir, 'ours.mp4');
      const rawTimes: number[] = [];
      const ourTimes: number[] = [];
      let mode = '';
      // Interleaved, so background load on the shared machine hits both sides alike.
      for (let i = 0; i < RUNS; i++) {
        await rm(raw, { force: true });
        rawTimes.push(
          await timeMs(() =>
            runFfmpeg(['-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', raw]),
          ),
        );
        await rm(ours, { force: true });
        forgetMediaFacts(); // cold: nothing known of the clips (the film bench measures a render)
        ourTimes.push(await timeMs(async () => (mode = (await renderFinalCut(clips, ours)).mode)));
      }
      const [r, o] = [median(rawTimes), median(ourTimes)];

      // Under a music bed that ducks under the shots, against the mix a user would type (no ducking).
      const music = path.join(dir, 'music.wav');
      await runFfmpeg([
        ...['-loglevel', 'error', '-f', 'lavfi', '-i'],
        `aevalsrc=exprs='0.2*sin(2*PI*523*t)*(0.7+0.3*sin(2*PI*0.4*t))':s=48000:c=stereo:d=${CLIPS * SECONDS + 5}`,
        ...['-c:a', 'pcm_s16le', music],
      ]);
      const bedCut = {
        nodeId: 'cut',
        clipIds: clips.map((_, i) => `clip${i}`),
        params: finalCutParams.parse({ music: { file: 'music.wav' }, loudness: { enabled: false } }),
        musicFile: music,
      };
      const [handBed, oursBed] = [path.join(dir, 'hand-bed.mp4'), path.join(dir, 'ours-bed.mp4')];
      const handBedTimes: number[] = [];
      const ourBedTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await rm(handBed, { force: true });
        handBedTimes.push(
          await timeMs(() =>
            runFfmpeg([
              ...['-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-i', music],
              ...['-filter_complex', '[0:a][1:a]amix=inputs=2:duration=first:normalize=0[a]'],
              ...['-map', '0:v', '-map', '[a]', '-c:v', 'copy', '-c:a', 'aac', handBed],
            ]),
          ),
        );
        await rm(oursBed, { force: true });
        forgetMediaFacts();
        ourBedTimes.push(await timeMs(() => renderFinalCut(clips, oursBed, { timeline: bedCut })));
      }
      const [hb, ob] = [median(handBedTimes), median(ourBedTimes)];

      // What the extra time buys: the raw join's sound runs late by the clips' AAC priming and padding.
      const total = CLIPS * SECONDS;
      const drift = async (file: string) => ((await audioSamples(file)).length / 48000 - total) * 1000;
      const frames = (await streams(ours)).find((s) => s.type === 'video')!.frames;
      return [
        {
          metric: `renderFinalCut, ${CLIPS}×${SECONDS} s 864×496 (mode ${mode}, median of ${RUNS})`,
          value: o,
          unit: 'ms',
          baseline: r,
          ratio: o / r,
          note: 'baseline: ffmpeg -f concat -safe 0 -i list.txt -c copy',
        },
        {
          metric: `renderFinalCut under a ducked music bed with fades (median of ${RUNS})`,
          value: ob,
          unit: 'ms',
          baseline: hb,
          ratio: ob / hb,
          note: 'baseline: the same concat with -i music.wav, amix, -c:v copy -c:a aac (no ducking, no fades)',
        },
        { metric: 'film video frames', value: frames, unit: 'frames', note: `expected ${total * 24}` },
        {
          metric: 'sound longer than picture, raw concat',
          value: await drift(raw),
          unit: 'ms',
          note: 'decoded samples vs 100 s',
        },
        {
          metric: 'sound longer than picture, renderFinalCut',
          value: await drift(ours),
          unit: 'ms',
          note: 'at most one AAC frame (21 ms)',
        },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
