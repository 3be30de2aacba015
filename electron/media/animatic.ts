// The offline animatic: a free, local stand-in for a Seedance shot with the same pixel size, frame
// count and continuity rules, so a whole graph can be cut and timed before any money is spent. It
// reads as a storyboard film: a picture with a slow camera push (plate.ts) under burn-ins (slate.ts).
// Frame 0 is the first-frame image and the last frame is free of any burn-in (and is the wired last
// frame, when there is one), so chained shots join without a visible seam.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { AUTO_DURATION_ASSUMED, FPS, outputSize } from '../../shared/seedance/limits';
import type { MediaRef, ShotRequest } from '../providers/types';
import { writeAtomically } from './atomic-output';
import { houseAudioFormatFilter, houseEncoderArgs, HOUSE_CLIP } from './clip-format';
import { runFfmpeg } from './ffmpeg';
import { slateFonts } from './fonts';
import { extractLastFrame } from './last-frame';
import { colourOf, hash32, writeCleanPlate } from './clean-plate';
import { imageInput, plateChains, plateInput, type Plate } from './plate';
import { probeMedia } from './probe';
import { burnIns, type SlateText } from './slate';

export { ZOOM_END } from './plate';
export { BURN_IN_CLEAR_SEC } from './slate';

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

/** RMS of the generated bed is about −30 dBFS: audible on headphones, never mistaken for a real track. */
const BED_AMPLITUDES = [0.03, 0.025, 0.02];
const BED_ROOTS_HZ = [98, 110, 123.47, 130.81, 146.83];
/** Reference images shown in the strip (Seedance takes up to nine). */
const STRIP_MAX = 9;

export async function renderAnimatic(
  req: ShotRequest,
  outDir: string,
  opts: AnimaticOptions = {},
): Promise<AnimaticClip> {
  const { signal } = opts;
  const seconds = req.duration === 'auto' ? AUTO_DURATION_ASSUMED : req.duration;
  const frames = Math.max(2, Math.round(seconds * FPS));
  const durationSec = frames / FPS;
  const lastFrame = req.lastFrame ? localPath(req.lastFrame, 'last frame') : undefined;
  const [width, height] = outputSize(req.ratio, req.resolution, await adaptiveAspect(req, signal));
  const fonts = await slateFonts(opts.env ?? process.env);

  await mkdir(outDir, { recursive: true });
  const scratch = await mkdtemp(path.join(outDir, '.animatic-'));
  try {
    const inputs: string[] = [];
    let next = 0;
    const add = (args: string[]) => (inputs.push(...args), next++);
    const plate = pickPlate(req) ?? {
      kind: 'image',
      file: await writeCleanPlate(path.join(scratch, 'clean-plate.ppm'), width, height, req.prompt),
      gain: 1,
    };
    const plateIndex = add(plateInput(plate));
    const lastIndex = lastFrame ? add(imageInput(lastFrame)) : undefined;
    const strip = localFiles(req.referenceImages)
      .slice(0, STRIP_MAX)
      .map((file) => add(imageInput(file)));
    const audioFile = req.referenceAudios.find((a) => a.path)?.path;
    const audioIndex = audioFile ? add(['-i', path.resolve(audioFile)]) : undefined;

    const size = { width, height, frames, durationSec };
    const overlays = await burnIns(
      { ...size, fonts, slate: slateText(req, durationSec), prompt: req.prompt, strip },
      scratch,
    );
    const graph = [
      ...plateChains(plate, plateIndex, lastIndex, size, 'picture'),
      ...(overlays ? [...overlays.chains, overlays.apply('picture', 'v')] : ['[picture]null[v]']),
      audioChain(req, audioIndex, durationSec),
    ].join(';');

    const video = path.join(outDir, ANIMATIC_FILES.video);
    const lastFramePng = path.join(outDir, ANIMATIC_FILES.lastFrame);
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
      await extractLastFrame(tmp, lastFramePng, signal);
    });
    opts.onProgress?.(1);
    return { video, lastFrame: lastFramePng, durationSec };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The first-frame image, else the reference video's motion, else the first reference image
 * (dimmed: it shows the look, it is not the frame); undefined: a clean plate (clean-plate.ts).
 */
function pickPlate(req: ShotRequest): Plate | undefined {
  if (req.firstFrame) return { kind: 'image', file: localPath(req.firstFrame, 'first frame'), gain: 1 };
  const [video] = localFiles(req.referenceVideos);
  if (video) return { kind: 'video', file: video };
  const [image] = localFiles(req.referenceImages);
  if (image) return { kind: 'image', file: image, gain: 0.7 };
  return undefined;
}

/** What the slate says. Scene, number and label are presentation only (see ShotRequest.slate). */
function slateText(req: ShotRequest, durationSec: number): SlateText {
  const { scene, shot, label } = req.slate ?? {};
  const number = shot !== undefined ? `SHOT ${shot}` : '';
  // The number first: where the heading is cut short, the scene's name gives way.
  const heading = [number, scene?.trim().toUpperCase()].filter(Boolean).join(' · ');
  const seconds = Number.isInteger(durationSec) ? `${durationSec}` : durationSec.toFixed(2);
  return {
    heading,
    title: label?.trim() || req.nodeId,
    detail: [`${seconds} s`, req.ratio, req.resolution].join(' · '),
    // One edge colour per scene, so the shots of a scene read as one.
    accent: colourOf(scene?.trim() || req.nodeId, 0.65, 0.58),
  };
}

function localFiles(refs: MediaRef[]): string[] {
  // Absolute, so a relative name like `take: 2.png` is never read as a URL scheme by ffmpeg.
  return refs.filter((r) => r.path).map((r) => path.resolve(r.path!));
}

function localPath(ref: MediaRef, what: string): string {
  if (ref.path) return path.resolve(ref.path);
  throw new Error(
    `the animatic renders offline and needs the ${what} as a local file, not ${ref.url ?? 'a URL'}`,
  );
}

/** `adaptive` follows the first frame, else the first reference image or video (docs/gateways.md §3.3). */
async function adaptiveAspect(req: ShotRequest, signal?: AbortSignal): Promise<number | undefined> {
  if (req.ratio !== 'adaptive') return undefined;
  const file = req.firstFrame
    ? localPath(req.firstFrame, 'first frame')
    : (localFiles(req.referenceImages)[0] ?? localFiles(req.referenceVideos)[0]);
  if (!file) return undefined;
  const v = (await probeMedia(file, signal)).video;
  return v && v.width > 0 && v.height > 0 ? v.width / v.height : undefined;
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

function secs(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(6);
}
