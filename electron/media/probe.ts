// ffprobe facts the validator, the final cut and the tests need, in one typed shape.
import { runFfprobe } from './ffmpeg';
import { probeByContent } from './media-facts';
import { readMp4Facts } from './mp4-facts';

export interface MediaInfo {
  formatName: string;
  durationSec: number;
  sizeBytes: number;
  video?: {
    codec: string;
    width: number;
    height: number;
    pixFmt: string;
    fps: number;
    sar: string;
    frames?: number;
    profile?: string;
    timeBase: string;
    /** The stream's nominal rate as ffprobe writes it ("24/1"): part of a stream-copy signature. */
    frameRate?: string;
    /** Length of the video stream itself (the container may run longer with the sound). */
    streamSec?: number;
    /** MD5 of the codec's extradata (SPS/PPS): clips joined by stream copy must share it. */
    extradata?: string;
    /** The only picture is a cover image (an mp3's artwork), not a video. */
    attachedPic?: boolean;
  };
  audio?: {
    codec: string;
    sampleRate: number;
    channels: number;
    channelLayout?: string;
    profile?: string;
    extradata?: string;
  };
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  sample_aspect_ratio?: string;
  nb_frames?: string;
  profile?: string;
  duration?: string;
  extradata_hash?: string;
  disposition?: { attached_pic?: number };
  time_base?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
}

function rate(r: string | undefined): number {
  if (!r) return 0;
  const [n, d] = r.split('/').map(Number);
  return d ? (n ?? 0) / d : (n ?? 0);
}

/**
 * ffprobe's facts of a file; the same bytes are probed once (see media-facts.ts). A plain MP4 is read
 * from its headers in process (mp4-facts.ts, the same answer without an ffprobe start).
 */
export function probeMedia(file: string, signal?: AbortSignal): Promise<MediaInfo> {
  return probeByContent(file, signal, readOrProbe);
}

async function readOrProbe(file: string, signal?: AbortSignal): Promise<MediaInfo> {
  signal?.throwIfAborted();
  return (await readMp4Facts(file).catch(() => undefined)) ?? ffprobeMedia(file, signal);
}

/** What ffprobe itself says of a file (no cache, no in-process reading): tests compare with it. */
export async function ffprobeMedia(file: string, signal?: AbortSignal): Promise<MediaInfo> {
  // -pattern_type none: an image named like `shot%03d.png` is one file, not a numbered sequence.
  // -show_data_hash: the extradata's hash, so the final cut needs no probe of its own (final-cut.ts).
  const args = [
    ...['-pattern_type', 'none', '-print_format', 'json', '-show_format', '-show_streams'],
    ...['-show_data_hash', 'MD5', file],
  ];
  const out = await runFfprobe(args, signal ? { signal } : {});
  const json = JSON.parse(out) as {
    format?: { format_name?: string; duration?: string; size?: string };
    streams?: RawStream[];
  };
  const streams = json.streams ?? [];
  const videos = streams.filter((s) => s.codec_type === 'video');
  const v = videos.find((s) => !s.disposition?.attached_pic) ?? videos[0];
  const a = streams.find((s) => s.codec_type === 'audio');
  const info: MediaInfo = {
    formatName: json.format?.format_name ?? '',
    durationSec: Number(json.format?.duration ?? 0) || 0,
    sizeBytes: Number(json.format?.size ?? 0) || 0,
  };
  if (v) {
    info.video = {
      codec: v.codec_name ?? '',
      width: v.width ?? 0,
      height: v.height ?? 0,
      pixFmt: v.pix_fmt ?? '',
      fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate),
      sar: v.sample_aspect_ratio ?? '1:1',
      timeBase: v.time_base ?? '',
      ...(v.nb_frames ? { frames: Number(v.nb_frames) } : {}),
      ...(v.profile ? { profile: v.profile } : {}),
      ...(v.r_frame_rate ? { frameRate: v.r_frame_rate } : {}),
      ...(Number(v.duration) > 0 ? { streamSec: Number(v.duration) } : {}),
      ...(v.extradata_hash ? { extradata: v.extradata_hash } : {}),
      ...(v.disposition?.attached_pic ? { attachedPic: true } : {}),
    };
  }
  if (a) {
    info.audio = {
      codec: a.codec_name ?? '',
      sampleRate: Number(a.sample_rate ?? 0),
      channels: a.channels ?? 0,
      ...(a.channel_layout ? { channelLayout: a.channel_layout } : {}),
      ...(a.profile ? { profile: a.profile } : {}),
      ...(a.extradata_hash ? { extradata: a.extradata_hash } : {}),
    };
  }
  return info;
}
