// What each Seedance gateway can do, per model (docs/gateways.md §1–2, §3.2, §5). One table for the
// validator (an unsupported shot is refused before any paid call), the providers and the editor's
// settings screen, so what the user is shown and what a run enforces can never disagree.
import {
  DURATION,
  MODEL_RESOLUTIONS,
  RATIOS,
  resolutionsFor,
  type ModelName,
  type Ratio,
  type Resolution,
} from './limits';

export const GATEWAYS = ['ark', 'seed2', 'apiframe', 'xingchao', 'inference'] as const;
export type GatewayName = (typeof GATEWAYS)[number];

export type MediaKind = 'image' | 'video' | 'audio';

export interface ModelCapabilities {
  /** The id sent on the wire. */
  id: string;
  /**
   * 'role': a first-frame field or role. 'prompt': the image is sent as image 1 and the prompt says
   * it is the first frame (seed2.io has no roles, §2.1). false: no first frame at all.
   */
  firstFrame: 'role' | 'prompt' | false;
  lastFrame: boolean;
  /** Most reference media of each kind one shot may send. */
  references: Record<MediaKind, number>;
  /** Fewest reference videos a shot must send (xingchaoyiqing's non-pro models). */
  minReferenceVideos: number;
  resolutions: readonly Resolution[];
  /** False when the gateway has no resolution field: its videos come at `resolutions[0]`. */
  resolutionSetting: boolean;
  durations: { min: number; max: number; auto: boolean };
  ratios: readonly Ratio[];
  /** generate_audio can be set; false means the gateway decides whether a clip has sound. */
  generateAudio: boolean;
  seed: boolean;
  watermark: boolean;
  /** The gateway hands back the last frame; otherwise Shotgraph extracts it from the video. */
  returnsLastFrame: boolean;
  /** Local files it takes (inline as data URIs); the rest must be URLs. */
  localFiles: Record<MediaKind, boolean>;
  /** The gateway documents the prompt as required (media alone is not a shot there). */
  promptRequired: boolean;
  /**
   * It takes ids from the vendor's asset library (`asset://<id>`) where a URL goes: Ark officially,
   * Apiframe and xingchaoyiqing by their pages (docs/gateways.md §1.5, §2.2, §2.3). Sent as is.
   */
  assetIds: boolean;
}

export interface GatewayCapabilities {
  name: GatewayName;
  /** As users know it: "seed2.io", "inference.sh". */
  label: string;
  keyEnv: string;
  baseUrlEnv: string;
  defaultBaseUrl: string;
  /** Friendly model names of the graph file → the gateway's id. Other ids pass through unchanged. */
  aliases: Record<ModelName, string>;
  /** Known models by wire id. */
  models: Record<string, ModelCapabilities>;
  /** Caps assumed for an id the table does not know (a raw id passes; the gateway has the last word). */
  fallback: string;
  /** Published price, or why there is none. */
  pricing: string;
  /** Things a user should know that the columns do not say. */
  notes: string[];
}

const ALL_REFS = { image: 9, video: 3, audio: 3 } as const;
const DURATIONS = { min: DURATION.min, max: DURATION.max, auto: false };
const URL_ONLY = { image: false, video: false, audio: false } as const;
/** Ark and inference.sh take images and audio as base64 data URIs, never video (§1.5, §2.4, §3.1). */
const INLINE_IMAGE_AUDIO = { image: true, video: false, audio: true } as const;
const FAST = MODEL_RESOLUTIONS['seedance-2.0-fast'];
const FULL = MODEL_RESOLUTIONS['seedance-2.0'];

function model(id: string, caps: Omit<ModelCapabilities, 'id'>): ModelCapabilities {
  return { id, ...caps };
}

const arkLike = (id: string, resolutions: readonly Resolution[]): ModelCapabilities =>
  model(id, {
    firstFrame: 'role',
    lastFrame: true,
    references: ALL_REFS,
    minReferenceVideos: 0,
    resolutions,
    resolutionSetting: true,
    durations: { ...DURATIONS, auto: true },
    ratios: RATIOS,
    generateAudio: true,
    seed: true,
    watermark: true,
    returnsLastFrame: true,
    localFiles: INLINE_IMAGE_AUDIO,
    promptRequired: false,
    assetIds: true,
  });

const seed2 = (id: string): ModelCapabilities =>
  model(id, {
    firstFrame: 'prompt',
    lastFrame: false,
    references: ALL_REFS,
    minReferenceVideos: 0,
    // No resolution field (§2.1): what the gateway renders is the Seedance default.
    resolutions: ['720p'],
    resolutionSetting: false,
    durations: DURATIONS,
    ratios: RATIOS.filter((r) => r !== 'adaptive'),
    generateAudio: false,
    seed: false,
    watermark: false,
    returnsLastFrame: false,
    localFiles: URL_ONLY,
    promptRequired: true,
    assetIds: false,
  });

const apiframe = (id: string, resolutions: readonly Resolution[]): ModelCapabilities =>
  model(id, {
    firstFrame: 'role',
    lastFrame: true,
    references: ALL_REFS,
    minReferenceVideos: 0,
    resolutions,
    resolutionSetting: true,
    // docs-v2 (the endpoint's reference) says any integer 4–15; the model page's 4/6/8/10/12/15 is
    // read as a list of examples (§5.9). A gateway that enforces it answers 400, which costs nothing.
    durations: DURATIONS,
    ratios: RATIOS,
    generateAudio: true,
    seed: true,
    watermark: false,
    // return_last_frame exists, but no result field for the frame is documented (§2.2).
    returnsLastFrame: false,
    localFiles: URL_ONLY,
    promptRequired: false,
    assetIds: true,
  });

const xingchao = (id: string, pro: boolean): ModelCapabilities =>
  model(id, {
    firstFrame: pro ? 'role' : false,
    lastFrame: pro,
    references: ALL_REFS,
    minReferenceVideos: pro ? 0 : 1,
    resolutions: ['720p'],
    resolutionSetting: false,
    durations: DURATIONS,
    ratios: RATIOS,
    generateAudio: true,
    seed: false,
    watermark: false,
    returnsLastFrame: false,
    localFiles: URL_ONLY,
    promptRequired: true,
    assetIds: true,
  });

const inference = (id: string, resolutions: readonly Resolution[]): ModelCapabilities =>
  model(id, {
    firstFrame: 'role',
    lastFrame: true,
    // reference_image, _2, _3; one reference_video; one reference_audio (§2.4).
    references: { image: 3, video: 1, audio: 1 },
    minReferenceVideos: 0,
    resolutions,
    resolutionSetting: true,
    durations: { ...DURATIONS, auto: true },
    ratios: RATIOS,
    generateAudio: true,
    seed: true,
    watermark: true,
    returnsLastFrame: false,
    localFiles: INLINE_IMAGE_AUDIO,
    promptRequired: false,
    // The app page documents URLs, data URIs and uploaded files only (§2.4).
    assetIds: false,
  });

export const CAPABILITIES: Record<GatewayName, GatewayCapabilities> = {
  ark: {
    name: 'ark',
    label: 'Ark',
    keyEnv: 'ARK_API_KEY',
    baseUrlEnv: 'ARK_BASE_URL',
    defaultBaseUrl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
    // The region decides the dated id (electron/providers/ark.ts); the friendly name keys the table.
    aliases: { 'seedance-2.0': 'seedance-2.0', 'seedance-2.0-fast': 'seedance-2.0-fast' },
    models: {
      'seedance-2.0': arkLike('seedance-2.0', FULL),
      'seedance-2.0-fast': arkLike('seedance-2.0-fast', FAST),
    },
    fallback: 'seedance-2.0',
    pricing: 'BytePlus/Volcengine token prices (§3.6)',
    notes: ['Reference videos must be https URLs or asset:// ids; images and audio may be local files.'],
  },
  seed2: {
    name: 'seed2',
    label: 'seed2.io',
    keyEnv: 'SEED2_API_KEY',
    baseUrlEnv: 'SEED2_BASE_URL',
    defaultBaseUrl: 'https://api.seed2.io',
    aliases: { 'seedance-2.0': 'seedance_2.0', 'seedance-2.0-fast': 'seedance_2.0_fast' },
    models: { 'seedance_2.0': seed2('seedance_2.0'), 'seedance_2.0_fast': seed2('seedance_2.0_fast') },
    fallback: 'seedance_2.0',
    pricing:
      'credits per second (10,000 credits = $1): fast 580/s, 2.0 1,160/s; doubled with video or audio input',
    notes: [
      'No first/last-frame roles: a first frame is sent as @image_file_1 and the prompt names it the first frame.',
      'No resolution, seed, watermark or generate_audio field; media only as URLs.',
    ],
  },
  apiframe: {
    name: 'apiframe',
    label: 'Apiframe',
    keyEnv: 'APIFRAME_API_KEY',
    baseUrlEnv: 'APIFRAME_BASE_URL',
    defaultBaseUrl: 'https://api.apiframe.ai',
    aliases: { 'seedance-2.0': 'seedance-2', 'seedance-2.0-fast': 'seedance-2-fast' },
    models: {
      'seedance-2': apiframe('seedance-2', FULL),
      'seedance-2-fast': apiframe('seedance-2-fast', FAST),
      'seedance-2-mini': apiframe('seedance-2-mini', FAST),
    },
    fallback: 'seedance-2',
    pricing: 'no published price (billed in Apiframe credits; the job reports creditCost)',
    notes: [
      'Durations: docs-v2 says 4–15 s; the model page lists 4, 6, 8, 10, 12, 15 (§5.9).',
      'Media only as URLs (or asset:// ids); no watermark field.',
    ],
  },
  xingchao: {
    name: 'xingchao',
    label: 'xingchaoyiqing',
    keyEnv: 'XINGCHAO_API_KEY',
    baseUrlEnv: 'XINGCHAO_BASE_URL',
    defaultBaseUrl: 'https://zcbservice.aizfw.cn/kyyReactApiServer',
    // The pro models take text, frames or references; the plain ones demand a reference video.
    aliases: { 'seedance-2.0': 'seedance_2_0_pro', 'seedance-2.0-fast': 'seedance_2_0_fast_pro' },
    models: {
      seedance_2_0: xingchao('seedance_2_0', false),
      seedance_2_0_fast: xingchao('seedance_2_0_fast', false),
      seedance_2_0_pro: xingchao('seedance_2_0_pro', true),
      seedance_2_0_fast_pro: xingchao('seedance_2_0_fast_pro', true),
    },
    fallback: 'seedance_2_0_pro',
    pricing: 'no published price (the task reports totalTokens)',
    notes: [
      'seedance_2_0 and seedance_2_0_fast need at least one reference video and take no frames.',
      'No resolution, seed or watermark field; media only as URLs (or asset:// ids); result links last 1 day.',
    ],
  },
  inference: {
    name: 'inference',
    label: 'inference.sh',
    keyEnv: 'INFERENCE_API_KEY',
    baseUrlEnv: 'INFERENCE_BASE_URL',
    defaultBaseUrl: 'https://api.inference.sh',
    aliases: { 'seedance-2.0': 'bytedance/seedance-2-0', 'seedance-2.0-fast': 'bytedance/seedance-2-0-fast' },
    models: {
      'bytedance/seedance-2-0': inference('bytedance/seedance-2-0', FULL),
      'bytedance/seedance-2-0-fast': inference('bytedance/seedance-2-0-fast', FAST),
    },
    fallback: 'bytedance/seedance-2-0',
    pricing: 'BytePlus token prices (§2.4, §3.6)',
    notes: [
      'Only 3 reference images, 1 reference video and 1 reference audio; local images and audio go inline.',
    ],
  },
};

export function isGatewayName(name: string): name is GatewayName {
  return (GATEWAYS as readonly string[]).includes(name);
}

export function gatewayCapabilities(name: string): GatewayCapabilities | undefined {
  return isGatewayName(name) ? CAPABILITIES[name] : undefined;
}

/** The id a gateway is sent for a shot's model: a friendly name is mapped, anything else passes. */
export function gatewayModelId(gateway: GatewayName, model: string): string {
  return (CAPABILITIES[gateway].aliases as Record<string, string>)[model] ?? model;
}

/** The capabilities that apply to a shot's model on a gateway (unknown raw ids get the fallback's). */
export function modelCapabilities(gateway: GatewayName, model: string): ModelCapabilities {
  const gw = CAPABILITIES[gateway];
  const id = gatewayModelId(gateway, model);
  // inference.sh apps may carry a version: bytedance/seedance-2-0@abc123.
  const known = gw.models[id] ?? gw.models[id.replace(/@.*$/, '')];
  if (known) return known;
  const base = gw.models[gw.fallback]!;
  // A raw id of a fast or mini model renders what those do (§3.2); Ark's raw ids keep the shared rule.
  const resolutions =
    gateway === 'ark'
      ? resolutionsFor(id)
      : /fast|mini/.test(id)
        ? base.resolutions.filter((r) => FAST.includes(r))
        : base.resolutions;
  return { ...base, id, resolutions: resolutions.length ? resolutions : base.resolutions };
}

/** How a gateway's models are named in messages: "seed2.io", or "xingchaoyiqing's seedance_2_0" when models differ. */
export function subjectFor<T>(
  gateway: GatewayName,
  caps: ModelCapabilities,
  pick: (m: ModelCapabilities) => T,
): string {
  const gw = CAPABILITIES[gateway];
  const same = Object.values(gw.models).every((m) => JSON.stringify(pick(m)) === JSON.stringify(pick(caps)));
  return same ? gw.label : `${gw.label}'s ${caps.id}`;
}

/** Gateways whose default model has a capability, for "use … instead" hints. */
export function gatewaysWith(pick: (m: ModelCapabilities) => boolean): string[] {
  return GATEWAYS.filter((g) => pick(CAPABILITIES[g].models[CAPABILITIES[g].fallback]!));
}

/** One row per gateway and model, for the editor's settings screen. */
export interface CapabilityRow {
  gateway: GatewayName;
  label: string;
  model: string;
  firstFrame: string;
  lastFrame: boolean;
  referenceImages: number;
  referenceVideos: string;
  referenceAudios: number;
  resolutions: string;
  durations: string;
  generateAudio: boolean;
  returnsLastFrame: boolean;
  localFiles: string;
}

export function capabilityRows(): CapabilityRow[] {
  return GATEWAYS.flatMap((g) =>
    Object.values(CAPABILITIES[g].models).map((m) => ({
      gateway: g,
      label: CAPABILITIES[g].label,
      model: m.id,
      firstFrame:
        m.firstFrame === 'role' ? 'yes' : m.firstFrame === 'prompt' ? 'yes, named in the prompt' : 'no',
      lastFrame: m.lastFrame,
      referenceImages: m.references.image,
      referenceVideos: m.minReferenceVideos
        ? `${m.minReferenceVideos}–${m.references.video}`
        : `${m.references.video}`,
      referenceAudios: m.references.audio,
      resolutions: m.resolutionSetting ? m.resolutions.join(', ') : `${m.resolutions.join(', ')} (fixed)`,
      durations: `${m.durations.min}–${m.durations.max} s${m.durations.auto ? ' or auto' : ''}`,
      generateAudio: m.generateAudio,
      returnsLastFrame: m.returnsLastFrame,
      localFiles:
        (['image', 'video', 'audio'] as const).filter((k) => m.localFiles[k]).join(', ') ||
        'none (URLs only)',
    })),
  );
}

/**
 * Gateways that take media only as URLs: with a media host configured (SHOTGRAPH_MEDIA_HOST, read by
 * the main process and passed in as a flag), Shotgraph uploads their local inputs and sends the URL.
 */
export const MEDIA_HOST_GATEWAYS: readonly GatewayName[] = ['seed2', 'apiframe', 'xingchao'];

export function usesMediaHost(gateway: GatewayName): boolean {
  return MEDIA_HOST_GATEWAYS.includes(gateway);
}

/** Said wherever a local file is refused by a gateway that could take it through a media host. */
export const MEDIA_HOST_HINT = 'or set SHOTGRAPH_MEDIA_HOST to a bucket URL Shotgraph can upload to';
