// A downloaded clip is checked before it is kept: every packet is read (ffprobe -count_packets), and
// the frames it really holds are compared with what the gateway said it made (seconds × 24 fps) and
// with the length its own header claims. A CDN that cuts a file short with a matching
// Content-Length passes every byte count; it does not pass this.
import { FfmpegError, runFfprobe } from './ffmpeg';

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
  const frames = Number(v.nb_read_packets ?? 0) || 0;
  const fps = rate(v.avg_frame_rate) || rate(v.r_frame_rate) || SEEDANCE_FPS;
  const durationSec = Number(v.duration ?? json.format?.duration ?? 0) || 0;
  if (frames === 0) throw new ClipDamagedError('it holds no video frames');
  if (o.expectedSec !== undefined && o.expectedSec > 0) {
    const want = Math.round(o.expectedSec * SEEDANCE_FPS);
    if (frames < want - slack(want)) {
      throw new ClipDamagedError(
        `it holds ${frames} of the ${want} frames ${o.reportedBy ?? 'the gateway'} reported (${o.expectedSec} s at ${SEEDANCE_FPS} fps)`,
      );
    }
  }
  const claimed = Math.round(durationSec * fps);
  if (frames < claimed - slack(claimed)) {
    throw new ClipDamagedError(
      `it holds ${frames} frames, but its own header says ${durationSec.toFixed(2)} s (${claimed} frames)`,
    );
  }
  return {
    frames,
    fps,
    durationSec,
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
