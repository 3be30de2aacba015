// Seedance 2.0 limits from docs/gateways.md §1.4, §1.5, §3.1–3.3. One table for the
// validator, the editor's inspector and the providers, so they can never disagree.

export const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'] as const;
export type Ratio = (typeof RATIOS)[number];

export const RESOLUTIONS = ['480p', '720p', '1080p', '4k'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Friendly model names the graph file uses; providers map them to each gateway's id. */
export const MODELS = ['seedance-2.0', 'seedance-2.0-fast'] as const;
export type ModelName = (typeof MODELS)[number];

/** Output resolutions per model (§3.2, configurable because they changed during 2026). */
export const MODEL_RESOLUTIONS: Record<ModelName, readonly Resolution[]> = {
  'seedance-2.0': ['480p', '720p', '1080p'],
  'seedance-2.0-fast': ['480p', '720p'],
};

/** Exact output pixel sizes (§3.3) for the 2.0 family. */
export const PIXEL_SIZES: Record<Exclude<Ratio, 'adaptive'>, Record<Resolution, [number, number]>> = {
  '16:9': { '480p': [864, 496], '720p': [1280, 720], '1080p': [1920, 1080], '4k': [3840, 2160] },
  '4:3': { '480p': [752, 560], '720p': [1112, 834], '1080p': [1664, 1248], '4k': [3326, 2494] },
  '1:1': { '480p': [640, 640], '720p': [960, 960], '1080p': [1440, 1440], '4k': [2880, 2880] },
  '3:4': { '480p': [560, 752], '720p': [834, 1112], '1080p': [1248, 1664], '4k': [2494, 3326] },
  '9:16': { '480p': [496, 864], '720p': [720, 1280], '1080p': [1080, 1920], '4k': [2160, 3840] },
  '21:9': { '480p': [992, 432], '720p': [1470, 630], '1080p': [2206, 946], '4k': [4398, 1886] },
};

export const FPS = 24;
export const DURATION = { min: 4, max: 15, default: 5 } as const;
/** What a gateway picks for `auto` in our estimates and the animatic. */
export const AUTO_DURATION_ASSUMED = 5;

export const IMAGE_LIMITS = {
  minSide: 300,
  maxSide: 6000,
  minAspect: 0.4,
  maxAspect: 2.5,
  maxBytes: 30 * 1024 * 1024,
};
export const REFERENCE_LIMITS = { images: 9, videos: 3, audios: 3 } as const;
export const VIDEO_CLIP_LIMITS = { minSec: 2, maxSec: 15, maxTotalSec: 15, maxBytes: 200 * 1024 * 1024 };
export const AUDIO_CLIP_LIMITS = { minSec: 2, maxSec: 15, maxTotalSec: 15, maxBytes: 15 * 1024 * 1024 };

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'bmp', 'tiff', 'tif', 'gif'] as const;
export const VIDEO_EXTENSIONS = ['mp4', 'mov'] as const;
export const AUDIO_EXTENSIONS = ['wav', 'mp3'] as const;

/** Pixel size of a shot's output. `adaptive` follows the first frame's aspect, else 16:9 (§3.3). */
export function outputSize(
  ratio: Ratio,
  resolution: Resolution,
  firstFrameAspect?: number,
): [number, number] {
  const concrete = ratio === 'adaptive' ? nearestRatio(firstFrameAspect ?? 16 / 9) : ratio;
  return PIXEL_SIZES[concrete][resolution];
}

export function nearestRatio(aspect: number): Exclude<Ratio, 'adaptive'> {
  let best: Exclude<Ratio, 'adaptive'> = '16:9';
  let bestDiff = Infinity;
  for (const r of Object.keys(PIXEL_SIZES) as Exclude<Ratio, 'adaptive'>[]) {
    const [w, h] = PIXEL_SIZES[r]['720p'];
    const diff = Math.abs(Math.log(w / h) - Math.log(aspect));
    if (diff < bestDiff) [best, bestDiff] = [r, diff];
  }
  return best;
}

export function isModelName(model: string): model is ModelName {
  return (MODELS as readonly string[]).includes(model);
}

/** Resolutions a model accepts; a raw gateway model id or `ep-…` endpoint gets the widest list. */
export function resolutionsFor(model: string): readonly Resolution[] {
  if (isModelName(model)) return MODEL_RESOLUTIONS[model];
  return /fast|mini/.test(model) ? MODEL_RESOLUTIONS['seedance-2.0-fast'] : RESOLUTIONS;
}
