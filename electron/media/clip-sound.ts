// Each clip's sound measured once, by content, so the film's loudness can be pooled from its clips
// (pooled-loudness.ts) instead of decoding the whole film's sound again before the final pass.
// A clip's figures are its K-weighted energy per 100 ms (EBU R128's gating step) and its sample
// peak, measured with the sound cut to its picture exactly as the final cut cuts it: ffmpeg decodes
// and cuts, the meter (sound-meter.ts) reads the samples. Clips measured together share one ffmpeg;
// two ffmpegs run at most at once.
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { houseAudioFormatFilter, HOUSE_CLIP } from './clip-format';
import { runFfmpeg } from './ffmpeg';
import { fileSha256, knownClipSound, rememberClipSound, type ClipSoundFigures } from './media-facts';
import { SoundMeter } from './sound-meter';

export type { ClipSoundFigures } from './media-facts';

/** One clip's sound as the final cut takes it: samples [start, end) at the house rate, padded with silence. */
export interface ClipSoundJob {
  file: string;
  start: number;
  end: number;
}

/** 100 ms at the house rate: the step of R128's 400 ms gating blocks. */
export const BLOCK_SAMPLES = HOUSE_CLIP.sampleRate / 10;
/**
 * Clips measured by one ffmpeg at most (its command line and open files stay small): a film of up
 * to 48 clips arriving together is measured by the two ffmpegs that may run, each started once.
 */
const BATCH = 24;
const PARALLEL = 2;
const GATHER_MS = 15;
/** Fewer clips than this are not split between ffmpegs: starting one costs about a clip's decode. */
const MIN_BATCH = 4;
/**
 * Decoded sound kept for the join (about two minutes of film at the house rate): the join then reads
 * it on stdin instead of decoding every clip again. Beyond this, a clip's sound is not kept.
 */
const KEEP_BYTES = 48 * 1024 * 1024;
/** Kept sound nobody takes (a cut that changed its mind, a failed run) is let go after this. */
const KEEP_MS = 120_000;

/** What decides a clip's figures: its bytes, the cut and the format it is measured in. */
async function jobKey(job: ClipSoundJob, signal?: AbortSignal): Promise<string | undefined> {
  const st = await stat(job.file).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  const sha = await fileSha256(job.file, st, signal).catch((e: unknown) => {
    if (signal?.aborted) throw e;
    return undefined;
  });
  if (!sha) return undefined;
  return createHash('sha256')
    .update(JSON.stringify({ v: 1, sha, start: job.start, end: job.end, format: houseAudioFormatFilter() }))
    .digest('hex');
}

/**
 * A measurement asked for or under way, by key: asked twice, measured once. It is dropped only when
 * every caller that asked for it has cancelled (a caller without a signal never does).
 */
interface Wanted {
  job: ClipSoundJob;
  key: string;
  settle: Settle;
  callers: (AbortSignal | undefined)[];
}
const pending = new Map<string, Wanted>();
/** Asked for, not started: clips that arrive together are measured by one ffmpeg. */
const queue: Wanted[] = [];
let running = 0;
let pumping = false;

const abandoned = (w: Wanted) => w.callers.every((c) => c?.aborted);

/**
 * The figures of every job (in order), measuring only those not known; undefined for a job whose
 * file is not a regular file (the caller then measures the film as a whole). Rejects at once when
 * `signal` aborts; the measurement goes on for any other caller that asked for it.
 */
export async function clipSounds(
  jobs: ClipSoundJob[],
  callerSignal?: AbortSignal,
): Promise<(ClipSoundFigures | undefined)[]> {
  const signal = callerSignal && followSignal(callerSignal, jobs.length);
  const keys = await Promise.all(jobs.map((j) => jobKey(j, signal)));
  const all = Promise.all(
    jobs.map((job, i) => {
      const key = keys[i];
      if (!key) return undefined;
      const known = knownClipSound(key);
      if (known) return known;
      const wanted = pending.get(key);
      if (wanted) {
        wanted.callers.push(signal);
        return wanted.settle.promise;
      }
      const w: Wanted = { job, key, settle: deferred(), callers: [signal] };
      pending.set(key, w);
      const forget = () => pending.delete(key);
      w.settle.promise.then(forget, forget);
      queue.push(w);
      schedule();
      return w.settle.promise;
    }),
  );
  if (!signal) return all;
  return Promise.race([
    all,
    new Promise<never>((_, reject) => {
      const fail = () => reject(signal.reason);
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
      all.then(
        () => signal.removeEventListener('abort', fail),
        () => signal.removeEventListener('abort', fail),
      );
    }),
  ]);
}

/**
 * A signal that aborts with `signal` without adding a listener to it: a film's clips each arrive
 * under the run's one signal, and ten listeners on it would warn of a leak. This call's own
 * listeners (a hash and a batch per clip at most, and its own wait) go on the new signal instead.
 */
export function followSignal(signal: AbortSignal, clips: number): AbortSignal {
  const own = AbortSignal.any([signal]);
  setMaxListeners(Math.max(10, 2 * clips + 1), own);
  return own;
}

function schedule(): void {
  if (pumping) return;
  pumping = true;
  // Clips that arrive together (a film of imported clips, a round of shots) then share an ffmpeg:
  // each ffmpeg start costs about as much as decoding a clip's sound.
  setTimeout(() => {
    pumping = false;
    pump();
  }, GATHER_MS);
}

/** Starts batches while fewer than PARALLEL run, sharing what waits evenly among the free ones. */
function pump(): void {
  while (running < PARALLEL && queue.length) {
    const per = Math.min(BATCH, Math.max(MIN_BATCH, Math.ceil(queue.length / (PARALLEL - running))));
    const batch = queue.splice(0, per);
    const live = batch.filter((w) => !abandoned(w));
    for (const w of batch) if (abandoned(w)) w.settle.reject(new Error('cancelled'));
    if (!live.length) continue;
    running++;
    // The batch stops when every caller of every clip in it has cancelled.
    const stop = new AbortController();
    const onAbort = () => {
      if (live.every(abandoned)) stop.abort();
    };
    // Each signal once, however many of the batch's clips it asked for.
    const signals = new Set(live.flatMap((w) => w.callers).filter((c): c is AbortSignal => c !== undefined));
    for (const c of signals) c.addEventListener('abort', onAbort, { once: true });
    measureBatch(
      live.map((w) => w.job),
      stop.signal,
    )
      .then(
        ({ figures, decoded }) =>
          live.forEach((w, k) => {
            rememberClipSound(w.key, figures[k]!);
            keepDecoded(w.key, decoded[k]);
            w.settle.resolve(figures[k]!);
          }),
        (err: unknown) => live.forEach((w) => w.settle.reject(err)),
      )
      .finally(() => {
        for (const c of signals) c.removeEventListener('abort', onAbort);
        running--;
        pump();
      });
  }
}

/** Each clip's decoded sound (interleaved stereo floats at the house rate, cut as its job), by key. */
const kept = new Map<string, { pcm: Buffer; timer: NodeJS.Timeout }>();
/** Bytes held in `kept`, or promised to a measurement under way. */
let keptBytes = 0;

/** Room for `bytes` of decoded sound, or undefined when keeping it would pass KEEP_BYTES. */
function reserve(bytes: number): Buffer | undefined {
  if (keptBytes + bytes > KEEP_BYTES) return undefined;
  keptBytes += bytes;
  return Buffer.allocUnsafe(bytes);
}

function keepDecoded(key: string, pcm: Buffer | undefined): void {
  if (!pcm) return;
  if (kept.has(key)) {
    keptBytes -= pcm.length; // measured twice (a caller cancelled, then asked again): one copy
    return;
  }
  const timer = setTimeout(() => letGo(key), KEEP_MS);
  timer.unref();
  kept.set(key, { pcm, timer });
}

function letGo(key: string): Buffer | undefined {
  const k = kept.get(key);
  if (!k) return undefined;
  clearTimeout(k.timer);
  kept.delete(key);
  keptBytes -= k.pcm.length;
  return k.pcm;
}

/**
 * The decoded sound of every job, as measuring it left it, handed over: it is not kept after, so
 * the caller is its last use. Undefined when any job's sound was not kept (measured by another
 * process, or beyond KEEP_BYTES): the caller then decodes the clips itself, and what there was of
 * theirs is let go too.
 */
export async function takeDecodedSounds(
  jobs: ClipSoundJob[],
  signal?: AbortSignal,
): Promise<Buffer[] | undefined> {
  if (!kept.size) return undefined;
  const keys = await Promise.all(jobs.map((j) => jobKey(j, signal)));
  const pcm = new Map(keys.flatMap((k) => (k && kept.has(k) ? [[k, letGo(k)!] as const] : [])));
  if (!keys.every((k) => k && pcm.has(k))) return undefined;
  return keys.map((k) => pcm.get(k!)!);
}

/**
 * Whether every job's decoded sound may be there to take once measured: it is kept now, or being
 * measured, or not measured yet (false: its figures are known from another process, so it will
 * not be decoded here).
 */
export async function mayKeepDecodedSounds(jobs: ClipSoundJob[], signal?: AbortSignal): Promise<boolean> {
  const keys = await Promise.all(jobs.map((j) => jobKey(j, signal)));
  return keys.every((k) => k && (kept.has(k) || pending.has(k) || !knownClipSound(k)));
}

/** Starts measuring clips the final cut will want, without waiting; a failure is left to the cut. */
export function measureClipSoundsAhead(jobs: ClipSoundJob[], signal?: AbortSignal): Promise<void> {
  return clipSounds(jobs, signal).then(
    () => undefined,
    () => undefined,
  );
}

type Settle = ReturnType<typeof deferred>;
function deferred() {
  let resolve!: (v: ClipSoundFigures) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<ClipSoundFigures>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * One ffmpeg decoding `jobs`' sound, cut and joined, to raw samples; the meter takes each clip's
 * share, and each clip's samples are kept for the join where there is room (KEEP_BYTES).
 */
async function measureBatch(
  jobs: ClipSoundJob[],
  signal: AbortSignal,
): Promise<{ figures: ClipSoundFigures[]; decoded: (Buffer | undefined)[] }> {
  const rate = HOUSE_CLIP.sampleRate;
  const cuts = jobs.map(
    (job, i) =>
      [
        `[${i}:a:0]${houseAudioFormatFilter()}`,
        `apad=whole_len=${job.end}`,
        `atrim=start_sample=${job.start}:end_sample=${job.end}`,
        'asetpts=N/SR/TB',
      ].join(',') + `[c${i}]`,
  );
  const joined = `${jobs.map((_, i) => `[c${i}]`).join('')}concat=n=${jobs.length}:v=0:a=1[all]`;
  const lengths = jobs.map((j) => j.end - j.start);
  const meters = jobs.map(() => new SoundMeter(rate, BLOCK_SAMPLES));
  const decoded = lengths.map((n) => reserve(n * 8));
  let clip = 0;
  let left = lengths[0]!;
  let carry = Buffer.alloc(0);
  const take = (chunk: Buffer) => {
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 8); // one stereo frame of 32-bit floats
    carry = Buffer.from(bytes.subarray(whole));
    // A view where the bytes are aligned for floats; a copy where they are not (a Buffer's bytes
    // may start anywhere in its pool).
    const samples =
      bytes.byteOffset % 4 === 0
        ? new Float32Array(bytes.buffer, bytes.byteOffset, whole / 4)
        : new Float32Array(Uint8Array.prototype.slice.call(bytes, 0, whole).buffer);
    let at = 0;
    while (at < samples.length && clip < meters.length) {
      const n = Math.min(left, (samples.length - at) / 2);
      meters[clip]!.push(samples.subarray(at, at + n * 2));
      const pcm = decoded[clip];
      if (pcm) pcm.set(bytes.subarray(at * 4, (at + n * 2) * 4), (lengths[clip]! - left) * 8);
      at += n * 2;
      left -= n;
      if (left === 0) left = lengths[++clip] ?? 0;
    }
  };
  const seconds = lengths.reduce((s, n) => s + n / rate, 0);
  try {
    await runFfmpeg(
      [
        '-loglevel',
        'error',
        ...jobs.flatMap((j) => ['-vn', '-i', path.resolve(j.file)]),
        '-filter_complex',
        [...cuts, joined].join(';'),
        ...['-map', '[all]', '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'],
      ],
      { signal, mediaSec: seconds, onData: take },
    );
    if (clip < meters.length)
      throw new Error(`measuring ${jobs[clip]!.file}: its sound ended ${left} samples early`);
  } catch (e) {
    for (const pcm of decoded) keptBytes -= pcm?.length ?? 0; // nothing of this batch is kept
    throw e;
  }
  return {
    figures: meters.map((m) => ({
      blockDb: m.blockDb,
      samplePeak: m.samplePeak,
      entry: [...m.entry],
      exit: m.exit(),
    })),
    decoded,
  };
}
