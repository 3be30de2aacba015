// Seedream stills on Ark / ModelArk (docs/gateways.md §7): the models, what `size` may be for each,
// how many images one request may hold, and the price per generated image. One table, read by the
// keyframe node's checks, the estimate, the Ark provider and the mock.

export const SEEDREAM_MODELS = ['seedream-4.0', 'seedream-4.5'] as const;
export type SeedreamModel = (typeof SEEDREAM_MODELS)[number];

export interface SeedreamModelFacts {
  /** Dated model id per region (Volcengine CN prefixes `doubao-`). */
  ids: { cn: string; intl: string };
  /** Named sizes the model accepts (it then picks the aspect from the prompt). */
  presets: readonly string[];
  /** Total pixels (width × height) allowed for an explicit `WxH`. */
  minPixels: number;
  maxPixels: number;
  /** USD per successfully generated image (failed images are not billed). */
  usdPerImage: number;
}

export const SEEDREAM: Record<SeedreamModel, SeedreamModelFacts> = {
  'seedream-4.0': {
    ids: { cn: 'doubao-seedream-4-0-250828', intl: 'seedream-4-0-250828' },
    presets: ['1K', '2K', '4K'],
    minPixels: 1280 * 720,
    maxPixels: 4096 * 4096,
    usdPerImage: 0.03,
  },
  'seedream-4.5': {
    ids: { cn: 'doubao-seedream-4-5-251128', intl: 'seedream-4-5-251128' },
    presets: ['2K', '4K'],
    minPixels: 2560 * 1440,
    maxPixels: 4096 * 4096,
    usdPerImage: 0.04,
  },
};

/** Reference images in plus images out may not exceed this in one request. */
export const SEEDREAM_MAX_IMAGES = 15;
/** Reference images one request may carry. */
export const SEEDREAM_MAX_REFERENCES = 14;
/** Width/height must stay within [1/16, 16]. */
export const SEEDREAM_MAX_ASPECT = 16;

export function seedreamModel(model: string): SeedreamModelFacts | undefined {
  return Object.prototype.hasOwnProperty.call(SEEDREAM, model) ? SEEDREAM[model as SeedreamModel] : undefined;
}

/** Pixel size of `WxH`, or undefined for a preset / anything else. */
export function explicitSize(size: string): [number, number] | undefined {
  const m = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Why `size` is not accepted by `model`, or undefined when it is. */
export function seedreamSizeIssue(model: string, size: string): string | undefined {
  const facts = seedreamModel(model);
  if (!facts) return undefined; // a raw model id or endpoint: Ark itself judges the size
  if (facts.presets.includes(size)) return undefined;
  const wh = explicitSize(size);
  if (!wh) return `must be ${facts.presets.join(', ')} or WIDTHxHEIGHT in pixels, e.g. 2560x1440`;
  const [w, h] = wh;
  const px = w * h;
  if (px < facts.minPixels || px > facts.maxPixels)
    return `${model} makes images of ${facts.minPixels.toLocaleString('en-US')} to ${facts.maxPixels.toLocaleString('en-US')} pixels; ${size} is ${px.toLocaleString('en-US')}`;
  if (w / h > SEEDREAM_MAX_ASPECT || h / w > SEEDREAM_MAX_ASPECT)
    return `width and height may differ by at most ${SEEDREAM_MAX_ASPECT}×; ${size} does not`;
  return undefined;
}

/** The pixel size a still will have: explicit, or a square of the preset (the model may choose otherwise). */
export function stillPixels(size: string): [number, number] {
  const wh = explicitSize(size);
  if (wh) return wh;
  const side = size === '1K' ? 1024 : size === '4K' ? 4096 : 2048;
  return [side, side];
}

/** List price of a keyframe request on `provider`: every image asked for, billed as if all succeed. */
export function estimateStills(
  provider: string,
  model: string,
  images: number,
): { usd: number; known: boolean; basis: string } {
  if (provider === 'animatic') return { usd: 0, known: true, basis: 'offline animatic: free' };
  const facts = seedreamModel(model);
  if (provider !== 'ark' || !facts) return { usd: 0, known: false, basis: `no published price for ${model}` };
  const usd = Math.round(images * facts.usdPerImage * 1e4) / 1e4;
  return {
    usd,
    known: true,
    basis: `${images} image${images === 1 ? '' : 's'} × $${facts.usdPerImage.toFixed(2)}`,
  };
}
