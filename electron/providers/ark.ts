// The official Seedance gateway: Volcengine Ark (CN) and BytePlus ModelArk (intl), docs/gateways.md §1.
// An adapter of the shared gateway runner, like every other gateway; what Ark adds is a task list
// (the record of what was paid for) and a returned last frame.
import { z } from 'zod';
import { buildArkBody, buildArkContent, refuseLocalVideos, shotMarker } from './ark-content';
import type { GatewayAdapter, GatewayOptions, TaskView } from './gateways/adapter';
import { optionsFromEnv } from './gateways/options';
import { GatewayProvider } from './gateways/runner';
import { orMissing } from './gateways/task-view';
import { arkCategory, type ErrorCategory } from './remote/advice';
import type { GatewayDialect } from './remote/http';
import { DEFAULT_POLL } from './remote/poll';
import { ProviderError, type ShotContext, type StillRequest, type StillResult } from './types';

export {
  buildArkBody,
  buildArkContent,
  shotMarker,
  type BuiltContent,
  type ContentItem,
} from './ark-content';

export const ARK_BASE_URLS = {
  cn: 'https://ark.cn-beijing.volces.com/api/v3',
  intl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
} as const;

export type ArkRegion = keyof typeof ARK_BASE_URLS;

/** Friendly names → each region's dated model id (§1.2). */
export const ARK_MODEL_IDS: Record<string, { cn: string; intl: string }> = {
  'seedance-2.0': { cn: 'doubao-seedance-2-0-260128', intl: 'dreamina-seedance-2-0-260128' },
  'seedance-2.0-fast': { cn: 'doubao-seedance-2-0-fast-260128', intl: 'dreamina-seedance-2-0-fast-260128' },
};

/** Every dated Seedance 2.x id each region serves (§1.2); the mock refuses the other region's. */
export const ARK_REGION_MODELS: Record<ArkRegion, readonly string[]> = {
  cn: [
    ...Object.values(ARK_MODEL_IDS).map((m) => m.cn),
    'doubao-seedance-2-0-mini-260615',
    'doubao-seedance-2-5-260628',
  ],
  intl: [
    ...Object.values(ARK_MODEL_IDS).map((m) => m.intl),
    'dreamina-seedance-2-0-mini-260615',
    'dreamina-seedance-2-5-260628',
  ],
};

/** The official hosts, the only ones a region is read from (§1.1); a proxy's host says nothing. */
const OFFICIAL_HOSTS: Record<string, ArkRegion> = {
  [new URL(ARK_BASE_URLS.cn).hostname]: 'cn',
  [new URL(ARK_BASE_URLS.intl).hostname]: 'intl',
};

export class ArkRegionError extends Error {}

/** ARK_REGION as written by the user: `cn` (Volcengine) or `intl` (BytePlus); unset is undefined. */
export function parseArkRegion(raw: string | undefined): ArkRegion | undefined {
  const v = (raw ?? '').trim().toLowerCase();
  if (!v) return undefined;
  if (v === 'cn' || v === 'intl') return v;
  throw new ArkRegionError(
    `ARK_REGION must be "cn" (Volcengine Ark, doubao-… model ids) or "intl" (BytePlus ModelArk, dreamina-… ids), not "${raw}"`,
  );
}

const TASKS_PATH = '/contents/generations/tasks';
/** Ark refuses bodies above 64 MB (§3.1). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The region whose model ids a shot is sent with: ARK_REGION when set, else the official host's, else
 * the international one (Shotgraph's default host). A proxy in front of the CN region needs ARK_REGION=cn.
 */
export function arkRegion(baseUrl: string, explicit?: ArkRegion): ArkRegion {
  if (explicit) return explicit;
  try {
    return OFFICIAL_HOSTS[new URL(baseUrl).hostname.toLowerCase()] ?? 'intl';
  } catch {
    return 'intl';
  }
}

/** Friendly name → region id; a raw model id or an `ep-…` endpoint id passes through. */
export function resolveArkModel(model: string, baseUrl: string, region?: ArkRegion): string {
  return ARK_MODEL_IDS[model]?.[arkRegion(baseUrl, region)] ?? model;
}

// ---- wire schemas (§1.6–1.8, §1.11). Loose objects: Ark adds fields over time. ----

const errorBody = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  param: z.string().nullish(),
  type: z.string().nullish(),
});
const errorEnvelope = z.looseObject({ error: errorBody });

export const ARK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired'] as const;

const arkTask = z.looseObject({
  id: z.string().min(1),
  model: z.string().optional(),
  status: z.enum(ARK_STATUSES),
  error: errorBody.nullish(),
  failure_reason: errorBody.nullish(),
  content: z
    .looseObject({ video_url: z.string().min(1).optional(), last_frame_url: z.string().min(1).nullish() })
    .nullish(),
  usage: z
    .looseObject({ completion_tokens: z.number().int().nonnegative(), total_tokens: z.number().optional() })
    .nullish(),
  created_at: z.number().optional(),
  updated_at: z.number().optional(),
  execution_expires_after: z.number().nullish(),
  duration: z.number().nullish(),
  resolution: z.string().nullish(),
  ratio: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});
export type ArkTask = z.infer<typeof arkTask>;

const createAnswer = z.looseObject({ id: z.string().regex(/^\S+$/, 'must be a task id') });
const listAnswer = z.looseObject({
  items: z.array(arkTask).nullish(),
  total: z.number().int().nonnegative(),
});

export const ARK_DIALECT: GatewayDialect = {
  name: 'Ark',
  requestIdHeader: 'x-request-id',
  parseError(body) {
    const r = errorEnvelope.safeParse(body);
    if (!r.success) return undefined;
    const e = r.data.error;
    return {
      ...(e.code ? { code: e.code } : {}),
      ...(e.message ? { message: e.message } : {}),
      ...(e.param ? { param: e.param } : {}),
      ...(e.type ? { type: e.type } : {}),
    };
  },
};

/** An Ark task as the runner reads it; Ark's six statuses are the runner's states. */
export function arkTaskView(t: ArkTask): TaskView {
  const err = t.error ?? t.failure_reason;
  const sec = (s: number | undefined | null) => (typeof s === 'number' ? s * 1000 : undefined);
  const created = sec(t.created_at);
  const expiresAfter = sec(t.execution_expires_after);
  const updated = sec(t.updated_at);
  return {
    id: t.id,
    status: t.status,
    state: t.status,
    ...(t.content?.video_url ? { videoUrl: t.content.video_url } : {}),
    ...(t.content?.last_frame_url ? { lastFrameUrl: t.content.last_frame_url } : {}),
    ...(err?.message ? { error: err.message } : {}),
    ...(err?.code ? { code: err.code } : {}),
    ...(t.duration && t.duration > 0 ? { durationSec: t.duration } : {}),
    ...(t.usage ? { tokens: t.usage.completion_tokens } : {}),
    ...(created !== undefined ? { createdAtMs: created } : {}),
    ...(updated !== undefined ? { updatedAtMs: updated } : {}),
    ...(created !== undefined && expiresAfter !== undefined ? { expiresAtMs: created + expiresAfter } : {}),
    ...(t.safety_identifier ? { marker: t.safety_identifier } : {}),
  };
}

export interface ArkBody {
  /** What is sent. */
  wire: Record<string, unknown>;
  /** The shot port of each content item, so `content[i]` in an error names the port. */
  ports: string[];
}

const PARAM_FIELDS: Record<string, string> = {
  duration: 'duration',
  ratio: 'ratio',
  resolution: 'resolution',
  seed: 'seed',
  generate_audio: 'generate_audio',
  watermark: 'watermark',
  model: 'model',
};

/** The shot field an Ark error is about: a named param, or `content[i]` mapped back to its port. */
function fieldFor(param: string | undefined, message: string, ports: string[]): string | undefined {
  const m = /content\[(\d+)\]/.exec(param ?? '') ?? /content\[(\d+)\]/.exec(message);
  if (m) return ports[Number(m[1])];
  return param ? PARAM_FIELDS[param.split('.')[0] ?? ''] : undefined;
}

const ARK_ADVICE: Partial<Record<ErrorCategory, string>> = {
  auth: 'Check ARK_API_KEY: it must be an Ark API key (not an AK/SK pair) from the same region as the base URL — Volcengine (CN) keys only work on ark.cn-beijing.volces.com, BytePlus keys only on ark.ap-southeast.bytepluses.com (set ARK_BASE_URL to switch).',
  model_not_activated:
    'The model is not activated for this account, or the model/endpoint id does not exist in this region. Activate Seedance 2.0 under "Model activation" in the Ark console (it needs a balance above ¥200 on Volcengine or $30 on BytePlus), or check the shot\'s model (seedance-2.0, seedance-2.0-fast, a raw model id, or an ep-… endpoint id). Behind a proxy, set ARK_REGION=cn (Volcengine, doubao-… ids) or intl (BytePlus, dreamina-… ids).',
};

const CONSOLE = 'the Ark console (console.volcengine.com/ark or console.byteplus.com/ark)';

export const arkAdapter: GatewayAdapter<ArkBody> = {
  name: 'ark',
  dialect: ARK_DIALECT,
  poll: DEFAULT_POLL,
  authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
  modelId: (model, baseUrl) => resolveArkModel(model, baseUrl),
  precheck: refuseLocalVideos,
  async buildBody(req, modelId) {
    const built = await buildArkContent(req);
    const wire = buildArkBody(req, built, modelId);
    const size = Buffer.byteLength(JSON.stringify(wire));
    if (size > MAX_BODY_BYTES) {
      throw new ProviderError(
        `This shot's request would be ${(size / 1048576).toFixed(0)} MB; Ark accepts at most 64 MB. Use smaller images or audio, or https URLs instead of local files.`,
        { field: 'reference_images' },
      );
    }
    return { wire, ports: built.ports };
  },
  async create(g, body, timeoutMs) {
    const r = await g.json({
      method: 'POST',
      url: `${g.baseUrl}${TASKS_PATH}`,
      body: body.wire,
      schema: createAnswer,
      what: 'create the task',
      idempotent: false,
      timeoutMs,
    });
    return r.id;
  },
  async get(g, taskId) {
    const t = await orMissing(
      g.json({
        method: 'GET',
        url: `${g.baseUrl}${TASKS_PATH}/${encodeURIComponent(taskId)}`,
        schema: arkTask,
        what: `check task ${taskId}`,
        idempotent: true,
      }),
    );
    return t && arkTaskView(t);
  },
  async cancel(g, taskId) {
    // Only a queued task can be cancelled (§1.9), and DELETE on a finished one erases its record
    // (a paid video): look at the status right before deleting.
    const now = await this.get(g, taskId);
    if (now?.state !== 'queued') return false;
    await g.json({
      method: 'DELETE',
      url: `${g.baseUrl}${TASKS_PATH}/${encodeURIComponent(taskId)}`,
      schema: z.unknown(),
      what: `cancel task ${taskId}`,
      idempotent: true,
    });
    return true;
  },
  taskList: {
    marker: (req) => shotMarker(req.key),
    async page(g, modelId, pageNum, pageSize) {
      const q = new URLSearchParams({
        page_num: String(pageNum),
        page_size: String(pageSize),
        // Required when the key's permission is "Custom" (§1.8).
        'filter.model': modelId,
      });
      const r = await g.json({
        method: 'GET',
        url: `${g.baseUrl}${TASKS_PATH}?${q}`,
        schema: listAnswer,
        what: 'list tasks',
        idempotent: true,
      });
      return { items: (r.items ?? []).map(arkTaskView), total: r.total };
    },
    pageSize: 100,
    retentionMs: 7 * DAY_MS,
    linkLifeMs: DAY_MS,
  },
  category: (e) => arkCategory(e.code, e.status),
  fieldOf: (e, body) => fieldFor(e.param, e.text, body?.ports ?? []),
  advice: ARK_ADVICE,
  fields: {},
  dashboard: CONSOLE,
  refund: 'Failed tasks are not billed.',
  notes: {
    expired:
      "it waited longer than its execution_expires_after (48 h by default), usually because the account's queue was full",
    cancelled: 'from the console or the API; a cancelled task is not billed',
    records: 'task records are kept 7 days; a deleted task disappears at once',
    links: 'they last 24 h after the task finishes',
  },
  howToCheck: ({ sinceMs, req, modelId, baseUrl }) =>
    `Look for a task with safety_identifier ${shotMarker(req.key)} created after ${new Date(sinceMs).toISOString()} in ${CONSOLE}, ` +
    `or run: curl -H "Authorization: Bearer $ARK_API_KEY" ` +
    `"${baseUrl}${TASKS_PATH}?filter.model=${encodeURIComponent(modelId)}&page_size=100".`,
};

export type ArkOptions = GatewayOptions & {
  /** ARK_REGION: which region's model ids to send; unset, it is read from an official host (§1.1). */
  region?: ArkRegion;
};

export class ArkProvider extends GatewayProvider<ArkBody> {
  private readonly stillOptions: ArkOptions;
  constructor(options: ArkOptions) {
    const { region, ...opts } = options;
    super(
      region
        ? { ...arkAdapter, modelId: (model, baseUrl) => resolveArkModel(model, baseUrl, region) }
        : arkAdapter,
      opts,
    );
    this.stillOptions = options;
  }

  /** Keyframes: Seedream stills on the same key and region (seedream.ts). */
  async stills(req: StillRequest, ctx: ShotContext): Promise<StillResult> {
    const { seedreamStills } = await import('./seedream');
    return seedreamStills(this.stillOptions, req, ctx);
  }
}

/** Provider factory: ARK_API_KEY, ARK_BASE_URL, ARK_REGION, and the shared knobs of gateways/options.ts. */
export function createArkProvider(env: NodeJS.ProcessEnv): ArkProvider {
  const region = parseArkRegion(env.ARK_REGION);
  return new ArkProvider({ ...optionsFromEnv('ark', env), ...(region ? { region } : {}) });
}
