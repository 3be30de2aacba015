// The film's loudness pooled from its clips' figures (issue 17) equals FFmpeg's ebur128 measuring
// the joined sound, the true-peak bound holds against ebur128's own interpolator, and a clip's sound
// is measured once however often it is asked for. Real clips, real ffmpeg.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipSounds } from '../../electron/media/clip-sound';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { filterArg } from '../../electron/media/fonts';
import { measure } from '../../electron/media/loudness';
import { forgetMediaFacts, loadMediaFacts, saveMediaFacts } from '../../electron/media/media-facts';
import { pool, pooledLoudness, TRUE_PEAK_OVER_SAMPLE_PEAK } from '../../electron/media/pooled-loudness';
import { kWeighting } from '../../electron/media/sound-meter';
import { soundtrack, type SoundPlan } from '../../electron/media/soundtrack';
import { countedFfmpegSuite } from '../helpers/tool-calls';

const RATE = 48000;
const suite = countedFfmpegSuite('shotgraph-pooled-loudness-');
const ffmpegCalls = () => suite.calls();

/** A small clip whose sound is `audio` (an ffmpeg lavfi source and filters), or none. */
async function clip(name: string, seconds: number, audio?: string): Promise<string> {
  const file = path.join(suite.dir(), name);
  await runFfmpeg([
    ...['-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=gray:s=64x36:r=24:d=${seconds}`],
    ...(audio ? ['-f', 'lavfi', '-i', `${audio}`, '-c:a', 'aac', '-ac', '2', '-ar', String(RATE)] : []),
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-t', String(seconds), file],
  ]);
  return file;
}

const cutPlan = (files: string[], seconds: number[], gains: number[], silent: number[] = []): SoundPlan => ({
  clips: files.map((_, i) => ({
    input: silent.includes(i) ? undefined : i,
    start: 0,
    end: Math.round(seconds[i]! * RATE),
    gainDb: gains[i]!,
  })),
  seams: files.map(() => ({ type: 'cut' as const, length: 0 })),
});

const inputs = (files: string[]) => files.flatMap((f) => ['-vn', '-i', f]);

describe('the film’s loudness pooled from its clips', () => {
  it('equals ebur128 measuring the joined sound: tones, noise, a quiet clip, silence, gains', async () => {
    const seconds = [2, 1.5, 3, 1, 2, 2.5];
    const files = [
      await clip('tone.mp4', 2, 'sine=f=440:r=48000,volume=-6dB'),
      await clip('noise.mp4', 1.5, 'anoisesrc=color=pink:amplitude=0.3:r=48000:seed=7'),
      await clip('low.mp4', 3, 'sine=f=90:r=48000,volume=-20dB'),
      await clip('whisper.mp4', 1, 'sine=f=3000:r=48000,volume=-55dB'), // under the relative gate
      await clip('mute.mp4', 2, 'anullsrc=r=48000:cl=stereo'),
      await clip('chirp.mp4', 2.5, 'aevalsrc=0.5*sin(2*PI*(200+800*t)*t):s=48000'),
    ];
    for (const gains of [
      [0, 0, 0, 0, 0, 0],
      [3, -6, 4.5, 0, 0, -2],
    ]) {
      const plan = cutPlan(files, seconds, gains);
      const pooled = await pooledLoudness(plan, files, 0);
      const full = await measure(inputs(files), soundtrack(plan), undefined);
      expect(pooled).toBeDefined();
      expect(Number.isFinite(full.lufs)).toBe(true);
      // ebur128 prints to 0.001 LU; the K-weighting starting afresh at each cut is the only difference.
      expect(Math.abs(pooled!.lufs - full.lufs)).toBeLessThan(0.02);
      expect(pooled!.truePeakBoundDb).toBeGreaterThanOrEqual(full.truePeakDb);
    }
  });

  it('counts a clip without sound as silence, and a silent film as silent', async () => {
    const files = [await clip('a.mp4', 2, 'sine=f=300:r=48000'), await clip('b.mp4', 2)];
    const plan = cutPlan(files, [2, 2], [0, 0], [1]);
    const pooled = await pooledLoudness(plan, files, 0);
    const full = await measure(['-vn', '-i', files[0]!], soundtrack(plan), undefined);
    expect(Math.abs(pooled!.lufs - full.lufs)).toBeLessThan(0.02);
    const quiet = await pooledLoudness(cutPlan(files, [2, 2], [0, 0], [0, 1]), files, 0);
    expect(quiet!.lufs).toBe(-Infinity);
  });

  it('is not pooled where the film is not clips cut together on the 100 ms grid', async () => {
    const files = [
      await clip('c.mp4', 2, 'sine=f=300:r=48000'),
      await clip('d.mp4', 2, 'sine=f=500:r=48000'),
    ];
    const plan = cutPlan(files, [2, 2], [0, 0]);
    expect(
      await pooledLoudness(
        { ...plan, seams: [plan.seams[0]!, { type: 'crossfade', length: 4800 }] },
        files,
        0,
      ),
    ).toBe(undefined);
    expect(
      await pooledLoudness({ ...plan, bed: { input: 2, samples: 96000, bed: {} as never } }, files, 0),
    ).toBe(undefined);
    const offGrid = cutPlan(files, [2, 2], [0, 0]);
    offGrid.clips[0]!.end = 2000 * 47; // 47 frames at 24 fps: 1.958 s
    expect(await pooledLoudness(offGrid, files, 0)).toBe(undefined);
  });
});

describe('the true-peak bound', () => {
  it('holds for ebur128’s own interpolator: its largest phase sum is within the bound, and reached', async () => {
    // The interpolator's impulse response: what ebur128's resampler (48 → 192 kHz) makes of one sample.
    const impulse = path.join(suite.dir(), 'impulse.f64');
    const samples = new Float64Array(9600);
    samples[4800] = 1;
    await writeFile(impulse, Buffer.from(samples.buffer));
    const response = path.join(suite.dir(), 'response.f64');
    await runFfmpeg([
      ...['-loglevel', 'error', '-f', 'f64le', '-ar', '48000', '-ac', '1', '-i', impulse],
      ...['-af', 'aformat=sample_fmts=dbl,aresample=192000', '-f', 'f64le', response],
    ]);
    const bytes = readFileSync(response);
    const h = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
    const phases = [0, 0, 0, 0];
    const taps: number[][] = [[], [], [], []];
    h.forEach((v, i) => {
      phases[i % 4]! += Math.abs(v);
      if (Math.abs(v) > 1e-12) taps[i % 4]!.push(i);
    });
    const worst = Math.max(...phases);
    expect(worst).toBeLessThanOrEqual(TRUE_PEAK_OVER_SAMPLE_PEAK);
    expect(worst).toBeGreaterThan(TRUE_PEAK_OVER_SAMPLE_PEAK * 0.99); // the bound is not lazily loose

    // The signal that reaches it: samples ±A signed like the worst phase's weights; ebur128's true
    // peak of it must come within 2% of A × the sum, never above the bound.
    const phase = phases.indexOf(worst);
    const centre = 4800 * 4 + phase;
    const a = 0.25;
    const signal = new Float64Array(9600);
    for (let k = -40; k <= 40; k++) {
      const w = h[centre + 4 * k] ?? 0;
      if (Math.abs(w) > 1e-9) signal[4800 - k] = a * Math.sign(w);
    }
    const worstFile = path.join(suite.dir(), 'worst.f64');
    await writeFile(worstFile, Buffer.from(signal.buffer));
    const log = path.join(suite.dir(), 'tp.txt');
    await runFfmpeg([
      ...['-loglevel', 'error', '-f', 'f64le', '-ar', '48000', '-ac', '1', '-i', worstFile],
      ...[
        '-af',
        `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${filterArg(log)}`,
        '-f',
        'null',
        '-',
      ],
    ]);
    const tp = Math.max(
      ...[...readFileSync(log, 'utf8').matchAll(/true_peak=([\d.]+)/g)].map((m) => Number(m[1])),
    );
    expect(tp).toBeGreaterThan(a * worst * 0.98);
    expect(tp).toBeLessThanOrEqual(a * TRUE_PEAK_OVER_SAMPLE_PEAK * 1.001); // printed to 0.001
  });

  it('pools peaks with each clip’s gain', () => {
    const still = { entry: new Array<number>(12).fill(0), exit: new Array<number>(12).fill(0) };
    const quiet = { blockDb: Array.from({ length: 10 }, () => -30), samplePeak: 0.1, ...still };
    const loud = { blockDb: Array.from({ length: 10 }, () => -10), samplePeak: 0.5, ...still };
    const bound = (gains: number[]) => pool([quiet, loud], gains).truePeakBoundDb;
    const dB = (x: number) => 20 * Math.log10(x * TRUE_PEAK_OVER_SAMPLE_PEAK);
    expect(bound([0, 0])).toBeCloseTo(dB(0.5), 9);
    expect(bound([20, 0])).toBeCloseTo(dB(1.0), 9); // the quiet clip, 20 dB up, is the peak now
  });
});

describe('K-weighting', () => {
  it('matches BS.1770’s published coefficients at 48 kHz', () => {
    const [shelf, highPass] = kWeighting(48000);
    // ITU-R BS.1770-4, Annex 1, Tables 1 and 2.
    const table = [
      [shelf.b, [1.53512485958697, -2.69169618940638, 1.19839281085285]],
      [shelf.a, [1.0, -1.69065929318241, 0.73248077421585]],
      [highPass.b, [1.0, -2.0, 1.0]],
      [highPass.a, [1.0, -1.99004745483398, 0.99007225036621]],
    ] as const;
    for (const [ours, published] of table)
      ours.forEach((c, i) => expect(Math.abs(c - published[i]!)).toBeLessThan(1e-8));
  });
});

describe('a clip’s sound', () => {
  it('is measured once: asked for twice at once, then again, then from the saved facts', async () => {
    const files = [
      await clip('once-a.mp4', 2, 'sine=f=330:r=48000'),
      await clip('once-b.mp4', 2, 'sine=f=660:r=48000'),
    ];
    const jobs = files.map((file) => ({ file, start: 0, end: 2 * RATE }));
    const before = ffmpegCalls().length;
    const [x, y] = await Promise.all([clipSounds(jobs), clipSounds(jobs.slice().reverse())]);
    expect(ffmpegCalls().length - before).toBe(1); // both clips, both callers: one ffmpeg
    expect(y.reverse()).toEqual(x);
    expect(x[0]!.blockDb).toHaveLength(20);
    await clipSounds(jobs);
    expect(ffmpegCalls().length - before).toBe(1);

    const state = path.join(suite.dir(), 'state');
    await saveMediaFacts(state, suite.dir());
    forgetMediaFacts();
    await loadMediaFacts(state, suite.dir());
    expect(await clipSounds(jobs)).toEqual(x);
    expect(ffmpegCalls().length - before).toBe(1);
    // Cut differently, it is another measurement.
    await clipSounds([{ file: files[0]!, start: 0, end: RATE }]);
    expect(ffmpegCalls().length - before).toBe(2);
  });

  it('cancelled before it starts, runs no ffmpeg; a caller that did not cancel still gets its figures', async () => {
    const file = await clip('cancel.mp4', 2, 'sine=f=770:r=48000');
    const job = { file, start: 0, end: 2 * RATE };
    const before = ffmpegCalls().length;
    const gone = new AbortController();
    const asked = clipSounds([job], gone.signal);
    gone.abort();
    await expect(asked).rejects.toBeDefined();
    expect(ffmpegCalls().length - before).toBe(0);

    // Two callers share one measurement; the one that cancels leaves the other's running.
    const mine = new AbortController();
    const [cancelled, kept] = [clipSounds([job], mine.signal), clipSounds([job])];
    await new Promise((resolve) => setTimeout(resolve, 5)); // both have asked; none has started
    mine.abort();
    await expect(cancelled).rejects.toBeDefined();
    const figures = await kept;
    expect(figures[0]!.blockDb).toHaveLength(20);
    expect(ffmpegCalls().length - before).toBe(1);
  });
});
