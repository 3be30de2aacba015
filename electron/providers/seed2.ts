// seed2.io (docs/gateways.md §2.1): flat snake_case body, a `code/message/data` envelope that is read
// before the HTTP status (its client does the same), integer task ids, credits. No frame roles: a
// first frame is sent as @image_file_1 and the prompt names it; media only as URLs.
import { z } from 'zod';
import { findVideoUrl } from './gateways/video-link';
import { translatePromptRefs } from '../../shared/seedance/prompt-refs';
import { statusForCode, type Opened } from './gateways/envelope';
import {
  GatewayProvider,
  optionsFromEnv,
  parseInner,
  urlOf,
  type GatewayAdapter,
  type TaskView,
} from './gateways/runner';
import type { GatewayDialect } from './remote/http';
import type { ShotRequest } from './types';
import { orMissing, stateOf } from './gateways/task-view';

const LABEL = 'seed2.io';
/** 1 USD = 10,000 credits (§2.1). */
export const SEED2_CREDITS_PER_USD = 10_000;

const envelope = z.looseObject({
  code: z.number().int(),
  message: z.string().nullish(),
  data: z.unknown().nullish(),
});
type Envelope = z.infer<typeof envelope>;

// The README shows an integer; a string id is tolerated (§5.5 asks whether it is always an int).
const taskId = z.union([z.number().int().nonnegative(), z.string().regex(/^\S+$/)]);

const created = z.looseObject({
  task_id: taskId,
  status: z.string().nullish(),
  points_cost: z.number().nullish(),
  balance: z.number().nullish(),
});

export const SEED2_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
const task = z.looseObject({
  id: taskId,
  status: z.enum(SEED2_STATUSES),
  result: z
    .looseObject({
      video_url: z.unknown().optional(),
      duration: z.number().nullish(),
      error: z.string().nullish(),
    })
    .nullish(),
  points_cost: z.number().nullish(),
});

function open<T>(schema: z.ZodType<T>) {
  return (body: Envelope): Opened<T> =>
    body.code === 0
      ? parseInner(schema, body.data)
      : {
          ok: false,
          status: statusForCode(body.code),
          code: String(body.code),
          message: body.message || 'error',
        };
}

const DIALECT: GatewayDialect = {
  name: LABEL,
  parseError(body) {
    const r = envelope.safeParse(body);
    if (!r.success) return undefined;
    return { code: String(r.data.code), ...(r.data.message ? { message: r.data.message } : {}) };
  },
};

export interface Seed2Body {
  prompt: string;
  model: string;
  duration: number;
  ratio: string;
  image_files?: string[];
  video_files?: string[];
  audio_files?: string[];
}

/** The create body: images in port order (first frame, then references), so @image_file_N is image N. */
export function buildSeed2Body(req: ShotRequest, modelId: string): Seed2Body {
  const images = [
    ...(req.firstFrame ? [urlOf(req.firstFrame, 'The first frame', 'first_frame', LABEL)] : []),
    ...req.referenceImages.map((r, i) => urlOf(r, `Reference image ${i + 1}`, 'reference_images', LABEL)),
  ];
  const videos = req.referenceVideos.map((r, i) =>
    urlOf(r, `Reference video ${i + 1}`, 'reference_videos', LABEL),
  );
  const audios = req.referenceAudios.map((r, i) =>
    urlOf(r, `Reference audio ${i + 1}`, 'reference_audios', LABEL),
  );
  const prompt = translatePromptRefs(req.prompt, 'seed2');
  return {
    // No first-frame role on seed2.io: the prompt is what makes image 1 the opening frame (§2.1, §4).
    prompt: req.firstFrame ? `@image_file_1 is the first frame.${prompt ? ` ${prompt}` : ''}` : prompt,
    model: modelId,
    // 'auto' and 'adaptive' were refused by the capability check.
    duration: req.duration as number,
    ratio: req.ratio,
    ...(images.length ? { image_files: images } : {}),
    ...(videos.length ? { video_files: videos } : {}),
    ...(audios.length ? { audio_files: audios } : {}),
  };
}

export const seed2Adapter: GatewayAdapter<Seed2Body> = {
  name: 'seed2',
  dialect: DIALECT,
  // Its client polls every 3 s (§2.1).
  poll: { initialMs: 3000, maxMs: 15_000, factor: 1.5 },
  authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
  buildBody: async (req, modelId) => buildSeed2Body(req, modelId),
  async create(g, body, timeoutMs) {
    const data = await g.enveloped(
      {
        method: 'POST',
        url: `${g.baseUrl}/v1/video/generate`,
        body,
        schema: envelope,
        what: 'create the task',
        idempotent: false,
        timeoutMs,
      },
      open(created),
    );
    return String(data.task_id);
  },
  async get(g, id): Promise<TaskView | undefined> {
    const t = await orMissing(
      g.enveloped(
        {
          method: 'GET',
          url: `${g.baseUrl}/v1/tasks/${encodeURIComponent(id)}`,
          schema: envelope,
          what: `check task ${id}`,
          idempotent: true,
        },
        open(task),
      ),
    );
    if (!t) return undefined;
    const points = t.points_cost ?? undefined;
    return {
      id: String(t.id),
      status: t.status,
      state: stateOf(t.status, { queued: 'pending', running: 'processing', succeeded: 'completed' }),
      ...(findVideoUrl(t.result) ? { videoUrl: findVideoUrl(t.result)! } : {}),
      // Its client falls back to "Task failed" (§2.1).
      ...(t.status === 'failed' ? { error: t.result?.error || 'Task failed' } : {}),
      ...(t.result?.duration ? { durationSec: t.result.duration } : {}),
      ...(t.status === 'completed' && points !== undefined
        ? { costUsd: points / SEED2_CREDITS_PER_USD }
        : {}),
    };
  },
  advice: {
    auth: 'Check SEED2_API_KEY: a seed2.io key looks like sk-s2-…; copy it again from the seed2.io dashboard.',
    quota:
      'Your seed2.io credit balance is too low for this shot (1 USD = 10,000 credits; 5 s on fast costs 2,900). Top up in the seed2.io dashboard and run again.',
  },
  fields: {
    image_files: 'reference_images',
    video_files: 'reference_videos',
    audio_files: 'reference_audios',
    duration: 'duration',
    ratio: 'ratio',
    model: 'model',
    prompt: 'prompt',
  },
  dashboard: 'the seed2.io dashboard (seed2.io)',
  refund: 'seed2.io refunds the credits of a failed task automatically.',
};

export function createSeed2Provider(env: NodeJS.ProcessEnv): GatewayProvider<Seed2Body> {
  return new GatewayProvider(seed2Adapter, optionsFromEnv('seed2', env));
}
