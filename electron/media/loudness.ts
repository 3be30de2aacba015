// Loudness normalisation to an EBU R128 target by measured gain: the film's loudness is pooled from
// its clips' figures where it can be (pooled-loudness.ts), else ebur128 measures the mixed sound;
// one linear gain brings it to the target (exact, unlike loudnorm's dynamic mode), and only when
// that would push the true peak over −1 dBTP a limiter follows, re-measured until within 0.3 LU.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFfmpeg } from './ffmpeg';
import { filterArg } from './fonts';
import { fileSha256, knownLoudness, rememberLoudness } from './media-facts';
import type { PooledLoudness } from './pooled-loudness';
import type { Chain } from './transition';

export interface LoudnessGain {
  gainDb: number;
  /** A peak limiter follows the gain (the gain alone would exceed the true-peak ceiling). */
  limit: boolean;
}

export interface LoudnessResult extends LoudnessGain {
  /** Integrated loudness of the mix before normalisation, LUFS. */
  measuredLufs: number;
  /** Predicted integrated loudness after normalisation, LUFS. */
  resultLufs: number;
}

const TRUE_PEAK_MAX_DB = -1;
/** The limiter's ceiling sits below the true-peak ceiling: it limits sample peaks, not true peaks. */
const LIMIT_LINEAR = 10 ** (-1.5 / 20);
/** Quieter than this is silence (EBU R128's absolute gate): nothing to normalise. */
const SILENCE_LUFS = -70;
const MAX_GAIN_DB = 40;

/** `from` with the gain (and limiter) applied, as one filter chain ending in `out`. */
export function applyLoudness(from: string, g: LoudnessGain, out: string): string {
  const limiter = g.limit ? `,alimiter=limit=${LIMIT_LINEAR.toFixed(4)}:level=0:latency=1` : '';
  return `${from}volume=${g.gainDb.toFixed(2)}dB${limiter}${out}`;
}

/**
 * The gain that brings `sound` (built on `inputs`, ffmpeg input args) to `targetLufs`; undefined
 * for a silent film. Each measurement decodes the sound only, never the pictures.
 */
export async function planLoudness(
  inputs: string[],
  sound: Chain,
  targetLufs: number,
  signal?: AbortSignal,
  pooled?: PooledLoudness,
): Promise<LoudnessResult | undefined> {
  // Pooled from the clips' figures: enough when no true peak can reach the ceiling after the gain.
  if (pooled) {
    if (!(pooled.lufs > SILENCE_LUFS)) return undefined;
    const gainDb = clamp(targetLufs - pooled.lufs, -MAX_GAIN_DB, MAX_GAIN_DB);
    if (pooled.truePeakBoundDb + gainDb <= TRUE_PEAK_MAX_DB)
      return { gainDb, limit: false, measuredLufs: pooled.lufs, resultLufs: pooled.lufs + gainDb };
  }
  const first = await measure(inputs, sound, undefined, signal);
  if (!(first.lufs > SILENCE_LUFS)) return undefined;
  const g: LoudnessGain = {
    gainDb: clamp(targetLufs - first.lufs, -MAX_GAIN_DB, MAX_GAIN_DB),
    limit: first.truePeakDb + (targetLufs - first.lufs) > TRUE_PEAK_MAX_DB,
  };
  let result = first.lufs + g.gainDb;
  // The limiter takes some loudness with the peaks; give it back, a few times at most.
  for (let i = 0; i < 3 && g.limit; i++) {
    result = (await measure(inputs, sound, g, signal)).lufs;
    if (Math.abs(targetLufs - result) < 0.3) break;
    g.gainDb = clamp(g.gainDb + targetLufs - result, -MAX_GAIN_DB, MAX_GAIN_DB);
  }
  return { ...g, measuredLufs: first.lufs, resultLufs: result };
}

interface Measured {
  lufs: number;
  truePeakDb: number;
}

/**
 * Integrated loudness and true peak of `sound` (after `g`, when given), by ffmpeg's ebur128. The
 * same mix of the same bytes is measured once (media-facts.ts): a re-cut that changes only the
 * pictures (a preset, the output) or is asked again decodes no sound for it.
 */
export async function measure(
  inputs: string[],
  sound: Chain,
  g: LoudnessGain | undefined,
  signal?: AbortSignal,
): Promise<Measured> {
  const key = await mixKey(inputs, sound, g, signal);
  const known = key ? knownLoudness(key) : undefined;
  if (known) return { lufs: known.lufs ?? -Infinity, truePeakDb: known.truePeakDb ?? -Infinity };
  const measured = await measureWithFfmpeg(inputs, sound, g, signal);
  if (key) {
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    rememberLoudness(key, { lufs: finite(measured.lufs), truePeakDb: finite(measured.truePeakDb) });
  }
  return measured;
}

/**
 * What decides a measurement: every input's bytes (by sha256, never its path), the arguments around
 * them and the filtergraph. Undefined when an input is not a regular file (nothing is remembered).
 */
async function mixKey(
  inputs: string[],
  sound: Chain,
  g: LoudnessGain | undefined,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const parts: string[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const arg = inputs[i]!;
    if (inputs[i - 1] !== '-i') {
      parts.push(arg);
      continue;
    }
    const st = await stat(arg).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const sha = await fileSha256(arg, st, signal).catch(() => undefined);
    if (!sha) return undefined;
    parts.push(`sha256:${sha}`);
  }
  const graph = [...sound.filters, sound.out, g ? applyLoudness('', g, '') : ''];
  return createHash('sha256')
    .update(JSON.stringify({ v: 1, inputs: parts, graph }))
    .digest('hex');
}

async function measureWithFfmpeg(
  inputs: string[],
  sound: Chain,
  g: LoudnessGain | undefined,
  signal?: AbortSignal,
): Promise<Measured> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-r128-'));
  try {
    const log = path.join(dir, 'r128.txt');
    const graph = [
      ...sound.filters,
      ...(g ? [applyLoudness(sound.out, g, '[gained]')] : []),
      `${g ? '[gained]' : sound.out}ebur128=metadata=1:peak=true,ametadata=mode=print:file=${filterArg(log)}[r128]`,
    ];
    await runFfmpeg(
      [
        '-loglevel',
        'error',
        ...inputs,
        '-filter_complex',
        graph.join(';'),
        '-map',
        '[r128]',
        '-f',
        'null',
        '-',
      ],
      signal ? { signal } : {},
    );
    const text = await readFile(log, 'utf8');
    // Integrated loudness so far is on every frame: the last is the whole film's. Peaks are per frame.
    const lufs = [...text.matchAll(/lavfi\.r128\.I=(-?[\d.]+|-?inf|nan)/g)].at(-1)?.[1];
    const peaks = [...text.matchAll(/lavfi\.r128\.true_peak=([\d.]+)/g)].map((m) => Number(m[1]));
    const peak = Math.max(0, ...peaks);
    return {
      lufs: lufs === undefined || !Number.isFinite(Number(lufs)) ? -Infinity : Number(lufs),
      truePeakDb: peak > 0 ? 20 * Math.log10(peak) : -Infinity,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
