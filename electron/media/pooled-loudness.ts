// The film's loudness from its clips' figures (clip-sound.ts), without decoding the film's sound.
// EBU R128's integrated loudness gates 400 ms blocks that step by 100 ms; when every clip's sound
// is a whole number of 100 ms, each block of the film is four 100 ms pieces of its clips, so the
// film's blocks, and the gating over them, follow from the clips' 100 ms energies. The gating below
// is FFmpeg's ebur128 (the same 0.01 LU histogram), and each cut's first block adds the ringing of
// the K-weighting filter carried over from the clip before, so a pooled figure is the measured one
// to rounding (docs/loudness.md).
import { HOUSE_CLIP } from './clip-format';
import { BLOCK_SAMPLES, clipSounds, type ClipSoundFigures, type ClipSoundJob } from './clip-sound';
import { stateRinging, STATE_SIZE } from './sound-meter';
import type { SoundPlan } from './soundtrack';

export interface PooledLoudness {
  /** Integrated loudness, LUFS (−∞ for a silent film). */
  lufs: number;
  /** A true peak the film cannot exceed, dBTP (its sample peak × the meter's interpolation bound). */
  truePeakBoundDb: number;
}

const ABS_GATE = -70;
const REL_GATE = -10;
const HIST_GRAIN = 100;
const HIST_SIZE = (10 - ABS_GATE) * HIST_GRAIN + 1;
const loudnessOf = (energy: number) => -0.691 + 10 * Math.log10(energy);
const energyOf = (lufs: number) => 10 ** ((lufs + 0.691) / 10);

/**
 * The loudness of `plan`'s sound (clip inputs are `files[input - offset]`), or undefined when it
 * cannot be pooled: a music bed, a transition, a clip not a whole number of 100 ms, or a clip
 * that is not a regular file. The caller then measures the mix itself.
 */
export async function pooledLoudness(
  plan: SoundPlan,
  files: string[],
  offset: number,
  signal?: AbortSignal,
): Promise<PooledLoudness | undefined> {
  if (!poolable(plan)) return undefined;
  const jobs: (ClipSoundJob | undefined)[] = plan.clips.map((c) =>
    c.input === undefined ? undefined : { file: files[c.input - offset]!, start: c.start, end: c.end },
  );
  let measured: (ClipSoundFigures | undefined)[];
  try {
    measured = await clipSounds(
      jobs.filter((j): j is ClipSoundJob => j !== undefined),
      signal,
    );
  } catch (e) {
    // A clip whose sound cannot be decoded: the measure of the mix says so, naming it.
    if (signal?.aborted) throw e;
    return undefined;
  }
  let next = 0;
  const figures = jobs.map((j, i): ClipSoundFigures | undefined =>
    j ? measured[next++] : silence(plan.clips[i]!.end - plan.clips[i]!.start),
  );
  if (figures.some((f) => f === undefined)) return undefined;
  return pool(
    figures as ClipSoundFigures[],
    plan.clips.map((c) => c.gainDb),
  );
}

/** Clips joined by cuts, each a whole number of 100 ms, no music bed. */
export function poolable(plan: SoundPlan): boolean {
  return (
    !plan.bed &&
    plan.seams.every((s) => s.length === 0) &&
    plan.clips.every((c) => c.end > c.start && (c.end - c.start) % BLOCK_SAMPLES === 0)
  );
}

function silence(samples: number): ClipSoundFigures {
  return {
    blockDb: Array.from({ length: Math.floor(samples / BLOCK_SAMPLES) }, () => null),
    samplePeak: 0,
    entry: new Array<number>(2 * STATE_SIZE).fill(0),
    exit: new Array<number>(2 * STATE_SIZE).fill(0),
  };
}

/**
 * A clip's first block as the film has it: its own K-weighted sound plus the ringing of the clip
 * before (r = that clip's end state, a its gain): Σ(k + r·g)² = Σk² + 2·r·Σk·g + rᵀ(Σg·gᵀ)r.
 */
function firstBlock(
  before: ClipSoundFigures,
  ampBefore: number,
  clip: ClipSoundFigures,
  amp: number,
): number {
  const rings = stateRinging(HOUSE_CLIP.sampleRate, BLOCK_SAMPLES);
  const own = clip.blockDb[0] === null || clip.blockDb[0] === undefined ? 0 : 10 ** (clip.blockDb[0] / 10);
  let cross = 0;
  let ring = 0;
  for (let ch = 0; ch < 2; ch++) {
    const r = before.exit.slice(ch * STATE_SIZE, (ch + 1) * STATE_SIZE).map((v) => v * ampBefore);
    for (let j = 0; j < STATE_SIZE; j++) {
      cross += r[j]! * clip.entry[ch * STATE_SIZE + j]! * amp;
      for (let k = 0; k < STATE_SIZE; k++) ring += r[j]! * r[k]! * gram(rings)[j * STATE_SIZE + k]!;
    }
  }
  return Math.max(0, own * amp * amp + (2 * cross + ring) / BLOCK_SAMPLES);
}

let gramOf: { rings: Float64Array[]; g: Float64Array } | undefined;
/** Σ over the first block of each pair of ringings (computed once). */
function gram(rings: Float64Array[]): Float64Array {
  if (gramOf?.rings === rings) return gramOf.g;
  const g = new Float64Array(STATE_SIZE * STATE_SIZE);
  for (let j = 0; j < STATE_SIZE; j++)
    for (let k = 0; k < STATE_SIZE; k++) {
      let sum = 0;
      for (let n = 0; n < BLOCK_SAMPLES; n++) sum += rings[j]![n]! * rings[k]![n]!;
      g[j * STATE_SIZE + k] = sum;
    }
  gramOf = { rings, g };
  return g;
}

/**
 * A true peak is a 4× oversampled sample: each is a weighted sum of the samples around it, so it
 * is at most the sample peak times the largest sum of |weights| among the interpolator's phases.
 * For FFmpeg's ebur128 (libswresample's default filter, 48 → 192 kHz) that sum is 2.3522 (+7.43 dB),
 * measured from its impulse response (test/media/pooled-loudness.test.ts re-measures it).
 */
export const TRUE_PEAK_OVER_SAMPLE_PEAK = 2.36;

/** The film of `clips` (each after its gain, in dB) cut together in order. */
export function pool(clips: ClipSoundFigures[], gainsDb: number[]): PooledLoudness {
  const amps = gainsDb.map((g) => 10 ** (g / 20));
  const energies: number[] = [];
  clips.forEach((c, i) => {
    const a = amps[i]!;
    c.blockDb.forEach((db, b) =>
      energies.push(
        b === 0 && i > 0
          ? firstBlock(clips[i - 1]!, amps[i - 1]!, c, a)
          : db === null
            ? 0
            : 10 ** (db / 10) * a * a,
      ),
    );
  });
  // FFmpeg's gating: blocks from the first full 400 ms on, an absolute gate, then a relative gate
  // at −10 LU below the kept blocks' mean, over a histogram of 0.01 LU bins.
  const histogram = new Array<number>(HIST_SIZE).fill(0);
  let keptSum = 0;
  let kept = 0;
  for (let k = 3; k < energies.length; k++) {
    const power = 1e-12 + (energies[k - 3]! + energies[k - 2]! + energies[k - 1]! + energies[k]!) / 4;
    const lufs = loudnessOf(power);
    if (!(lufs >= ABS_GATE)) continue;
    histogram[binOf(lufs)]!++;
    keptSum += power;
    kept++;
  }
  let lufs = -Infinity;
  if (kept > 0) {
    const gate = binOf(loudnessOf(keptSum / kept) + REL_GATE);
    let sum = 0;
    let n = 0;
    for (let i = gate; i < HIST_SIZE; i++) {
      n += histogram[i]!;
      sum += histogram[i]! * energyOf(i / HIST_GRAIN + ABS_GATE);
    }
    if (n > 0) lufs = loudnessOf(sum / n);
  }
  const peak = Math.max(0, ...clips.map((c, i) => c.samplePeak * amps[i]!));
  return { lufs, truePeakBoundDb: peak > 0 ? 20 * Math.log10(peak * TRUE_PEAK_OVER_SAMPLE_PEAK) : -Infinity };
}

function binOf(lufs: number): number {
  return Math.min(HIST_SIZE - 1, Math.max(0, Math.trunc((lufs - ABS_GATE) * HIST_GRAIN)));
}
