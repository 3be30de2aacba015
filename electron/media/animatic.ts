// The offline animatic: a free, local stand-in for a Seedance shot with the same pixel size, frame
// count and continuity rules, so a whole graph can be cut and timed before any money is spent.
// Frame 0 is the first-frame image and the first and last frames are free of captions, so chained
// shots join without a visible seam.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { AUTO_DURATION_ASSUMED, FPS, outputSize } from '../../shared/seedance/limits';
import type { MediaRef, ShotRequest } from '../providers/types';
import { writeAtomically } from './atomic-output';
import { charsPerLine, drawTextBlock, wrapLines, writeLineFiles } from './caption';
import { houseAudioFormatFilter, houseEncoderArgs, houseVideoFormatFilter, HOUSE_CLIP } from './clip-format';
import { runFfmpeg } from './ffmpeg';
import { captionFont, type FontChoice } from './fonts';
import { extractLastFrame } from './last-frame';
import { probeMedia } from './probe';

export interface AnimaticOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Where SHOTGRAPH_FONT is read from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface AnimaticClip {
  video: string;
  lastFrame: string;
  durationSec: number;
}

export const ANIMATIC_FILES = { video: 'shot.mp4', lastFrame: 'last-frame.png' } as const;

/** Zoom at the last frame; the move is slow enough to read as a camera push, not a jump. */
export const ZOOM_END = 1.06;
/** The caption is fully transparent before this and after duration minus this (clean seams). */
export const CAPTION_CLEAR_SEC = 0.5;
const CAPTION_FADE_SEC = 0.5;
/** RMS of the generated bed is about −30 dBFS: audible on headphones, never mistaken for a real track. */
const BED_AMPLITUDES = [0.03, 0.025, 0.02];
const BED_ROOTS_HZ = [98, 110, 123.47, 130.81, 146.83];

type Backdrop =
  { kind: 'first-frame'; file: string } | { kind: 'reference'; file: string } | { kind: 'card' };

export async function renderAnimatic(
  req: ShotRequest,
  outDir: string,
  opts: AnimaticOptions = {},
): Promise<AnimaticClip> {
  const { signal } = opts;
  const frames = Math.max(
    2,
    Math.round((req.duration === 'auto' ? AUTO_DURATION_ASSUMED : req.duration) * FPS),
  );
  const durationSec = frames / FPS;
  const backdrop = pickBackdrop(req);
  const [width, height] = outputSize(req.ratio, req.resolution, await adaptiveAspect(req, backdrop, signal));
  const font = req.prompt.trim() ? await captionFont(opts.env ?? process.env) : null;

  await mkdir(outDir, { recursive: true });
  const scratch = await mkdtemp(path.join(outDir, '.animatic-'));
  try {
    const inputs: string[] = [];
    let next = 0;
    let backdropInput: number | undefined;
    if (backdrop.kind !== 'card') {
      inputs.push(...imageInput(backdrop.file));
      backdropInput = next++;
    }
    const audioFile = req.referenceAudios.find((a) => a.path)?.path;
    let audioInput: number | undefined;
    if (audioFile) {
      inputs.push('-i', path.resolve(audioFile));
      audioInput = next++;
    }

    const size = { width, height, frames, durationSec };
    const text = font
      ? await textFilters(req.prompt, backdrop, font, size, scratch)
      : { still: '', moving: '' };
    const graph = [
      videoChain(backdrop, backdropInput, req.prompt, size, text),
      audioChain(req, audioInput, durationSec),
    ].join(';');

    const video = path.join(outDir, ANIMATIC_FILES.video);
    const lastFrame = path.join(outDir, ANIMATIC_FILES.lastFrame);
    await writeAtomically(video, async (tmp) => {
      const args = [
        ...['-loglevel', 'error', ...inputs, '-filter_complex', graph, '-map', '[v]', '-map', '[a]'],
        ...houseEncoderArgs(),
        ...['-f', 'mp4', tmp],
      ];
      const onProgress = opts.onProgress;
      await runFfmpeg(args, {
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress: (s: number) => onProgress(Math.min(0.99, s / durationSec)) } : {}),
      });
      // From the temp clip, so the shot folder never holds a video without its last frame.
      await extractLastFrame(tmp, lastFrame, signal);
    });
    opts.onProgress?.(1);
    return { video, lastFrame, durationSec };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function pickBackdrop(req: ShotRequest): Backdrop {
  if (req.firstFrame) return { kind: 'first-frame', file: localPath(req.firstFrame, 'first frame') };
  const ref = req.referenceImages.find((r) => r.path)?.path;
  return ref ? { kind: 'reference', file: path.resolve(ref) } : { kind: 'card' };
}

function localPath(ref: MediaRef, what: string): string {
  // Absolute, so a relative name like `take: 2.png` is never read as a URL scheme by ffmpeg.
  if (ref.path) return path.resolve(ref.path);
  throw new Error(
    `the animatic renders offline and needs the ${what} as a local file, not ${ref.url ?? 'a URL'}`,
  );
}

/** `adaptive` follows the first frame, else the first reference image or video (§3.3). */
async function adaptiveAspect(
  req: ShotRequest,
  backdrop: Backdrop,
  signal?: AbortSignal,
): Promise<number | undefined> {
  if (req.ratio !== 'adaptive') return undefined;
  const video = req.referenceVideos.find((r) => r.path)?.path;
  const file = backdrop.kind !== 'card' ? backdrop.file : video && path.resolve(video);
  if (!file) return undefined;
  const v = (await probeMedia(file, signal)).video;
  return v && v.width > 0 && v.height > 0 ? v.width / v.height : undefined;
}

/** A still image as exactly one frame; `-pattern_type none` so a `%` in a file name is not a sequence. */
function imageInput(file: string): string[] {
  return /\.gif$/i.test(file) ? ['-i', file] : ['-f', 'image2', '-pattern_type', 'none', '-i', file];
}

interface ClipSize {
  width: number;
  height: number;
  frames: number;
  durationSec: number;
}

/** Text drawn on the still (title card) and on the moving frames (caption). */
async function textFilters(
  prompt: string,
  backdrop: Backdrop,
  font: FontChoice,
  size: ClipSize,
  scratch: string,
): Promise<{ still: string; moving: string }> {
  const short = Math.min(size.width, size.height);
  if (backdrop.kind === 'first-frame') {
    const fontSize = Math.max(12, Math.round(short / 22));
    const lines = wrapLines(prompt, charsPerLine(size.width * 0.86, fontSize), 3);
    const lineHeight = Math.round(fontSize * 1.5);
    const d = size.durationSec;
    const [a, b, c, e] = [
      CAPTION_CLEAR_SEC,
      CAPTION_CLEAR_SEC + CAPTION_FADE_SEC,
      d - CAPTION_CLEAR_SEC - CAPTION_FADE_SEC,
      d - CAPTION_CLEAR_SEC,
    ];
    const moving = drawTextBlock({
      files: await writeLineFiles(scratch, 'caption', lines),
      font,
      fontSize,
      top: size.height - Math.round(size.height * 0.06) - lines.length * lineHeight,
      lineHeight,
      style: 'caption',
      alpha: `if(lt(t,${b}),(t-${a})/${CAPTION_FADE_SEC},if(lt(t,${c}),1,(${e}-t)/${CAPTION_FADE_SEC}))`,
      enable: `between(t,${a},${e})`,
    });
    return { still: '', moving };
  }
  // Title card: the prompt is the picture, so it is drawn once on the still and moves with the camera.
  const fontSize = Math.max(16, Math.round(short / 13));
  const lines = wrapLines(prompt, charsPerLine(size.width * 0.8, fontSize), 5);
  const lineHeight = Math.round(fontSize * 1.35);
  const still = drawTextBlock({
    files: await writeLineFiles(scratch, 'title', lines),
    font,
    fontSize,
    top: Math.round((size.height - lines.length * lineHeight) / 2),
    lineHeight,
    style: 'title',
  });
  return { still, moving: '' };
}

function videoChain(
  backdrop: Backdrop,
  input: number | undefined,
  prompt: string,
  size: ClipSize,
  text: { still: string; moving: string },
): string {
  const { width: w, height: h, frames } = size;
  // The still is built once in RGB (so the image's own colour matrix is honoured), then converted
  // with the house matrix, repeated `frames` times and moved; per-frame work is only the move.
  const still =
    input === undefined
      ? [`color=c=${cardColour(prompt)}:s=${w}x${h}:r=${FPS}`, 'trim=end_frame=1', 'format=rgb24', vignette()]
      : [
          `[${input}:v]trim=end_frame=1`,
          `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=lanczos`,
          `crop=${w}:${h}`,
          'format=rgb24',
          ...(backdrop.kind === 'reference' ? ['colorchannelmixer=rr=0.4:gg=0.4:bb=0.4'] : []),
        ];
  return (
    [
      ...still,
      ...(text.still ? [text.still] : []),
      'setsar=1',
      houseVideoFormatFilter(),
      `loop=loop=${frames - 1}:size=1:start=0`,
      // Exact 1/24 timestamps (an image input has a 1/25 time base, which would round them).
      `settb=1/${FPS}`,
      'setpts=N',
      cameraPush(frames),
      ...(text.moving ? [text.moving] : []),
    ].join(',') + '[v]'
  );
}

/**
 * Centred zoom from 1.00 to ZOOM_END. perspective samples with sub-pixel precision, so unlike
 * zoompan (integer, chroma-aligned crop offsets) the push does not judder; at frame 0 it is the identity.
 */
function cameraPush(frames: number): string {
  const m = (dim: string) => `${dim}*(1-1/(1+${ZOOM_END - 1}*on/${frames - 1}))/2`;
  const [x0, y0, x1, y1] = [m('W'), m('H'), `W-${m('W')}`, `H-${m('H')}`];
  const corners = { x0, y0, x1, y1: y0, x2: x0, y2: y1, x3: x1, y3: y1 };
  const points = Object.entries(corners).map(([k, v]) => `${k}='${v}'`);
  return `perspective=${points.join(':')}:interpolation=linear:sense=source:eval=frame`;
}

/** A soft radial falloff so the title card has depth and the camera push is visible. */
function vignette(): string {
  const f = '(1.1-0.55*hypot(X/W-0.5,Y/H-0.5))';
  return `geq=r='r(X,Y)*${f}':g='g(X,Y)*${f}':b='b(X,Y)*${f}'`;
}

function audioChain(req: ShotRequest, input: number | undefined, durationSec: number): string {
  const d = secs(durationSec);
  const fit = `apad=whole_dur=${d},atrim=end=${d},asetpts=N/SR/TB`;
  if (input !== undefined) return `[${input}:a:0]${houseAudioFormatFilter()},${fit}[a]`;
  if (!req.generateAudio) return `anullsrc=r=${HOUSE_CLIP.sampleRate}:cl=stereo,${fit}[a]`;
  // A quiet chord seeded by the shot, so "generate audio" is audible in the animatic but obviously a stand-in.
  const root = BED_ROOTS_HZ[hash32(`${req.seed}:${req.prompt}`) % BED_ROOTS_HZ.length]!;
  const partials = BED_AMPLITUDES.map(
    (amp, i) => `${amp}*sin(2*PI*${(root * [1, 1.5, 2][i]!).toFixed(2)}*t)`,
  );
  const edges = `min(1,t/0.05)*min(1,(${d}-t)/0.05)`; // 50 ms ramps: no click at the seams
  const expr = `(${partials.join('+')})*${edges}`;
  return `aevalsrc=exprs='${expr}':c=stereo:s=${HOUSE_CLIP.sampleRate}:d=${d},${houseAudioFormatFilter()},${fit}[a]`;
}

/** Deterministic, fairly dark card colour from the prompt, so white text is always readable. */
export function cardColour(prompt: string): string {
  const h = hash32(prompt);
  const hue = h % 360;
  const [r, g, b] = hslToRgb(hue, 0.45, 0.3);
  return `0x${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** FNV-1a: tiny, stable across platforms and Node versions. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function hslToRgb(hue: number, s: number, l: number): [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 60
      ? [c, x, 0]
      : hue < 120
        ? [x, c, 0]
        : hue < 180
          ? [0, c, x]
          : hue < 240
            ? [0, x, c]
            : hue < 300
              ? [x, 0, c]
              : [c, 0, x];
  return [r, g, b].map((v) => Math.round((v + m) * 255)) as [number, number, number];
}

function secs(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(6);
}
