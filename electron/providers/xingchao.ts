// xingchaoyiqing (docs/gateways.md §2.3): an OpenAI-Videos-like API with mixed field naming, kept
// verbatim (`first_image`, `last_image`, `referenceImages`, `aspect_ratio`, `generateAudio`). Four
// models; the plain ones need a reference video, the pro ones take text and frames. URLs only.
import { z } from 'zod';
import { findVideoUrl } from './gateways/video-link';
import { translatePromptRefs } from '../../shared/seedance/prompt-refs';
import {
  GatewayProvider,
  optionsFromEnv,
  urlOf,
  type GatewayAdapter,
  type TaskView,
} from './gateways/runner';
import type { GatewayDialect } from './remote/http';
import type { ShotRequest } from './types';
import { orMissing, stateOf } from './gateways/task-view';

const LABEL = 'xingchaoyiqing';

export const XINGCHAO_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
const video = z.looseObject({
  id: z.string().regex(/^\S+$/, 'must be a task id'),
  object: z.string().nullish(),
  created: z.number().nullish(),
  model: z.string().nullish(),
  status: z.enum(XINGCHAO_STATUSES),
  video_url: z.unknown().optional(),
  actualDuration: z.number().nullish(),
  totalTokens: z.number().int().nonnegative().nullish(),
  error: z.union([z.string(), z.looseObject({ message: z.string().optional() })]).nullish(),
});

// Undocumented (§2.3, §5.7): OpenAI's {"error":{"message","type","code"}} or a bare {"error":"…"}.
const errorBody = z.looseObject({
  error: z.union([
    z.string(),
    z.looseObject({
      message: z.string().optional(),
      type: z.string().nullish(),
      code: z.union([z.string(), z.number()]).nullish(),
    }),
  ]),
});

const DIALECT: GatewayDialect = {
  name: LABEL,
  parseError(body) {
    const r = errorBody.safeParse(body);
    if (!r.success) return undefined;
    const e = r.data.error;
    if (typeof e === 'string') return { message: e };
    return {
      ...(e.message ? { message: e.message } : {}),
      ...(e.code != null ? { code: String(e.code) } : {}),
      ...(e.type ? { type: e.type } : {}),
    };
  },
};

export interface XingchaoBody {
  model: string;
  prompt: string;
  duration: number;
  aspect_ratio: string;
  generateAudio: boolean;
  first_image?: string;
  last_image?: string;
  referenceImages?: string[];
  referenceVideos?: string[];
  referenceAudios?: string[];
}

export function buildXingchaoBody(req: ShotRequest, modelId: string): XingchaoBody {
  const urls = (refs: ShotRequest['referenceImages'], what: string, field: string) =>
    refs.map((r, i) => urlOf(r, `${what} ${i + 1}`, field, LABEL));
  const images = urls(req.referenceImages, 'Reference image', 'reference_images');
  const videos = urls(req.referenceVideos, 'Reference video', 'reference_videos');
  const audios = urls(req.referenceAudios, 'Reference audio', 'reference_audios');
  return {
    model: modelId,
    prompt: translatePromptRefs(req.prompt, 'xingchao'),
    duration: req.duration as number, // 'auto' was refused by the capability check
    aspect_ratio: req.ratio,
    generateAudio: req.generateAudio,
    ...(req.firstFrame
      ? { first_image: urlOf(req.firstFrame, 'The first frame', 'first_frame', LABEL) }
      : {}),
    ...(req.lastFrame ? { last_image: urlOf(req.lastFrame, 'The last frame', 'last_frame', LABEL) } : {}),
    ...(images.length ? { referenceImages: images } : {}),
    ...(videos.length ? { referenceVideos: videos } : {}),
    ...(audios.length ? { referenceAudios: audios } : {}),
  };
}

function errorText(e: z.infer<typeof video>['error']): string | undefined {
  return typeof e === 'string' ? e : (e?.message ?? undefined);
}

export const xingchaoAdapter: GatewayAdapter<XingchaoBody> = {
  name: 'xingchao',
  dialect: DIALECT,
  // Its docs recommend polling every 20–40 s.
  poll: { initialMs: 20_000, maxMs: 40_000, factor: 1.3 },
  authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
  buildBody: async (req, modelId) => buildXingchaoBody(req, modelId),
  async create(g, body, timeoutMs) {
    const r = await g.json({
      method: 'POST',
      url: `${g.baseUrl}/v1/kyyvideo2/videos`,
      body,
      schema: video,
      what: 'create the task',
      idempotent: false,
      timeoutMs,
    });
    return r.id;
  },
  async get(g, id): Promise<TaskView | undefined> {
    const v = await orMissing(
      g.json({
        method: 'GET',
        url: `${g.baseUrl}/v1/result/${encodeURIComponent(id)}`,
        schema: video,
        what: `check task ${id}`,
        idempotent: true,
      }),
    );
    if (!v) return undefined;
    return {
      id: v.id,
      status: v.status,
      state: stateOf(v.status, { queued: 'queued', running: 'processing', succeeded: 'completed' }),
      ...(findVideoUrl(v.video_url ?? v) ? { videoUrl: findVideoUrl(v.video_url ?? v)! } : {}),
      ...(v.status === 'failed' ? { error: errorText(v.error) || 'the task failed without a reason' } : {}),
      ...(v.actualDuration ? { durationSec: v.actualDuration } : {}),
      ...(v.totalTokens != null ? { tokens: v.totalTokens } : {}),
    };
  },
  advice: {
    auth: 'Check XINGCHAO_API_KEY: it is sent as a Bearer token; copy it again from the xingchaoyiqing console.',
    quota: 'Your xingchaoyiqing balance is too low for this task. Top it up in the console and run again.',
  },
  fields: {
    first_image: 'first_frame',
    last_image: 'last_frame',
    referenceImages: 'reference_images',
    referenceVideos: 'reference_videos',
    referenceAudios: 'reference_audios',
    aspect_ratio: 'ratio',
    generateAudio: 'generate_audio',
    duration: 'duration',
    model: 'model',
    prompt: 'prompt',
  },
  dashboard: 'the xingchaoyiqing console (docs.xingchaoyiqing.com)',
};

export function createXingchaoProvider(env: NodeJS.ProcessEnv): GatewayProvider<XingchaoBody> {
  return new GatewayProvider(xingchaoAdapter, optionsFromEnv('xingchao', env));
}
