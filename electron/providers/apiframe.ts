// Apiframe (docs/gateways.md §2.2): `X-API-Key` auth, the Seedance fields under `seedanceParams`,
// `202 Accepted` with a jobId, uppercase job states, the video at `result.videoUrl`, errors as a
// string. Media only as URLs; no last frame is handed back, so it is taken from the video.
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

const LABEL = 'Apiframe';

const accepted = z.looseObject({
  jobId: z.string().regex(/^\S+$/, 'must be a job id'),
  status: z.string().nullish(),
});

export const APIFRAME_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;
const job = z.looseObject({
  id: z.string().min(1),
  status: z.enum(APIFRAME_STATUSES),
  progress: z.number().min(0).max(100).nullish(),
  // `result.videoUrl` per docs-v2, but the shape is not fixed: read by findVideoUrl.
  result: z.unknown().optional(),
  error: z.string().nullish(),
  creditCost: z.number().nullish(),
});

// The error body is undocumented (§2.2, §5.6): read `error` or `message` when it is a string.
const errorBody = z.looseObject({
  error: z
    .union([z.string(), z.looseObject({ message: z.string().optional(), code: z.string().optional() })])
    .nullish(),
  message: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
});

const DIALECT: GatewayDialect = {
  name: LABEL,
  parseError(body) {
    const r = errorBody.safeParse(body);
    if (!r.success) return undefined;
    const e = r.data.error;
    const message = typeof e === 'string' ? e : (e?.message ?? r.data.message ?? undefined);
    const code =
      typeof e === 'object' && e?.code ? e.code : r.data.code != null ? String(r.data.code) : undefined;
    return { ...(message ? { message } : {}), ...(code ? { code } : {}) };
  },
};

export interface ApiframeBody {
  prompt: string;
  model: string;
  seedanceParams: Record<string, unknown>;
}

export function buildApiframeBody(req: ShotRequest, modelId: string): ApiframeBody {
  const urls = (refs: ShotRequest['referenceImages'], what: string, field: string) =>
    refs.map((r, i) => urlOf(r, `${what} ${i + 1}`, field, LABEL));
  const images = urls(req.referenceImages, 'Reference image', 'reference_images');
  const videos = urls(req.referenceVideos, 'Reference video', 'reference_videos');
  const audios = urls(req.referenceAudios, 'Reference audio', 'reference_audios');
  return {
    prompt: translatePromptRefs(req.prompt, 'apiframe'),
    model: modelId,
    seedanceParams: {
      resolution: req.resolution,
      aspect_ratio: req.ratio,
      // 'auto' was refused by the capability check: no -1 is documented here.
      duration: req.duration as number,
      ...(req.firstFrame
        ? { start_image: urlOf(req.firstFrame, 'The first frame', 'first_frame', LABEL) }
        : {}),
      ...(req.lastFrame ? { end_image: urlOf(req.lastFrame, 'The last frame', 'last_frame', LABEL) } : {}),
      ...(images.length ? { reference_image_urls: images } : {}),
      ...(videos.length ? { reference_video_urls: videos } : {}),
      ...(audios.length ? { reference_audio_urls: audios } : {}),
      // Its two docs disagree on the default (§2.2): always say what the shot wants.
      generate_audio: req.generateAudio,
      ...(req.seed >= 0 ? { seed: req.seed } : {}),
    },
  };
}

export const apiframeAdapter: GatewayAdapter<ApiframeBody> = {
  name: 'apiframe',
  dialect: DIALECT,
  // docs-v2 recommends 5–10 s for video.
  poll: { initialMs: 5000, maxMs: 10_000, factor: 1.5 },
  authHeaders: (key) => ({ 'X-API-Key': key }),
  buildBody: async (req, modelId) => buildApiframeBody(req, modelId),
  async create(g, body, timeoutMs) {
    const r = await g.json({
      method: 'POST',
      url: `${g.baseUrl}/v2/videos/generate`,
      body,
      schema: accepted,
      what: 'create the job',
      idempotent: false,
      timeoutMs,
    });
    return r.jobId;
  },
  async get(g, id): Promise<TaskView | undefined> {
    const j = await orMissing(
      g.json({
        method: 'GET',
        url: `${g.baseUrl}/v2/jobs/${encodeURIComponent(id)}`,
        schema: job,
        what: `check job ${id}`,
        idempotent: true,
      }),
    );
    if (!j) return undefined;
    return {
      id: j.id,
      status: j.status,
      state: stateOf(j.status, { queued: 'QUEUED', running: 'PROCESSING', succeeded: 'COMPLETED' }),
      ...(j.progress != null ? { progress: j.progress / 100 } : {}),
      ...(findVideoUrl(j.result) ? { videoUrl: findVideoUrl(j.result)! } : {}),
      ...(j.status === 'FAILED' ? { error: j.error || 'the job failed without a reason' } : {}),
    };
  },
  advice: {
    auth: 'Check APIFRAME_API_KEY: an Apiframe key looks like afk_… and is sent as X-API-Key. "API key is inactive" means it was disabled in the Apiframe dashboard.',
    quota:
      'Your Apiframe account has too few credits for this job. Add credits in the Apiframe dashboard and run again.',
    rate_limit:
      'Apiframe is rate-limiting this account (about 500 requests a minute). Shotgraph already retried with backoff; run again in a minute, or lower --concurrency.',
  },
  fields: {
    start_image: 'first_frame',
    end_image: 'last_frame',
    reference_image_urls: 'reference_images',
    reference_video_urls: 'reference_videos',
    reference_audio_urls: 'reference_audios',
    resolution: 'resolution',
    aspect_ratio: 'ratio',
    duration: 'duration',
    generate_audio: 'generate_audio',
    seed: 'seed',
    model: 'model',
  },
  dashboard: 'the Apiframe dashboard (app.apiframe.ai)',
  refund: 'Apiframe refunds the credits of a failed job (its creditCost becomes 0).',
};

export function createApiframeProvider(env: NodeJS.ProcessEnv): GatewayProvider<ApiframeBody> {
  return new GatewayProvider(apiframeAdapter, optionsFromEnv('apiframe', env));
}
