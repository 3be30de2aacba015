// The film: clips joined in order into one MP4 (docs/architecture.md §7). When every clip already shares its
// codec parameters the join is a pure stream copy; otherwise the odd clips are converted once to the
// house format (cached by content) and then stream-copied, so a re-run never re-encodes them. A
// timeline that shapes the pictures (trims, transitions, a preset) is rendered in one filtergraph
// pass instead (timeline-render.ts); gains, the music bed and loudness only touch the sound, which
// is re-encoded on every path anyway, so they keep the pictures stream-copied.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FinalCutParams } from '../../shared/nodes/final-cut';
import { ProblemError } from '../../shared/problems';
import { FPS } from '../../shared/seedance/limits';
import { layoutTimeline } from '../../shared/timeline';
import { tempBeside, writeAtomically } from './atomic-output';
import {
  houseAudioEncoderArgs,
  houseAudioFormatFilter,
  houseEncoderArgs,
  houseVideoFormatFilter,
  HOUSE_CLIP,
  HOUSE_FORMAT_VERSION,
} from './clip-format';
import { runFfmpeg, runFfprobe } from './ffmpeg';
import { followSignal, mayKeepDecodedSounds, measureClipSoundsAhead, takeDecodedSounds } from './clip-sound';
import { poolable, pooledLoudness } from './pooled-loudness';
import { applyLoudness, planLoudness, type LoudnessResult } from './loudness';
import type { BedInput } from './music-bed';
import { isHousePreset, presetSize } from './preset';
import { probeMedia, type MediaInfo } from './probe';
import {
  AAC_FRAME,
  decodedLane,
  lastPacketFilter,
  NoSplice,
  soundLanes,
  streamInLanes,
  type LaneSource,
} from './sound-lanes';
import { soundBetween, soundtrack, type SoundPlan } from './soundtrack';
import { renderTimeline, type Layout } from './timeline-render';

export interface FinalCutOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Folder for normalised clips, shared between runs (default: `.normalised` beside the output). */
  workDir?: string;
  /** The final cut's timeline; without one the clips are joined as they are, sound untouched. */
  timeline?: CutTimeline;
}

/** What the graph's final cut node asks for, with its clips' source node ids (the settings' keys). */
export interface CutTimeline {
  /** The final cut node's id: problems name it. */
  nodeId: string;
  /** Source node id of each clip, in the order of `clips`. */
  clipIds: string[];
  params: FinalCutParams;
  /** Absolute path of `params.music.file`. */
  musicFile?: string;
}

export interface FinalCut {
  output: string;
  durationSec: number;
  /**
   * How the pictures were made: `copy` (stream copy of the clips), `normalised` (odd clips converted
   * once, then stream copy) or `filtered` (one filtergraph pass: trims, transitions, preset).
   */
  mode: 'copy' | 'normalised' | 'filtered';
  /** The loudness normalisation applied, when the timeline asked for it and the film has sound. */
  loudness?: LoudnessResult;
}

/** A clip that cannot be used; `clip` is the offending file as given. */
export class ClipError extends Error {
  constructor(
    message: string,
    public readonly clip: string,
  ) {
    super(message);
    this.name = 'ClipError';
  }
}

/** Everything that must be equal for two clips to be joined by stream copy. */
interface Codecs {
  video: {
    codec: string;
    profile: string;
    width: number;
    height: number;
    sar: string;
    pixFmt: string;
    fps: string;
    timeBase: string;
    /** SPS/PPS: an MP4 has one set for the whole track, so every clip must share it. */
    extradata: string;
  };
  audio?: { codec: string; profile: string; sampleRate: number; channels: number; extradata: string };
}

interface ClipFacts {
  file: string;
  codecs: Codecs;
  /** Length of the picture; the join follows it, so a longer audio tail never shifts later clips. */
  videoSec: number;
}

/** Shares of the progress bar: normalising odd clips, and measuring loudness before the final pass. */
const NORMALISE_SHARE = 0.8;
const MEASURE_SHARE = 0.1;

export async function renderFinalCut(
  clips: string[],
  out: string,
  opts: FinalCutOptions = {},
): Promise<FinalCut> {
  const { signal } = opts;
  if (clips.length === 0) throw new Error('the final cut has no clips to join');
  const facts = await inBatches(clips, 4, (clip, i) => clipFacts(clip, i, signal));
  const first = facts[0]!;
  const tl = opts.timeline;
  const layout = tl ? layoutOrThrow(tl, facts) : undefined;
  const bed = tl?.params.music && tl.musicFile ? await bedFacts(tl, signal) : undefined;
  const target = tl?.params.loudness.enabled ? tl.params.loudness.target_lufs : undefined;
  const span = (a: number, b: number) => (f: number) =>
    opts.onProgress?.(a + (b - a) * Math.min(1, Math.max(0, f)));

  const firstSize = { width: first.codecs.video.width, height: first.codecs.video.height };
  if (tl && layout && needsPictureWork(layout, tl.params, facts)) {
    const size = presetSize(tl.params.preset, firstSize);
    const sound = (offset: number) => soundPlan(facts, layout, true, bed, offset);
    const measureAt = target !== undefined ? MEASURE_SHARE : 0;
    const loudness = target !== undefined ? await gainFor(facts, sound(0), bed, target, signal) : undefined;
    span(0, measureAt)(1);
    const planned = await renderTimeline(facts, layout, sound(0), bed && tl.musicFile, {
      out,
      size,
      preset: tl.params.preset,
      ...(loudness ? { loudness } : {}),
      ...(signal ? { signal } : {}),
      onProgress: span(measureAt, 1),
    });
    const durationSec = await pictureSeconds(out, planned);
    opts.onProgress?.(1);
    return { output: out, durationSec, mode: 'filtered', ...(loudness ? { loudness } : {}) };
  }

  const signature = (f: ClipFacts) => JSON.stringify(f.codecs);
  const copyable = facts.every((f) => f.codecs.audio && signature(f) === signature(first));
  const normaliseEnd = copyable ? 0 : NORMALISE_SHARE;
  const parts = copyable ? facts : await normaliseOdd(facts, out, opts, span(0, normaliseEnd));
  // Sound follows the (possibly normalised) parts: input 0 of the join is the concat list.
  const sound = (offset: number) => soundPlan(parts, layout, false, bed, offset);
  const measureEnd = target !== undefined ? normaliseEnd + (1 - normaliseEnd) * MEASURE_SHARE : normaliseEnd;
  const mixing = (async (): Promise<Mixing> => {
    const loudness = target !== undefined ? await gainFor(parts, sound(0), bed, target, signal) : undefined;
    span(normaliseEnd, measureEnd)(1);
    const decoded = await decodedSound(sound(0), parts, signal);
    return { ...(loudness ? { loudness } : {}), ...(decoded ? { decoded } : {}) };
  })();
  mixing.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  // Where measuring will leave the film's sound decoded, the join's ffmpeg starts meanwhile (its
  // filtergraph comes on its fd 3: POSIX only, where a child's extra pipes are plain descriptors).
  const early =
    target !== undefined && process.platform !== 'win32' && (await mayDecodeOnce(sound(0), parts, signal));
  const durationSec = await join(parts, out, sound(1), bed && tl?.musicFile, mixing, {
    ...(signal ? { signal } : {}),
    early,
    onProgress: span(measureEnd, 1),
  });
  const { loudness } = await mixing;
  opts.onProgress?.(1);
  return {
    output: out,
    durationSec,
    mode: copyable ? 'copy' : 'normalised',
    ...(loudness ? { loudness } : {}),
  };
}

/** A clip's sound cut to its whole picture, in samples at the house rate. */
const wholeClipSamples = (videoSec: number) => Math.round(videoSec * HOUSE_CLIP.sampleRate);

/**
 * Measures a clip's sound as a final cut joining it as it is will take it, so the cut finds the
 * figures known (clip-sound.ts): called as each clip arrives. Never throws; the cut says what is wrong.
 */
export async function measureCutSoundAhead(file: string, runSignal?: AbortSignal): Promise<void> {
  const signal = runSignal && followSignal(runSignal, 1);
  try {
    const f = await clipFacts(file, 0, signal);
    if (!f.codecs.audio) return;
    await measureClipSoundsAhead([{ file, start: 0, end: wholeClipSamples(f.videoSec) }], signal);
  } catch {
    // Not a clip the cut can join, or cancelled: nothing to prepare.
  }
}

/** The timeline laid out on the probed clip lengths; impossible trims or transitions are refused. */
function layoutOrThrow(tl: CutTimeline, facts: ClipFacts[]): Layout {
  if (tl.clipIds.length !== facts.length)
    throw new Error(`the timeline names ${tl.clipIds.length} clips but ${facts.length} were given`);
  const sources = facts.map((f, i) => ({
    nodeId: tl.clipIds[i]!,
    sourcePort: 'video',
    sourceSec: f.videoSec,
  }));
  const layout = layoutTimeline(tl.nodeId, sources, tl.params);
  if (layout.problems.length) throw new ProblemError(layout.problems);
  return layout;
}

/** Pictures need re-encoding for trims, transitions or a preset other than the house format. */
function needsPictureWork(layout: Layout, params: FinalCutParams, facts: ClipFacts[]): boolean {
  const v = facts[0]!.codecs.video;
  if (!isHousePreset(params.preset, { width: v.width, height: v.height })) return true;
  return layout.clips.some(
    (c) => c.inFrame > 0 || c.outFrame !== Math.round(c.sourceSec! * layout.fps) || c.transition.frames > 0,
  );
}

async function bedFacts(tl: CutTimeline, signal?: AbortSignal): Promise<BedInput & { file: string }> {
  const file = tl.musicFile!;
  let sec: number;
  try {
    const args = ['-select_streams', 'a:0', '-show_entries', 'format=duration', '-of', 'csv=p=0', file];
    sec = Number((await runFfprobe(args, signal ? { signal } : {})).trim());
  } catch (e) {
    if (signal?.aborted) throw e;
    sec = NaN;
  }
  if (!(sec > 0)) {
    throw new ProblemError([
      {
        code: 'media.unreadable',
        nodeId: tl.nodeId,
        field: 'music.file',
        message: `"${tl.params.music!.file}" is not readable audio`,
      },
    ]);
  }
  const { file: _f, sha256: _s, ...bed } = tl.params.music!;
  return { file, input: 0, samples: Math.floor(sec * HOUSE_CLIP.sampleRate), bed };
}

/**
 * The sound of `parts`: clip i is ffmpeg input `offset + i`, the music bed the input after the last
 * clip. `pictures` is the timeline when it also shapes the pictures (trims, transitions, frame
 * rate): each clip's sound then follows its in/out frames. Otherwise the pictures are the clips as
 * they are, and so is each clip's sound, cut to its picture's length; the timeline brings gains.
 */
function soundPlan(
  parts: ClipFacts[],
  layout: Layout | undefined,
  pictures: boolean,
  bed: BedInput | undefined,
  offset: number,
): SoundPlan {
  const rate = HOUSE_CLIP.sampleRate;
  const toSamples = (frames: number) => Math.round((frames * rate) / layout!.fps);
  const clips = parts.map((p, i) => {
    const c = layout?.clips[i];
    const shaped = pictures && c?.outFrame !== undefined;
    return {
      input: p.codecs.audio ? offset + i : undefined,
      start: shaped ? toSamples(c.inFrame) : 0,
      end: shaped ? toSamples(c.outFrame!) : wholeClipSamples(p.videoSec),
      gainDb: c?.gainDb ?? 0,
    };
  });
  const seams = parts.map((_, i) => {
    const t = layout?.clips[i]?.transition;
    return pictures && t && t.frames > 0
      ? { type: t.type, length: toSamples(t.frames) }
      : { type: 'cut' as const, length: 0 };
  });
  return { clips, seams, ...(bed ? { bed: { ...bed, input: offset + parts.length } } : {}) };
}

/**
 * The gain (and limiter) that brings the film's sound to `target`: pooled from the clips' own
 * figures where it can be, else measured on the mix. `sound` takes clip i as input i.
 */
async function gainFor(
  parts: ClipFacts[],
  sound: SoundPlan,
  bed: (BedInput & { file: string }) | undefined,
  target: number,
  signal: AbortSignal | undefined,
): Promise<LoudnessResult | undefined> {
  const files = parts.map((p) => p.file);
  const pooled = await pooledLoudness(sound, files, 0, signal);
  return planLoudness(measureInputs(parts, bed), soundtrack(sound), target, signal, pooled);
}

/**
 * The film's sound as measuring its loudness decoded it (clip-sound.ts), when that is the whole
 * sound: clips cut together as they are, each with sound, no gain of its own, no music bed. The
 * join then encodes it as it is instead of decoding every clip again.
 */
async function decodedSound(
  sound: SoundPlan,
  parts: ClipFacts[],
  signal: AbortSignal | undefined,
): Promise<Buffer[] | undefined> {
  const jobs = sound.clips.flatMap((c, i) =>
    c.input === undefined ? [] : [{ file: parts[i]!.file, start: c.start, end: c.end }],
  );
  // Taken whatever the join does: this cut is the last use of what was kept for it.
  const pcm = await takeDecodedSounds(jobs, signal);
  const whole = !sound.bed && jobs.length === sound.clips.length && sound.clips.every((c) => c.gainDb === 0);
  return whole ? pcm : undefined;
}

/** Whether decodedSound may give the film's sound once measured (false: it cannot). */
async function mayDecodeOnce(
  sound: SoundPlan,
  parts: ClipFacts[],
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (!poolable(sound) || sound.clips.some((c) => c.input === undefined || c.gainDb !== 0)) return false;
  return mayKeepDecodedSounds(
    sound.clips.map((c, i) => ({ file: parts[i]!.file, start: c.start, end: c.end })),
    signal,
  );
}

/** Inputs for measuring loudness: every clip's sound (never its pictures) and the music bed. */
function measureInputs(parts: ClipFacts[], bed: (BedInput & { file: string }) | undefined): string[] {
  return [
    ...parts.flatMap((p) => ['-vn', '-i', path.resolve(p.file)]),
    ...(bed ? ['-vn', '-i', path.resolve(bed.file)] : []),
  ];
}

/** Converts the clips that differ from the house format (once: cached in workDir by content). */
async function normaliseOdd(
  facts: ClipFacts[],
  out: string,
  opts: FinalCutOptions,
  onProgress: (fraction: number) => void,
): Promise<ClipFacts[]> {
  const { signal } = opts;
  const first = facts[0]!;
  const signature = (f: ClipFacts) => JSON.stringify(f.codecs);
  const workDir = opts.workDir ?? path.join(path.dirname(out), '.normalised');
  await mkdir(workDir, { recursive: true });
  const size = { width: even(first.codecs.video.width), height: even(first.codecs.video.height) };
  const house = facts.find((f) => isHouse(f.codecs, size));
  const converted = new Set<number>();
  let parts = facts;
  const normaliseWhere = async (which: (f: ClipFacts) => boolean): Promise<ClipFacts[]> => {
    const total = parts.filter(which).reduce((s, f) => s + f.videoSec, 0);
    let done = 0;
    const result: ClipFacts[] = [];
    for (const [i, f] of parts.entries()) {
      if (!which(f)) {
        result.push(f);
        continue;
      }
      const file = await normalise(f, size, workDir, {
        ...(signal ? { signal } : {}),
        onProgress: (s) => onProgress((done + Math.min(s, f.videoSec)) / total),
      });
      done += f.videoSec;
      converted.add(i);
      result.push(await clipFacts(file, i, signal));
    }
    return result;
  };
  // Keep clips already in the house format with the same SPS as the first such clip; convert the rest.
  parts = await normaliseWhere((f) => !house || signature(f) !== signature(house));
  // A kept clip whose SPS differs from what this encoder produces (made by another x264 build) is
  // converted too, so the whole track can share one SPS.
  const ref = parts[Math.min(...converted)]!;
  if (!parts.every((p) => signature(p) === signature(ref))) {
    parts = await normaliseWhere((p) => signature(p) !== signature(ref));
    const odd = parts.find((p) => signature(p) !== signature(ref));
    if (odd)
      throw new ClipError(`${odd.file} still differs from the house format after conversion`, odd.file);
  }
  return parts;
}

/**
 * Pictures: concat demuxer + stream copy, each entry cut at its picture length. Sound: re-joined
 * sample-exactly (decode, trim or pad each clip to its picture length, encode once). Copying AAC
 * through the concat demuxer plays every clip's encoder priming and tail padding, which drifts the
 * sound about 35 ms later per seam (0.7 s over 20 clips); the re-encode costs about 1.5 s per 100 s
 * of film on two cores (npm run bench). Gains, the music bed and loudness ride on that re-encode.
 * Where measuring the loudness decodes and cuts the clips' sound (`mixing.decoded`, one buffer per
 * part), that is read on stdin instead: the same samples, so the same AAC, without decoding again;
 * and the join's ffmpeg is started (`early`) while the clips are measured, its filtergraph given
 * once the gain is known: starting ffmpeg (loading its libraries) no longer waits on the measure.
 */
async function join(
  parts: ClipFacts[],
  out: string,
  sound: SoundPlan,
  musicFile: string | undefined,
  mixing: Promise<Mixing>,
  opts: { signal?: AbortSignal; onProgress: (fraction: number) => void; early: boolean },
): Promise<number> {
  await mkdir(path.dirname(out), { recursive: true });
  const list = tempBeside(out) + '.ffconcat';
  const total = parts.reduce((s, p) => s + p.videoSec, 0);
  const lines = ['ffconcat version 1.0'];
  // inpoint 0: place each clip by its picture, not by its start time (the AAC priming, -21 ms).
  for (const p of parts) {
    lines.push(`file ${concatQuote(path.resolve(p.file))}`, 'inpoint 0', `outpoint ${p.videoSec.toFixed(6)}`);
  }
  await writeFile(list, lines.join('\n') + '\n', 'utf8');
  const rate = HOUSE_CLIP.sampleRate;
  const c = HOUSE_CLIP;
  // -ac, not -ch_layout: every ffmpeg has it (the house filter then names the layout).
  const decodedInput = ['-f', 'f32le', '-ar', String(rate), '-ac', String(c.channels), '-i', 'pipe:0'];
  const fileInputs = [
    ...parts.flatMap((p) => ['-vn', '-i', path.resolve(p.file)]),
    ...(musicFile ? ['-vn', '-i', path.resolve(musicFile)] : []),
  ];
  /** `mix` with `m`'s gain (and limiter), out as `[a]`. */
  const gained = (m: Mixing, mix: { filters: string[]; out: string }) =>
    [...mix.filters, m.loudness ? applyLoudness(mix.out, m.loudness, '[a]') : `${mix.out}anull[a]`].join(';');
  /** Decoded sound read as input `i` (stdin), in the house format. */
  const decodedMix = (i: number) => ({ filters: [`[${i}:a]${houseAudioFormatFilter()}[pcm]`], out: '[pcm]' });
  /** The filtergraph for `m`: the sound decoded already (as the mix makes it) comes on stdin. */
  const graphOf = (m: Mixing) => gained(m, m.decoded ? decodedMix(1) : soundtrack(sound));
  // The decoded sound's length: each clip's cut, one after another (decodedSound).
  const samples = sound.clips.reduce((n, c) => n + c.end - c.start, 0);
  const lanes = soundLanes(samples);
  /** Lane sources: the decoded sound on stdin, or the clips' own files cut to the lane's stretch. */
  const decodedLanes = (m: Promise<Mixing>, pcm: Promise<Buffer[]>) =>
    decodedLane(
      pcm,
      m.then(async (x) => {
        await pcm;
        return gained(x, decodedMix(0));
      }),
    );
  /** The file of ffmpeg input `i`: clip i − 1, or the music bed after the last clip. */
  const fileOf = (i: number) => path.resolve(i <= parts.length ? parts[i - 1]!.file : musicFile!);
  const fileLanes = (m: Mixing) => (from: number, to: number) => {
    const part = soundBetween(sound, from, to);
    return {
      inputs: part.inputs.flatMap((input) => ['-vn', '-i', fileOf(input)]),
      graph: gained(m, soundtrack(part.plan)),
    };
  };
  const cutsOnly = sound.seams.every((s) => s.length === 0);
  /**
   * The film's sound encoded in lanes (sound-lanes.ts), then put beside the pictures as it is. A
   * limiter rides in each lane: its memory is its 5 ms look-ahead and 50 ms release, long settled
   * by the end of a lane's warm-up, so a lane's samples past it are the single pass's, bit for bit
   * (docs/architecture.md §7). So does a music bed's ducking (a 400 ms release). A transition
   * mixes two clips across a seam, and its film takes the single pass (`cutsOnly`).
   */
  const laned = (source: (from: number, to: number) => LaneSource) => {
    // The sound is muxed as the lanes make it: the pictures are copied beside the encode.
    const aac = streamInLanes(samples, lanes, source, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: opts.onProgress,
    });
    return writeAtomically(out, (tmp) =>
      runFfmpeg(
        [
          ...['-loglevel', 'error', '-copyts', '-f', 'concat', '-safe', '0', '-i', list],
          // ADTS carries no priming: the encoder's first frame is put back before the picture's
          // start, as a single pass writes it (an edit list skips it on playback).
          ...['-itsoffset', (-AAC_FRAME / rate).toFixed(9), '-f', 'aac', '-i', 'pipe:0'],
          ...['-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', ...lastPacketFilter(samples)],
          ...['-moov_size', String(moovRoom(parts, total)), '-map_metadata', '-1', '-map_chapters', '-1'],
          ...['-fflags', '+bitexact', '-f', 'mp4', tmp],
        ],
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          mediaSec: total,
          stdin: aac,
        },
      ),
    );
  };
  /** Lanes that could not be used: the single pass follows. */
  const unlaned = (e: unknown) => e instanceof NoSplice;
  /** `graph` as text, or one to come (the child reads it on its fd 3 before it opens its inputs). */
  const run = (
    soundInputs: string[],
    graph: string | Promise<string>,
    stdin?: Buffer[] | Promise<Buffer[]>,
  ) =>
    writeAtomically(out, (tmp) =>
      runFfmpeg(
        [
          '-loglevel',
          'error',
          ...(typeof graph === 'string' ? ['-filter_complex', graph] : ['-filter_complex_script', 'pipe:3']),
          // -copyts: the list's start time is the sound's priming (-21 ms); shifting by it would make
          // the picture start 21 ms late against the (separately joined) sound.
          ...['-copyts', '-f', 'concat', '-safe', '0', '-i', list, ...soundInputs],
          ...['-map', '0:v:0', '-map', '[a]', '-c:v', 'copy'],
          ...houseAudioEncoderArgs(),
          ...['-moov_size', String(moovRoom(parts, total)), '-map_metadata', '-1', '-map_chapters', '-1'],
          ...['-fflags', '+bitexact', '-flags:a', '+bitexact', '-f', 'mp4', tmp],
        ],
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: (s) => opts.onProgress(Math.min(1, s / total)),
          mediaSec: total,
          ...(typeof graph === 'string' ? {} : { filterScript: graph }),
          ...(stdin ? { stdin } : {}),
        },
      ),
    );
  try {
    /** Lanes were tried and cannot be used (no splice): the single pass follows. */
    let unlanable = false;
    if (opts.early) {
      // Started before the gain is known, to read the decoded sound; stopped if it is not given.
      const decoded = mixing.then((m) => m.decoded ?? Promise.reject(new NotDecoded()));
      try {
        if (lanes > 1) await laned(decodedLanes(mixing, decoded));
        else
          await run(
            decodedInput,
            mixing.then(async (m) => graphOf({ ...m, decoded: await decoded })),
            decoded,
          );
        return total;
      } catch (e) {
        if (unlaned(e)) unlanable = true;
        else if (!(e instanceof NotDecoded)) throw e;
      }
    }
    const m = await mixing;
    // Lanes on the sound decoded, else on the clips (their figures were known, so nothing was
    // decoded to measure them).
    if (lanes > 1 && !unlanable && (m.decoded || cutsOnly)) {
      const decoded = m.decoded;
      const source = decoded ? decodedLanes(Promise.resolve(m), Promise.resolve(decoded)) : fileLanes(m);
      try {
        await laned(source);
        return total;
      } catch (e) {
        if (!unlaned(e)) throw e;
      }
    }
    await run(m.decoded ? decodedInput : fileInputs, graphOf(m), m.decoded);
  } finally {
    await rm(list, { force: true });
  }
  // Each entry is cut at its picture's length, so the film's picture is their sum: no probe needed.
  return total;
}

/** What the join's sound takes from measuring: the gain, and the sound where it was left decoded. */
interface Mixing {
  loudness?: LoudnessResult;
  decoded?: Buffer[];
}

/** The join was started for decoded sound that measuring did not leave. */
class NotDecoded extends Error {}

/**
 * Room for the film's index (moov) ahead of its media, so it plays while still downloading without
 * faststart's second pass over the whole file. Each picture and sound packet takes at most 33 bytes
 * of index (size 4, time 8, composition offset 8, sync 4, dependency 1, chunk offset 8): 48 are
 * reserved, plus 64 KiB for the rest (a muxer that ran out of room would fail the cut).
 */
function moovRoom(parts: ClipFacts[], seconds: number): number {
  const pictures = parts.reduce(
    (n, p) => n + Math.ceil(p.videoSec * (rate(p.codecs.video.fps) || 120)) + 1,
    0,
  );
  const packets = Math.ceil((seconds * HOUSE_CLIP.sampleRate) / 1024) + 2;
  return (pictures + packets) * 48 + 65_536;
}

/** The picture's length: the AAC track reports up to one packet of encoder padding beyond it. */
export async function pictureSeconds(file: string, fallback: number): Promise<number> {
  const probe = ['-select_streams', 'v:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', file];
  return Number((await runFfprobe(probe)).trim()) || fallback;
}

/** Converts one clip to the house format at `size`, letterboxed, with silence if it has no audio. */
async function normalise(
  clip: ClipFacts,
  size: { width: number; height: number },
  workDir: string,
  opts: { signal?: AbortSignal; onProgress: (sec: number) => void },
): Promise<string> {
  const target = path.join(workDir, `${await normalisedKey(clip.file, size)}.mp4`);
  if (await exists(target)) return target; // written atomically, so present means complete
  const { width: w, height: h } = size;
  const frames = Math.max(1, Math.round(clip.videoSec * FPS));
  const sec = (frames / FPS).toFixed(6);
  const video = [
    `[0:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=lanczos`,
    `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`,
    'setsar=1',
    `fps=${FPS}`,
    // Exactly `frames` pictures whatever the source's timestamps: clone the last if short, cut if long.
    'tpad=stop_mode=clone:stop_duration=1',
    `trim=end_frame=${frames}`,
    houseVideoFormatFilter(),
  ].join(',');
  const source = clip.codecs.audio ? '[0:a:0]' : `anullsrc=r=${HOUSE_CLIP.sampleRate}:cl=stereo,`;
  const audio = `${source}${houseAudioFormatFilter()},apad=whole_dur=${sec},atrim=end=${sec},asetpts=N/SR/TB`;
  await writeAtomically(target, (tmp) =>
    runFfmpeg(
      [
        ...[
          '-loglevel',
          'error',
          '-i',
          path.resolve(clip.file),
          '-filter_complex',
          `${video}[v];${audio}[a]`,
        ],
        ...['-map', '[v]', '-map', '[a]', ...houseEncoderArgs(), '-f', 'mp4', tmp],
      ],
      {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: opts.onProgress,
        mediaSec: clip.videoSec,
      },
    ),
  );
  return target;
}

/** Content hash of the clip plus everything that shapes the normalised result. */
async function normalisedKey(file: string, size: { width: number; height: number }): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const content = hash.digest('hex');
  return createHash('sha256')
    .update(`${content}|${size.width}x${size.height}|house-v${HOUSE_FORMAT_VERSION}`)
    .digest('hex')
    .slice(0, 32);
}

function isHouse(c: Codecs, size: { width: number; height: number }): boolean {
  const v = c.video;
  const a = c.audio;
  return (
    v.codec === HOUSE_CLIP.videoCodec &&
    v.profile === HOUSE_CLIP.profile &&
    v.pixFmt === HOUSE_CLIP.pixFmt &&
    v.fps === `${HOUSE_CLIP.fps}/1` &&
    v.timeBase === `1/${HOUSE_CLIP.timescale}` &&
    v.sar === '1:1' &&
    v.width === size.width &&
    v.height === size.height &&
    !!a &&
    a.codec === HOUSE_CLIP.audioCodec &&
    a.profile === 'LC' &&
    a.sampleRate === HOUSE_CLIP.sampleRate &&
    a.channels === HOUSE_CLIP.channels
  );
}

/**
 * What the join needs of a clip, from the probe that validation and earlier runs already made of the
 * same bytes (media-facts.ts): a cut of clips seen before runs no ffprobe.
 */
async function clipFacts(file: string, index: number, signal?: AbortSignal): Promise<ClipFacts> {
  const label = `clip ${index + 1} (${file})`;
  if (!(await exists(file))) throw new ClipError(`${label} does not exist`, file);
  let info: MediaInfo;
  try {
    info = await probeMedia(file, signal);
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ClipError(`${label} is not a readable video: ${(e as Error).message}`, file);
  }
  const v = info.video;
  const a = info.audio;
  if (!v || v.attachedPic) throw new ClipError(`${label} has no video stream`, file);
  const fps = rate(v.frameRate);
  const frames = v.frames ?? 0;
  const videoSec = frames > 0 && fps > 0 ? frames / fps : v.streamSec || info.durationSec || 0;
  if (!(videoSec > 0)) throw new ClipError(`${label} has no duration`, file);
  const sar = !v.sar || v.sar.startsWith('0:') ? '1:1' : v.sar;
  return {
    file,
    videoSec,
    codecs: {
      video: {
        codec: v.codec,
        profile: v.profile ?? '',
        width: v.width,
        height: v.height,
        sar,
        pixFmt: v.pixFmt,
        fps: v.frameRate ?? '',
        timeBase: v.timeBase,
        extradata: v.extradata ?? '',
      },
      ...(a
        ? {
            audio: {
              codec: a.codec,
              profile: a.profile ?? '',
              sampleRate: a.sampleRate,
              channels: a.channels,
              extradata: a.extradata ?? '',
            },
          }
        : {}),
    },
  };
}

function rate(r: string | undefined): number {
  const [n, d] = (r ?? '').split('/').map(Number);
  return n && d ? n / d : 0;
}

function even(n: number): number {
  return Math.max(2, n - (n % 2));
}

/** ffconcat quoting: inside '' everything is literal except the quote itself. */
function concatQuote(p: string): string {
  return `'${p.replace(/'/g, `'\\''`)}'`;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Maps with at most `n` running at once (probing 20 clips one by one would dominate a copy join). */
async function inBatches<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return results;
}
