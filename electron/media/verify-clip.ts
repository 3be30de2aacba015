// A downloaded clip is checked before it is kept: every packet is read (ffprobe -count_packets), and
// the frames it really holds are compared with what the gateway said it made (seconds × 24 fps) and
// with the length its own header claims. A CDN that cuts a file short with a matching
// Content-Length passes every byte count; it does not pass this. A plain MP4 whose sample tables
// place every packet inside the file (electron/media/mp4-facts.ts checks each one) would be read to
// its end by ffprobe too: its headers answer in process, without a process start; any file that
// reader does not vouch for is counted by ffprobe as before.
import { FfmpegError, runFfprobe } from './ffmpeg';
import { readMp4Facts } from './mp4-facts';

/** Seedance renders at 24 fps whatever the gateway (docs/gateways.md §3.4). */
export const SEEDANCE_FPS = 24;

export interface ClipFacts {
  /** Video packets read from start to end: one per frame. */
  frames: number;
  fps: number;
  /** The length the file's header claims, in seconds. */
  durationSec: number;
  width: number;
  height: number;
  hasAudio: boolean;
}

/** The file is not the clip it should be; downloading it again may help. */
export class ClipDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClipDamagedError';
  }
}

export interface VerifyClipOptions {
  /** The clip's length as the gateway reported it, in seconds. */
  expectedSec?: number;
  /** Who reported it, for the message ("Ark"). */
  reportedBy?: string;
  signal?: AbortSignal;
  /** Deadline for reading the file; by default 60 s plus 4 s per reported second. */
  timeoutMs?: number;
}

interface RawStream {
  codec_type?: string;
  nb_read_packets?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  width?: number;
  height?: number;
}

export async function verifyClip(file: string, o: VerifyClipOptions = {}): Promise<ClipFacts> {
  if (o.signal?.aborted) throw abortError();
  const facts = (await fromHeaders(file)) ?? (await countPackets(file, o));
  if (facts.frames === 0) throw new ClipDamagedError('it holds no video frames');
  if (o.expectedSec !== undefined && o.expectedSec > 0) {
    const want = Math.round(o.expectedSec * SEEDANCE_FPS);
    if (facts.frames < want - slack(want)) {
      throw new ClipDamagedError(
        `it holds ${facts.frames} of the ${want} frames ${o.reportedBy ?? 'the gateway'} reported (${o.expectedSec} s at ${SEEDANCE_FPS} fps)`,
      );
    }
  }
  const claimed = Math.round(facts.durationSec * facts.fps);
  if (facts.frames < claimed - slack(claimed)) {
    throw new ClipDamagedError(
      `it holds ${facts.frames} frames, but its own header says ${facts.durationSec.toFixed(2)} s (${claimed} frames)`,
    );
  }
  return facts;
}

/** The facts of a plain MP4 whose every sample is inside the file; undefined for ffprobe to count. */
async function fromHeaders(file: string): Promise<ClipFacts | undefined> {
  const info = await readMp4Facts(file).catch(() => undefined);
  const v = info?.video;
  if (!info || !v?.frames || !v.fps) return undefined;
  return {
    frames: v.frames,
    fps: v.fps,
    durationSec: v.streamSec ?? info.durationSec,
    width: v.width,
    height: v.height,
    hasAudio: !!info.audio,
  };
}

/** Every packet read by ffprobe, from start to end. */
async function countPackets(file: string, o: VerifyClipOptions): Promise<ClipFacts> {
  const timeoutMs = o.timeoutMs ?? 60_000 + 4000 * Math.max(0, o.expectedSec ?? 15);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline;
  let out: string;
  try {
    out = await runFfprobe(
      [
        ...['-count_packets', '-show_entries'],
        'stream=codec_type,nb_read_packets,avg_frame_rate,r_frame_rate,duration,width,height:format=duration',
        ...['-of', 'json', file],
      ],
      { signal },
    );
  } catch (e) {
    if (o.signal?.aborted) throw e;
    if (deadline.aborted)
      throw new ClipDamagedError(`reading it took longer than ${Math.round(timeoutMs / 1000)} s`);
    if (e instanceof FfmpegError)
      throw new ClipDamagedError(`it cannot be read as a video (${firstLine(e)})`);
    throw e;
  }
  const json = JSON.parse(out) as { streams?: RawStream[]; format?: { duration?: string } };
  const streams = json.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video');
  if (!v) throw new ClipDamagedError('it has no video stream');
  return {
    frames: Number(v.nb_read_packets ?? 0) || 0,
    fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate) || SEEDANCE_FPS,
    durationSec: Number(v.duration ?? json.format?.duration ?? 0) || 0,
    width: v.width ?? 0,
    height: v.height ?? 0,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}

/** Rounding in reported lengths and encoders' edit lists: a couple of frames, never a second. */
function slack(frames: number): number {
  return Math.max(2, Math.ceil(frames * 0.02));
}

function rate(r: string | undefined): number {
  if (!r) return 0;
  const [n, d] = r.split('/').map(Number);
  return d ? (n ?? 0) / d : (n ?? 0);
}

function firstLine(e: FfmpegError): string {
  return (e.stderr.trim().split('\n').at(-1) ?? e.message).slice(0, 200);
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}
