// Media assertions for tests: real decodes and pixel comparisons, never "a file exists".
// Every call goes through electron/media/ffmpeg.ts, like the app itself.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFfmpeg, runFfprobe } from '../../electron/media/ffmpeg';
import { filterArg } from '../../electron/media/fonts';

/** A fresh folder under the OS temp dir; remove it with `rm(dir, { recursive: true })`. */
export function tempDir(prefix = 'shotgraph-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

async function withScratch<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await tempDir('shotgraph-media-');
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes the frame on screen at `t` seconds (the last frame whose timestamp is ≤ t) as a PNG. For a
 * still image, `t` is ignored. Seeks to 3 s before `t` so long films are not decoded from the start.
 */
export async function frameAt(file: string, t: number, outPng: string): Promise<string> {
  if (await isStill(file)) {
    const input = ['-f', 'image2', '-pattern_type', 'none', '-i', file];
    await runFfmpeg([
      '-loglevel',
      'error',
      ...input,
      '-frames:v',
      '1',
      '-update',
      '1',
      '-c:v',
      'png',
      '-f',
      'image2',
      outPng,
    ]);
    return outPng;
  }
  const seek = Math.max(0, t - 3);
  const end = t - seek + 1e-3; // trim keeps frames with pts < end
  // Every frame of the window is written over the one before (-update 1), so each is PNG-encoded:
  // uncompressed, that costs a copy instead of a deflate (the pixels are the same; ~5× less CPU).
  await runFfmpeg([
    ...['-loglevel', 'error', ...(seek > 0 ? ['-ss', seek.toFixed(6)] : []), '-i', file],
    ...['-map', '0:v:0', '-vf', `trim=end=${end.toFixed(6)}`, '-fps_mode', 'passthrough'],
    ...['-update', '1', '-c:v', 'png', '-compression_level', '0', '-f', 'image2', outPng],
  ]);
  return outPng;
}

/** Images carry no usable timestamps (trim would drop them), so they are taken as they are. */
async function isStill(file: string): Promise<boolean> {
  const format = await runFfprobe([
    '-pattern_type',
    'none',
    '-show_entries',
    'format=format_name',
    '-of',
    'csv=p=0',
    file,
  ]);
  return /^image2$|_pipe$/.test(format.trim());
}

/** The frame with index `n` (0-based, decode order of presentation) as a PNG, by full decode. */
export async function frameNumber(file: string, n: number, outPng: string): Promise<string> {
  await runFfmpeg([
    ...['-loglevel', 'error', '-i', file, '-map', '0:v:0', '-vf', `select=eq(n\\,${n})`],
    ...['-fps_mode', 'passthrough', '-frames:v', '1', '-update', '1', '-c:v', 'png', '-f', 'image2', outPng],
  ]);
  return outPng;
}

export interface FrameComparison {
  ssim: number;
  /** dB; Infinity when the frames are identical. */
  psnr: number;
}

/**
 * SSIM and PSNR between the frame of A at tA and the frame of B at tB. When B differs in
 * size it is scaled to cover A's frame and centre-cropped, as Seedance treats a first-frame image.
 * Both are measured in YUV 4:2:0 (ffmpeg's usual "All" figure), so chroma subsampling alone, which
 * every H.264 clip has, does not count as a difference.
 */
export async function compareFrames(
  fileA: string,
  timeA: number,
  fileB: string,
  timeB: number,
): Promise<FrameComparison> {
  return withScratch(async (dir) => {
    const a = await frameAt(fileA, timeA, path.join(dir, 'a.png'));
    const b = await frameAt(fileB, timeB, path.join(dir, 'b.png'));
    const [w, h] = await size(a);
    const ssimStats = path.join(dir, 'ssim.txt');
    const psnrStats = path.join(dir, 'psnr.txt');
    const graph = [
      '[0:v]format=yuv420p,split[a1][a2]',
      `[1:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,format=yuv420p,split[b1][b2]`,
      `[a1][b1]ssim=stats_file=${filterArg(ssimStats)}`,
      `[a2][b2]psnr=stats_file=${filterArg(psnrStats)}`,
    ].join(';');
    await runFfmpeg(['-loglevel', 'error', '-i', a, '-i', b, '-filter_complex', graph, '-f', 'null', '-']);
    const ssim = /All:([\d.]+)/.exec(await readFile(ssimStats, 'utf8'))?.[1];
    const psnr = /psnr_avg:([\d.]+|inf)/.exec(await readFile(psnrStats, 'utf8'))?.[1];
    if (!ssim || !psnr) throw new Error(`no SSIM/PSNR measured for ${fileA}@${timeA} vs ${fileB}@${timeB}`);
    return { ssim: Number(ssim), psnr: psnr === 'inf' ? Infinity : Number(psnr) };
  });
}

/** SSIM (0..1, 1 = identical) between the frame of A at tA and the frame of B at tB. */
export async function ssimBetween(
  fileA: string,
  timeA: number,
  fileB: string,
  timeB: number,
): Promise<number> {
  return (await compareFrames(fileA, timeA, fileB, timeB)).ssim;
}

/** MD5 of every decoded video frame, in order (ffmpeg's framemd5 muxer). */
export async function framemd5(file: string): Promise<string[]> {
  return withScratch(async (dir) => {
    const out = path.join(dir, 'frames.md5');
    await runFfmpeg(['-loglevel', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', out]);
    return (await readFile(out, 'utf8'))
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(',').pop()!.trim());
  });
}

export interface StreamInfo {
  type: 'video' | 'audio' | string;
  codec: string;
  profile?: string;
  width?: number;
  height?: number;
  pixFmt?: string;
  sar?: string;
  fps?: string;
  timeBase?: string;
  sampleRate?: number;
  channels?: number;
  /** Frames (video) or packets (audio) actually decoded/read, not the header's claim. */
  frames: number;
  durationSec: number;
  /** Presentation time of the first frame or sample. */
  startSec: number;
}

/** Every stream of a file, with counted frames. */
export async function streams(file: string): Promise<StreamInfo[]> {
  const out = await runFfprobe(['-count_frames', '-print_format', 'json', '-show_streams', file]);
  const raw = (JSON.parse(out) as { streams?: Record<string, unknown>[] }).streams ?? [];
  return raw.map((s) => {
    const info: StreamInfo = {
      type: String(s.codec_type),
      codec: String(s.codec_name),
      frames: Number(s.nb_read_frames ?? 0),
      durationSec: Number(s.duration ?? 0),
      startSec: Number(s.start_time ?? 0),
    };
    if (s.profile) info.profile = String(s.profile);
    if (s.codec_type === 'video') {
      Object.assign(info, {
        width: Number(s.width),
        height: Number(s.height),
        pixFmt: String(s.pix_fmt),
        sar: String(s.sample_aspect_ratio ?? '1:1'),
        fps: String(s.r_frame_rate),
        timeBase: String(s.time_base),
      });
    }
    if (s.codec_type === 'audio')
      Object.assign(info, { sampleRate: Number(s.sample_rate), channels: Number(s.channels) });
    return info;
  });
}

/** Container duration in seconds. */
export async function durationOf(file: string): Promise<number> {
  return Number((await runFfprobe(['-show_entries', 'format=duration', '-of', 'csv=p=0', file])).trim());
}

/** Width and height of the first video stream (or image). */
export async function size(file: string): Promise<[number, number]> {
  const out = await runFfprobe([
    '-pattern_type',
    'none',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    file,
  ]);
  const [w, h] = out.trim().split(',').map(Number);
  return [w!, h!];
}

/** RMS level of the first audio stream over the whole file, in dBFS (-Infinity for digital silence). */
export async function meanVolumeDb(file: string): Promise<number> {
  return withScratch(async (dir) => {
    const log = path.join(dir, 'astats.txt');
    const key = 'lavfi.astats.Overall.RMS_level';
    await runFfmpeg([
      ...['-loglevel', 'error', '-i', file, '-map', '0:a:0'],
      ...[
        '-af',
        `astats=metadata=1:reset=0,ametadata=mode=print:key=${key}:file=${filterArg(log)}`,
        '-f',
        'null',
        '-',
      ],
    ]);
    const values = [...(await readFile(log, 'utf8')).matchAll(/RMS_level=(-?[\d.]+|-inf)/g)].map(
      (m) => m[1]!,
    );
    const last = values.at(-1);
    if (last === undefined) throw new Error(`no audio measured in ${file}`);
    return last === '-inf' ? -Infinity : Number(last);
  });
}

// ---- test media ----

/** A detailed still (mandelbrot or testsrc2) so SSIM has structure to compare. */
export async function makeImage(
  out: string,
  width: number,
  height: number,
  pattern: 'mandelbrot' | 'testsrc2' = 'testsrc2',
): Promise<string> {
  const src = pattern === 'mandelbrot' ? `mandelbrot=s=${width}x${height}` : `testsrc2=s=${width}x${height}`;
  // -update 1: the name is used literally even if it contains a '%d'.
  await runFfmpeg([
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    src,
    '-frames:v',
    '1',
    '-update',
    '1',
    '-c:v',
    'png',
    '-f',
    'image2',
    out,
  ]);
  return out;
}

/** A sine tone, loud enough to tell apart from the animatic's bed (about −9 dBFS RMS at 0.5 amplitude). */
export async function makeTone(out: string, seconds: number, freq = 440): Promise<string> {
  await runFfmpeg([
    ...['-loglevel', 'error', '-f', 'lavfi', '-i', `aevalsrc=0.5*sin(2*PI*${freq}*t):s=44100:d=${seconds}`],
    ...['-c:a', 'pcm_s16le', out],
  ]);
  return out;
}

export interface ClipSpec {
  width: number;
  height: number;
  seconds: number;
  fps?: number;
  /** A 330 Hz tone at 48 kHz when true (default), digital silence for 'silence', no audio stream when false. */
  audio?: boolean | 'silence';
  /** Picture source; a moving test pattern by default. */
  pattern?: 'testsrc2' | 'mandelbrot' | 'smptebars';
  /** The tone's pitch (default 330 Hz): clips that must be different files differ here. */
  toneHz?: number;
  /** Extra encoder args (e.g. house args); default is plain libx264 + aac. */
  encoder?: string[];
}

/** A synthetic clip with a moving picture (and optionally a tone), for final-cut tests. */
export async function makeClip(out: string, spec: ClipSpec): Promise<string> {
  const fps = spec.fps ?? 24;
  const src = `${spec.pattern ?? 'testsrc2'}=s=${spec.width}x${spec.height}:r=${fps}`;
  const sound =
    spec.audio === 'silence' ? 'anullsrc=r=48000:cl=stereo' : `sine=f=${spec.toneHz ?? 330}:r=48000`;
  const audio = spec.audio === false ? [] : ['-f', 'lavfi', '-i', sound];
  const enc = spec.encoder ?? [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-ac',
    '2',
  ];
  await runFfmpeg([
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    src,
    ...audio,
    ...enc,
    '-t',
    String(spec.seconds),
    '-f',
    'mp4',
    out,
  ]);
  return out;
}

/** Average luma (0–255) of the frame at `t`, optionally of a region only (e.g. a letterbox bar). */
export async function meanLuma(
  file: string,
  t: number,
  region?: { x: number; y: number; w: number; h: number },
): Promise<number> {
  return withScratch(async (dir) => {
    const png = await frameAt(file, t, path.join(dir, 'frame.png'));
    const log = path.join(dir, 'stats.txt');
    const crop = region ? `crop=${region.w}:${region.h}:${region.x}:${region.y},` : '';
    await runFfmpeg([
      ...['-loglevel', 'error', '-i', png, '-vf'],
      `${crop}format=yuv420p,signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=${filterArg(log)}`,
      ...['-f', 'null', '-'],
    ]);
    const m = /YAVG=([\d.]+)/.exec(await readFile(log, 'utf8'));
    if (!m) throw new Error(`no luma measured for ${file}@${t}`);
    return Number(m[1]);
  });
}

/** Decoded mono samples of the first audio stream at 48 kHz, for sync checks. */
export async function audioSamples(file: string): Promise<Int16Array> {
  return withScratch(async (dir) => {
    const raw = path.join(dir, 'audio.raw');
    await runFfmpeg([
      '-loglevel',
      'error',
      '-i',
      file,
      '-map',
      '0:a:0',
      '-ac',
      '1',
      '-ar',
      '48000',
      '-f',
      's16le',
      raw,
    ]);
    const bytes = await readFile(raw);
    return new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
  });
}

/** Integrated loudness (LUFS, EBU R128) of the first audio stream, by ffmpeg's ebur128 filter. */
export async function loudnessLufs(file: string): Promise<number> {
  return withScratch(async (dir) => {
    const log = path.join(dir, 'r128.txt');
    await runFfmpeg([
      ...['-loglevel', 'error', '-i', file, '-map', '0:a:0', '-af'],
      `ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=${filterArg(log)}`,
      ...['-f', 'null', '-'],
    ]);
    const last = [...(await readFile(log, 'utf8')).matchAll(/lavfi\.r128\.I=(-?[\d.]+)/g)].at(-1)?.[1];
    if (last === undefined) throw new Error(`no loudness measured in ${file}`);
    return Number(last);
  });
}

/**
 * RMS level (dBFS) of the first audio stream between `from` and `to` seconds, optionally only
 * around `hz` (a narrow band-pass), so one tone can be measured under another.
 */
export async function levelDb(file: string, from: number, to: number, hz?: number): Promise<number> {
  return withScratch(async (dir) => {
    const log = path.join(dir, 'astats.txt');
    const key = 'lavfi.astats.Overall.RMS_level';
    const band = hz ? `bandpass=f=${hz}:width_type=q:w=8,` : '';
    await runFfmpeg([
      ...['-loglevel', 'error', '-i', file, '-map', '0:a:0', '-af'],
      `atrim=${from}:${to},${band}astats=metadata=1:reset=0,ametadata=mode=print:key=${key}:file=${filterArg(log)}`,
      ...['-f', 'null', '-'],
    ]);
    const last = [...(await readFile(log, 'utf8')).matchAll(/RMS_level=(-?[\d.]+|-inf)/g)].at(-1)?.[1];
    if (last === undefined) throw new Error(`no audio measured in ${file} ${from}–${to} s`);
    return last === '-inf' ? -Infinity : Number(last);
  });
}

/** Lowest and highest luma (0–255) in a region of an image or of a video's frame at `t`. */
export async function lumaRange(
  file: string,
  t: number,
  region: { x: number; y: number; w: number; h: number },
): Promise<{ min: number; max: number; mean: number }> {
  return withScratch(async (dir) => {
    const png = await frameAt(file, t, path.join(dir, 'frame.png'));
    const log = path.join(dir, 'stats.txt');
    await runFfmpeg([
      ...['-loglevel', 'error', '-i', png, '-vf'],
      `crop=${region.w}:${region.h}:${region.x}:${region.y},format=yuv420p,signalstats,metadata=mode=print:file=${filterArg(log)}`,
      ...['-f', 'null', '-'],
    ]);
    const text = await readFile(log, 'utf8');
    const value = (k: string) => Number(new RegExp(`signalstats\\.${k}=([\\d.]+)`).exec(text)?.[1]);
    return { min: value('YMIN'), max: value('YMAX'), mean: value('YAVG') };
  });
}

/** Highest sample peak of the first audio stream, in dBFS. */
export async function peakDb(file: string): Promise<number> {
  return withScratch(async (dir) => {
    const log = path.join(dir, 'peak.txt');
    const key = 'lavfi.astats.Overall.Peak_level';
    await runFfmpeg([
      ...['-loglevel', 'error', '-i', file, '-map', '0:a:0', '-af'],
      `astats=metadata=1:reset=0,ametadata=mode=print:key=${key}:file=${filterArg(log)}`,
      ...['-f', 'null', '-'],
    ]);
    const last = [...(await readFile(log, 'utf8')).matchAll(/Peak_level=(-?[\d.]+|-inf)/g)].at(-1)?.[1];
    if (last === undefined) throw new Error(`no audio measured in ${file}`);
    return last === '-inf' ? -Infinity : Number(last);
  });
}
