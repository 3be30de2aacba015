// inference.sh, app bytedance/seedance-2-0 (docs/gateways.md §2.4). Two wire versions: v2 (header
// `X-API-Version: 2`, bare DTOs, problem+json errors) by default, v1 (`{success,data}` envelope) on
// request. `POST /apps/run`, falling back to the older `/run`. Task statuses are integers whose
// numbering changed once, so they are compared by meaning: `status_text` when sent, else the
// configured numbering, else one detected from the task itself (§2.4). Local images and audio go inline as data URIs, which the app documents.
import { z } from 'zod';
import { translatePromptRefs } from '../../shared/seedance/prompt-refs';
import type { Opened } from './gateways/envelope';
import {
  GatewayProvider,
  optionsFromEnv,
  parseInner,
  urlOf,
  urlOrDataUri,
  type GatewayAdapter,
  type GatewayCalls,
  type TaskView,
} from './gateways/runner';
import { GatewayError, isGatewayError } from './remote/errors';
import type { GatewayDialect } from './remote/http';
import type { ShotRequest } from './types';
import { orMissing } from './gateways/task-view';

const LABEL = 'inference.sh';

export type InferenceApiVersion = 1 | 2;
export type StatusNumbering = 'current' | 'legacy';
/** `auto` (the default) tells the two apart by what a task carries (`autoMeaning`). */
export type NumberingSetting = StatusNumbering | 'auto';

type Meaning =
  | 'unknown'
  | 'received'
  | 'queued'
  | 'dispatched'
  | 'preparing'
  | 'serving'
  | 'setting_up'
  | 'running'
  | 'cancelling'
  | 'uploading'
  | 'completed'
  | 'failed'
  | 'cancelled';

/** Status integers by index (§2.4): the current SDK, and the older one without `Cancelling`. */
export const STATUS_NUMBERINGS: Record<StatusNumbering, readonly Meaning[]> = {
  current: [
    'unknown',
    'received',
    'queued',
    'dispatched',
    'preparing',
    'serving',
    'setting_up',
    'running',
    'cancelling',
    'uploading',
    'completed',
    'failed',
    'cancelled',
  ],
  legacy: [
    'unknown',
    'received',
    'queued',
    'dispatched',
    'preparing',
    'serving',
    'setting_up',
    'running',
    'uploading',
    'completed',
    'failed',
    'cancelled',
  ],
};

const MEANINGS = new Set<string>(STATUS_NUMBERINGS.current);

/** What a status means: the text when the server sends one, else its number in `numbering`. */
export function statusMeaning(
  status: number,
  text: string | null | undefined,
  numbering: StatusNumbering,
): Meaning {
  const t = (text ?? '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')
    .replace(/^_|_$/g, '');
  const norm = t === 'canceled' ? 'cancelled' : t === 'settingup' ? 'setting_up' : t;
  if (MEANINGS.has(norm)) return norm as Meaning;
  const table = STATUS_NUMBERINGS[numbering];
  const known = table[status];
  if (known) return known;
  // Past the end of the table is terminal in both numberings; without a name it cannot be a success.
  return status >= table.indexOf('completed') ? 'failed' : 'unknown';
}

/**
 * A status without `status_text` when the numbering is not configured (§2.4). The numberings agree up
 * to 7; from 8 on the task's own content decides: a video at 10 is the current "completed" (the older
 * 10 is "failed"); a video at 9 is the older "completed" or the current "uploading", told apart by
 * `settled` (the same answer seen on an earlier poll: an upload moves on, a finished task does not),
 * so a finished task on an older deployment is never polled for ever.
 */
export function autoMeaning(
  status: number,
  o: { video: boolean; error: boolean; settled: boolean; known?: StatusNumbering },
): Meaning {
  if (o.known) return statusMeaning(status, undefined, o.known);
  if (status <= 7) return STATUS_NUMBERINGS.current[status]!;
  if (status === 8) return o.video ? 'uploading' : 'cancelling';
  if (status === 9) {
    if (o.error && !o.video) return 'failed';
    return o.video && o.settled ? 'completed' : 'uploading';
  }
  if (status === 10) return o.video ? 'completed' : o.error ? 'failed' : 'completed';
  if (status === 11) return o.error ? 'failed' : 'cancelled';
  return status === 12 ? 'cancelled' : 'failed';
}

const fileRef = z.union([
  z.string().min(1),
  z.looseObject({ uri: z.string().min(1) }),
  z.looseObject({ url: z.string().min(1) }),
]);

const taskDto = z.looseObject({
  id: z.string().regex(/^\S+$/, 'must be a task id'),
  status: z.number().int().nonnegative(),
  status_text: z.string().nullish(),
  output: z.looseObject({ video: fileRef.nullish() }).nullish(),
  error: z.string().nullish(),
});
type TaskDto = z.infer<typeof taskDto>;

const v1Envelope = z.looseObject({
  success: z.boolean(),
  data: z.unknown().nullish(),
  error: z.looseObject({ message: z.string().optional() }).nullish(),
});
type V1Envelope = z.infer<typeof v1Envelope>;

const openV1 = (body: V1Envelope): Opened<TaskDto> =>
  body.success
    ? parseInner(taskDto, body.data)
    : { ok: false, status: 400, message: body.error?.message || 'the request failed' };

// v1 `{success:false,error:{message}}`; v2 problem+json, read as the SDK does: detail, title, message.
const errorBody = z.looseObject({
  error: z.looseObject({ message: z.string().optional() }).nullish(),
  detail: z.string().nullish(),
  title: z.string().nullish(),
  message: z.string().nullish(),
  errors: z.array(z.looseObject({ message: z.string().optional(), type: z.string().optional() })).nullish(),
});

const DIALECT: GatewayDialect = {
  name: LABEL,
  parseError(body) {
    const r = errorBody.safeParse(body);
    if (!r.success) return undefined;
    const b = r.data;
    // 412 lists missing secrets or integrations.
    const requirements = (b.errors ?? []).map((e) => e.message ?? e.type).filter(Boolean);
    const message =
      b.detail ??
      b.title ??
      b.message ??
      b.error?.message ??
      (requirements.length ? requirements.join('; ') : undefined);
    return message
      ? {
          message:
            requirements.length && message !== requirements.join('; ')
              ? `${message}: ${requirements.join('; ')}`
              : message,
        }
      : undefined;
  },
};

function videoUrl(t: TaskDto): string | undefined {
  const v = t.output?.video;
  if (!v) return undefined;
  return typeof v === 'string' ? v : 'uri' in v ? (v.uri as string) : (v.url as string);
}

export interface InferenceBody {
  app: string;
  input: Record<string, unknown>;
  wait: false;
}

/** Local images and audio inline as data URIs; reference images fill reference_image, _2, _3 in port order. */
export async function buildInferenceBody(req: ShotRequest, modelId: string): Promise<InferenceBody> {
  const image = (ref: ShotRequest['referenceImages'][number], label: string, field: string) =>
    urlOrDataUri(ref, 'image', label, field, LABEL);
  const input: Record<string, unknown> = {
    prompt: translatePromptRefs(req.prompt, 'inference'),
    resolution: req.resolution,
    ratio: req.ratio,
    duration: req.duration === 'auto' ? -1 : req.duration,
    generate_audio: req.generateAudio,
    seed: req.seed,
    watermark: req.watermark,
  };
  if (req.firstFrame) input.image = await image(req.firstFrame, 'The first frame', 'first_frame');
  if (req.lastFrame) input.end_image = await image(req.lastFrame, 'The last frame', 'last_frame');
  for (const [i, ref] of req.referenceImages.entries()) {
    input[i === 0 ? 'reference_image' : `reference_image_${i + 1}`] = await image(
      ref,
      `Reference image ${i + 1}`,
      'reference_images',
    );
  }
  const [video] = req.referenceVideos;
  if (video) input.reference_video = urlOf(video, 'Reference video 1', 'reference_videos', LABEL);
  const [audio] = req.referenceAudios;
  if (audio)
    input.reference_audio = await urlOrDataUri(
      audio,
      'audio',
      'Reference audio 1',
      'reference_audios',
      LABEL,
    );
  return { app: modelId, input, wait: false };
}

export interface InferenceOptions {
  apiVersion?: InferenceApiVersion;
  numbering?: NumberingSetting;
}

export function inferenceAdapter(o: InferenceOptions = {}): GatewayAdapter<InferenceBody> {
  const version = o.apiVersion ?? 2;
  const setting = o.numbering ?? 'auto';
  // Auto: what this deployment has shown so far; a 10 with a video proves the current numbering,
  // and a 9 with a video that stays proves the older one.
  let detected: StatusNumbering | undefined;
  const lastNine = new Map<string, string>();
  // The path that answered last time; the current SDK uses /apps/run, older deployments /run.
  let runPath: string | undefined;

  const call = (
    g: GatewayCalls,
    c: {
      method: 'GET' | 'POST';
      url: string;
      body?: unknown;
      what: string;
      idempotent: boolean;
      timeoutMs?: number;
    },
  ) =>
    version === 2 ? g.json({ ...c, schema: taskDto }) : g.enveloped({ ...c, schema: v1Envelope }, openV1);

  return {
    name: 'inference',
    dialect: DIALECT,
    poll: { initialMs: 5000, maxMs: 30_000, factor: 1.5 },
    authHeaders: (key) => ({
      Authorization: `Bearer ${key}`,
      ...(version === 2 ? { 'X-API-Version': '2', 'X-Client-Source': 'shotgraph' } : {}),
    }),
    buildBody: buildInferenceBody,
    async create(g, body, timeoutMs) {
      const paths = runPath ? [runPath] : ['/apps/run', '/run'];
      const missing: GatewayError[] = [];
      for (const p of paths) {
        try {
          const t = await call(g, {
            method: 'POST',
            url: `${g.baseUrl}${p}`,
            body,
            what: 'create the task',
            idempotent: false,
            timeoutMs,
          });
          runPath = p;
          return t.id;
        } catch (e) {
          // A 404/405 is the route (or the app) not being there: nothing was created, try the next.
          if (!isGatewayError(e) || (e.status !== 404 && e.status !== 405)) throw e;
          missing.push(e);
        }
      }
      const [first] = missing;
      throw new GatewayError(missing.map((e) => e.message).join('; and '), {
        kind: 'http',
        what: 'create the task',
        maybeProcessed: false,
        status: first?.status ?? 404,
        ...(first?.requestId ? { requestId: first.requestId } : {}),
      });
    },
    async get(g, id): Promise<TaskView | undefined> {
      const t = await orMissing(
        call(g, {
          method: 'GET',
          url: `${g.baseUrl}/tasks/${encodeURIComponent(id)}`,
          what: `check task ${id}`,
          idempotent: true,
        }),
      );
      if (!t) return undefined;
      const url = videoUrl(t);
      let meaning: Meaning;
      if (t.status_text || setting !== 'auto') {
        meaning = statusMeaning(t.status, t.status_text, setting === 'auto' ? 'current' : setting);
      } else {
        const nine = t.status === 9 && url ? url : undefined;
        meaning = autoMeaning(t.status, {
          video: !!url,
          error: !!t.error,
          settled: !!nine && lastNine.get(t.id) === nine,
          ...(detected ? { known: detected } : {}),
        });
        if (nine) lastNine.set(t.id, nine);
        if (!detected && meaning === 'completed') detected = t.status === 10 ? 'current' : 'legacy';
      }
      // Older deployments say 9 for "completed", which is "uploading" now: say so while it lasts.
      const hint =
        meaning === 'uploading' && url && !t.status_text && setting === 'current'
          ? '; if it stays here, this deployment may number statuses the older way: set INFERENCE_STATUS_NUMBERING=legacy'
          : '';
      const status = `${meaning} (${t.status}${hint})`;
      if (meaning === 'completed' && !url) {
        // The older numbering's "failed" is the current "completed": an error says which it was.
        if (t.error) return { id: t.id, status, state: 'failed', error: t.error };
        throw new GatewayError(
          `${LABEL} reported task ${t.id} completed (status ${t.status}${t.status_text ? ` "${t.status_text}"` : ''}) without output.video. ` +
            `If this deployment numbers statuses the older way (9 = completed), set INFERENCE_STATUS_NUMBERING=legacy`,
          { kind: 'malformed', what: `check task ${id}`, maybeProcessed: true },
        );
      }
      const state: TaskView['state'] =
        meaning === 'completed'
          ? 'succeeded'
          : meaning === 'failed'
            ? 'failed'
            : meaning === 'cancelled'
              ? 'cancelled'
              : ['unknown', 'received', 'queued', 'dispatched'].includes(meaning)
                ? 'queued'
                : 'running';
      return {
        id: t.id,
        status,
        state,
        ...(url ? { videoUrl: url } : {}),
        ...(state === 'failed' ? { error: t.error || 'the task failed without a reason' } : {}),
      };
    },
    async cancel(g, id) {
      // Only a task no worker has picked up is worth cancelling. Whether a cancelled task is billed is
      // undocumented, so the journal keeps it: the next run sees "cancelled" and only then submits anew.
      const now = await this.get(g, id);
      if (now?.state !== 'queued') return false;
      // The answer's body is not documented (204 or a DTO): only the status matters.
      await g
        .json({
          method: 'POST',
          url: `${g.baseUrl}/tasks/${encodeURIComponent(id)}/cancel`,
          schema: z.unknown(),
          what: `cancel task ${id}`,
          idempotent: false, // best effort: one try, so an abort is not held up by retries
        })
        .catch(() => undefined);
      return false;
    },
    advice: {
      auth: 'Check INFERENCE_API_KEY: an inference.sh key looks like inf_…; create one in the inference.sh dashboard.',
      quota:
        'Your inference.sh account has insufficient credits (HTTP 402). Add credits in the dashboard and run again.',
      model_not_activated:
        "inference.sh has no such app or run endpoint: check the shot's model (seedance-2.0, seedance-2.0-fast, or an app id such as bytedance/seedance-2-0@version) and INFERENCE_BASE_URL.",
      invalid_parameter:
        'inference.sh refused a field of this shot (HTTP 412 means the app needs a secret or integration set up in the dashboard). Fix what it names and run again.',
    },
    fields: {
      reference_image_2: 'reference_images',
      reference_image_3: 'reference_images',
      reference_image: 'reference_images',
      reference_video: 'reference_videos',
      reference_audio: 'reference_audios',
      end_image: 'last_frame',
      resolution: 'resolution',
      ratio: 'ratio',
      duration: 'duration',
      generate_audio: 'generate_audio',
      seed: 'seed',
      watermark: 'watermark',
    },
    dashboard: 'the inference.sh dashboard (app.inference.sh, Tasks)',
  };
}

/** INFERENCE_API_KEY, INFERENCE_BASE_URL; INFERENCE_API_VERSION=1|2 (default 2); INFERENCE_STATUS_NUMBERING=auto|current|legacy (default auto). */
export function createInferenceProvider(env: NodeJS.ProcessEnv): GatewayProvider<InferenceBody> {
  const version = env.INFERENCE_API_VERSION?.trim() === '1' ? 1 : 2;
  const raw = env.INFERENCE_STATUS_NUMBERING?.trim();
  const numbering: NumberingSetting = raw === 'legacy' || raw === 'current' ? raw : 'auto';
  return new GatewayProvider(
    inferenceAdapter({ apiVersion: version, numbering }),
    optionsFromEnv('inference', env),
  );
}
