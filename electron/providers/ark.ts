// The official Seedance gateway: Volcengine Ark (CN) and BytePlus ModelArk (intl), docs/gateways.md §1.
// This file only maps a shot to Ark's wire format and back; retries, polling, downloads and the
// never-pay-twice journal logic live in ./remote, shared with every other gateway.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { extractLastFrame } from '../media/last-frame';
import { FfmpegNotFoundError } from '../media/ffmpeg';
import { probeMedia } from '../media/probe';
import { adviceFor, arkCategory, type ErrorCategory } from './remote/advice';
import { downloadToFile } from './remote/download';
import { GatewayError, isGatewayError } from './remote/errors';
import {
  DEFAULT_RETRY,
  HttpClient,
  type GatewayDialect,
  type RetryInfo,
  type RetryPolicy,
} from './remote/http';
import { fileToDataUri, InlineMediaError, sniffMediaType } from './remote/media';
import { DEFAULT_POLL, pollUntil } from './remote/poll';
import { makeRedactor, redactError, type Redactor } from './remote/redact';
import { runRemoteTask, type Outcome } from './remote/submission';
import { isAbortError, parseMsPair, sleep as realSleep, type Backoff, type Sleep } from './remote/timing';
import {
  ProviderError,
  type MediaRef,
  type Provider,
  type ShotContext,
  type ShotRequest,
  type ShotResult,
} from './types';

export const ARK_BASE_URLS = {
  cn: 'https://ark.cn-beijing.volces.com/api/v3',
  intl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
} as const;

/** Friendly names → each region's dated model id (§1.2). */
export const ARK_MODEL_IDS: Record<string, { cn: string; intl: string }> = {
  'seedance-2.0': { cn: 'doubao-seedance-2-0-260128', intl: 'dreamina-seedance-2-0-260128' },
  'seedance-2.0-fast': { cn: 'doubao-seedance-2-0-fast-260128', intl: 'dreamina-seedance-2-0-fast-260128' },
};

const TASKS_PATH = '/contents/generations/tasks';
/** Ark refuses bodies above 64 MB and images above 30 MB (§3.1). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_IMAGE_BYTES = 30 * 1024 * 1024;
/**
 * How much earlier than the intent (in server time) a task may seem to have been created: Date
 * headers and created_at both have 1 s resolution. Without a Date header we cannot correct for our
 * own clock, so allow more: a missed task costs a second payment, a wrong match at worst a retry.
 */
const RECONCILE_TOLERANCE_MS = { calibrated: 2500, uncalibrated: 120_000 };

export function arkRegion(baseUrl: string): 'cn' | 'intl' {
  try {
    return new URL(baseUrl).hostname.endsWith('volces.com') ? 'cn' : 'intl';
  } catch {
    return 'intl';
  }
}

/** Friendly name → region id; a raw model id or an `ep-…` endpoint id passes through. */
export function resolveArkModel(model: string, baseUrl: string): string {
  return ARK_MODEL_IDS[model]?.[arkRegion(baseUrl)] ?? model;
}

/** The value sent as `safety_identifier`: recognisable in the task list, reveals nothing. */
export function shotMarker(key: string): string {
  return `sg-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
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

const ARK_DIALECT: GatewayDialect = {
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

// ---- request body ----

export type ContentItem =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string }; role: 'first_frame' | 'last_frame' | 'reference_image' }
  | { type: 'video_url'; video_url: { url: string }; role: 'reference_video' }
  | { type: 'audio_url'; audio_url: { url: string }; role: 'reference_audio' };

export interface BuiltContent {
  content: ContentItem[];
  /** The shot port each content item came from, for errors that name `content[i]`. */
  ports: string[];
}

function isRemote(url: string): boolean {
  return /^(https?:\/\/|asset:\/\/|data:)/i.test(url);
}

/** Data URI media types must be lowercase (§1.5); remote URLs are sent as given. */
function normaliseUrl(url: string): string {
  const m = /^data:([^;,]+)(;base64,.*)$/is.exec(url);
  return m ? `data:${(m[1] ?? '').toLowerCase()}${m[2] ?? ''}` : url;
}

/**
 * content[] in port order — text, first/last frame, reference images, videos, audios — so that
 * "image 1", "video 1" in the prompt mean what the user wired (Ark numbers each media type in
 * content order, §4). Refuses what Ark cannot take before anything is paid for.
 */
export async function buildArkContent(req: ShotRequest): Promise<BuiltContent> {
  const content: ContentItem[] = [];
  const ports: string[] = [];
  // Checked first: no file is read and nothing is sent if a local video is wired.
  req.referenceVideos.forEach((v, i) => {
    if (!v.url && v.path) {
      throw new ProviderError(
        `Reference video ${i + 1} (${path.basename(v.path)}) is a local file, but Ark only takes reference videos as an https URL or an asset:// id. ` +
          `Upload the clip to storage that gives an https link (a public or signed URL) and use that URL in the video node, ` +
          `or upload it to Ark's asset library and use asset://<ASSET_ID>. Nothing was submitted.`,
        { field: 'reference_videos' },
      );
    }
  });
  const media = async (
    ref: MediaRef,
    kind: 'image' | 'audio',
    port: string,
    label: string,
  ): Promise<string> => {
    if (ref.url) {
      if (!isRemote(ref.url))
        throw new ProviderError(`${label}: "${ref.url}" is not an https, asset:// or data: URL.`, {
          field: port,
        });
      return normaliseUrl(ref.url);
    }
    if (!ref.path) throw new ProviderError(`${label} has neither a file nor a URL.`, { field: port });
    try {
      const { uri, bytes } = await fileToDataUri(ref.path, kind);
      if (kind === 'image' && bytes > MAX_IMAGE_BYTES) {
        throw new ProviderError(
          `${label} (${path.basename(ref.path)}) is ${(bytes / 1048576).toFixed(1)} MB; Ark takes images up to 30 MB. Use a smaller or compressed image.`,
          { field: port },
        );
      }
      return uri;
    } catch (e) {
      if (e instanceof ProviderError) throw e;
      const why =
        e instanceof InlineMediaError
          ? e.message
          : `cannot read ${path.basename(ref.path)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
      throw new ProviderError(`${label}: ${why}.`, { field: port });
    }
  };
  const push = (item: ContentItem, port: string) => {
    content.push(item);
    ports.push(port);
  };
  if (req.prompt.trim()) push({ type: 'text', text: req.prompt }, 'prompt');
  if (req.firstFrame) {
    push(
      {
        type: 'image_url',
        image_url: { url: await media(req.firstFrame, 'image', 'first_frame', 'First frame') },
        role: 'first_frame',
      },
      'first_frame',
    );
  }
  if (req.lastFrame) {
    push(
      {
        type: 'image_url',
        image_url: { url: await media(req.lastFrame, 'image', 'last_frame', 'Last frame') },
        role: 'last_frame',
      },
      'last_frame',
    );
  }
  for (const [i, ref] of req.referenceImages.entries()) {
    const url = await media(ref, 'image', 'reference_images', `Reference image ${i + 1}`);
    push({ type: 'image_url', image_url: { url }, role: 'reference_image' }, 'reference_images');
  }
  for (const ref of req.referenceVideos) {
    push(
      { type: 'video_url', video_url: { url: normaliseUrl(ref.url ?? '') }, role: 'reference_video' },
      'reference_videos',
    );
  }
  for (const [i, ref] of req.referenceAudios.entries()) {
    const url = await media(ref, 'audio', 'reference_audios', `Reference audio ${i + 1}`);
    push({ type: 'audio_url', audio_url: { url }, role: 'reference_audio' }, 'reference_audios');
  }
  return { content, ports };
}

export function buildArkBody(
  req: ShotRequest,
  built: BuiltContent,
  modelId: string,
): Record<string, unknown> {
  return {
    model: modelId,
    content: built.content,
    ratio: req.ratio,
    resolution: req.resolution,
    duration: req.duration === 'auto' ? -1 : req.duration,
    generate_audio: req.generateAudio,
    watermark: req.watermark,
    // The latest docs list seed for 1.x only: send it only when the user chose one.
    ...(req.seed >= 0 ? { seed: req.seed } : {}),
    return_last_frame: true,
    safety_identifier: shotMarker(req.key),
  };
}

// ---- the provider ----

export interface ArkOptions {
  apiKey: string;
  baseUrl?: string;
  poll?: Backoff;
  retry?: RetryPolicy;
  download?: { attempts?: number; backoff?: Backoff };
  timeoutMs?: number;
  concurrency?: number;
  sleep?: Sleep;
  random?: () => number;
  /** Every retry the runner makes (tests count them; the CLI shows them as progress). */
  onRetry?: (info: RetryInfo) => void;
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

const ARK_ADVICE: Partial<Record<ErrorCategory, string>> = {
  auth: 'Check ARK_API_KEY: it must be an Ark API key (not an AK/SK pair) from the same region as the base URL — Volcengine (CN) keys only work on ark.cn-beijing.volces.com, BytePlus keys only on ark.ap-southeast.bytepluses.com (set ARK_BASE_URL to switch).',
  model_not_activated:
    'The model is not activated for this account, or the model/endpoint id does not exist in this region. Activate Seedance 2.0 under "Model activation" in the Ark console (it needs a balance above ¥200 on Volcengine or $30 on BytePlus), or check the shot\'s model (seedance-2.0, seedance-2.0-fast, a raw model id, or an ep-… endpoint id).',
};

export class ArkProvider implements Provider {
  readonly name = 'ark';
  readonly concurrency: number;
  readonly baseUrl: string;
  private readonly redact: Redactor;
  private readonly poll: Backoff;

  constructor(private readonly opts: ArkOptions) {
    if (!opts.apiKey)
      throw new Error('ARK_API_KEY is not set: create an API key in the Ark console and export it.');
    this.baseUrl = (opts.baseUrl || ARK_BASE_URLS.intl).replace(/\/+$/, '');
    this.redact = makeRedactor([opts.apiKey]);
    try {
      new URL(this.baseUrl);
    } catch {
      throw new Error(
        this.redact(`ARK_BASE_URL "${this.baseUrl}" is not a URL (expected e.g. ${ARK_BASE_URLS.intl}).`),
      );
    }
    this.concurrency = opts.concurrency ?? 3;
    this.poll = opts.poll ?? DEFAULT_POLL;
  }

  async generate(req: ShotRequest, ctx: ShotContext): Promise<ShotResult> {
    try {
      return await this.run(req, ctx);
    } catch (e) {
      if (isAbortError(e)) throw e;
      throw redactError(e instanceof ProviderError ? e : this.toProviderError(e, []), this.redact);
    }
  }

  private async run(req: ShotRequest, ctx: ShotContext): Promise<ShotResult> {
    const modelId = resolveArkModel(req.model, this.baseUrl);
    const built = await buildArkContent(req);
    const body = buildArkBody(req, built, modelId);
    const size = Buffer.byteLength(JSON.stringify(body));
    if (size > MAX_BODY_BYTES) {
      throw new ProviderError(
        `This shot's request would be ${(size / 1048576).toFixed(0)} MB; Ark accepts at most 64 MB. Use smaller images or audio, or https URLs instead of local files.`,
        { field: 'reference_images' },
      );
    }
    let fraction = 0;
    const progress = (f: number, message?: string) => {
      fraction = Math.max(fraction, f);
      ctx.progress(fraction, message);
    };
    const http = new HttpClient({
      dialect: ARK_DIALECT,
      redact: this.redact,
      headers: { Authorization: `Bearer ${this.opts.apiKey}` },
      retry: this.opts.retry ?? DEFAULT_RETRY,
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      onRetry: (info) => {
        this.opts.onRetry?.(info);
        progress(
          fraction,
          `retrying to ${info.what} in ${(info.delayMs / 1000).toFixed(1)} s (${info.reason})`,
        );
      },
    });
    const tasksUrl = `${this.baseUrl}${TASKS_PATH}`;
    const marker = shotMarker(req.key);
    const signal = ctx.signal;

    const result = await runRemoteTask<ArkTask>({
      journal: ctx.journal,
      signal,
      redact: this.redact,
      maxCreates: 3,
      create: async () => {
        progress(0.02, 'submitting');
        const r = await http.json({
          method: 'POST',
          url: tasksUrl,
          body,
          schema: createAnswer,
          what: 'create the task',
          idempotent: false,
          signal,
          // Inline media can make the body tens of MB: allow for a slow uplink (~100 KB/s).
          timeoutMs: (this.opts.timeoutMs ?? 60_000) + Math.ceil(size / 100_000) * 1000,
        });
        return r.data.id;
      },
      reconcile: (sinceMs) => this.findTask(http, tasksUrl, modelId, marker, sinceMs, signal),
      poll: (taskId, resumed) =>
        this.waitForTask(http, tasksUrl, taskId, resumed, built.ports, signal, (status, f) =>
          progress(f, status),
        ),
      cancel: async (taskId) => {
        // Only a queued task can be cancelled (§1.9), and DELETE on a finished one erases its record
        // (a paid video): look at the status right before deleting.
        const cancelSignal = AbortSignal.timeout(10_000);
        const url = `${tasksUrl}/${encodeURIComponent(taskId)}`;
        const now = await http.json({
          method: 'GET',
          url,
          schema: arkTask,
          what: `check task ${taskId}`,
          idempotent: true,
          signal: cancelSignal,
        });
        if (now.data.status !== 'queued') return false;
        await http.json({
          method: 'DELETE',
          url,
          schema: z.unknown(),
          what: `cancel task ${taskId}`,
          idempotent: true,
          signal: cancelSignal,
        });
        return true;
      },
      submitted: (taskId) => {
        progress(0.05, `submitted ${taskId}`);
        ctx.submitted?.(taskId);
      },
      toProviderError: (e) => this.toProviderError(e, built.ports),
      log: (message) => progress(fraction, message),
      howToCheck: (sinceMs) =>
        `Look for a task with safety_identifier ${marker} created after ${new Date(sinceMs).toISOString()} in the Ark console ` +
        `(console.volcengine.com/ark or console.byteplus.com/ark), or run: curl -H "Authorization: Bearer $ARK_API_KEY" ` +
        `"${tasksUrl}?filter.model=${encodeURIComponent(modelId)}&page_size=100".`,
    });

    progress(0.9, 'downloading');
    let files: Awaited<ReturnType<ArkProvider['fetchOutputs']>>;
    try {
      files = await this.fetchOutputs(result.task, ctx, signal);
    } catch (e) {
      // Result links last 24 h: a task from an earlier run may have outlived its files. Record that,
      // so the next run submits the shot again instead of failing on the same dead link forever.
      if (result.resumed && isGatewayError(e) && [403, 404, 410].includes(e.status ?? 0)) {
        await ctx.journal.finished('failed', 'the result links expired before they were downloaded');
        throw new ProviderError(
          `The video of task ${result.taskId} can no longer be downloaded: its links expired (they last 24 h after the task finishes). ` +
            `Run again to submit this shot anew (that submission is billed).`,
          { taskId: result.taskId },
        );
      }
      throw e;
    }
    await ctx.journal.finished('succeeded');
    progress(1, 'done');
    const tokens = result.task.usage?.completion_tokens;
    return {
      video: files.video,
      lastFrame: files.lastFrame,
      durationSec: files.durationSec,
      taskId: result.taskId,
      ...(tokens !== undefined ? { tokens } : {}),
    };
  }

  /** Waits for a task to stop running, with the shared poll loop (~5 s → 30 s, jitter). */
  private waitForTask(
    http: HttpClient,
    tasksUrl: string,
    taskId: string,
    resumed: boolean,
    ports: string[],
    signal: AbortSignal,
    onStatus: (status: string, fraction: number) => void,
  ): Promise<Outcome<ArkTask>> {
    const started = Date.now();
    let notFound = 0;
    return pollUntil<Outcome<ArkTask>>({
      schedule: this.poll,
      immediate: resumed,
      signal,
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      isTransient: (e) =>
        isGatewayError(e) && (e.kind !== 'http' || e.status === 429 || (e.status ?? 0) >= 500),
      check: async () => {
        let task: ArkTask;
        try {
          task = (
            await http.json({
              method: 'GET',
              url: `${tasksUrl}/${encodeURIComponent(taskId)}`,
              schema: arkTask,
              what: `check task ${taskId}`,
              idempotent: true,
              signal,
            })
          ).data;
        } catch (e) {
          if (!isGatewayError(e) || e.status !== 404) throw e;
          // A fresh task may take a moment to become readable; a recorded one that 404s is gone.
          if (!resumed && ++notFound < 3) return { done: false };
          return {
            done: true,
            value: {
              ok: false,
              gone: true,
              error: new ProviderError(
                `Task ${taskId} ${resumed ? 'recorded by an earlier run ' : ''}no longer exists on Ark (task records are kept 7 days; a deleted task disappears at once), so its video cannot be fetched. ` +
                  `Run again to submit this shot anew (that submission is billed).`,
                { taskId, ...(e.requestId ? { requestId: e.requestId } : {}) },
              ),
            },
          };
        }
        if (task.id !== taskId) {
          throw new GatewayError(`Ark answered about task ${task.id} when asked about ${taskId}`, {
            kind: 'malformed',
            what: `check task ${taskId}`,
            maybeProcessed: true,
          });
        }
        switch (task.status) {
          case 'queued':
            onStatus('queued', 0.06);
            return { done: false };
          case 'running': {
            // A 5 s clip takes ~1–3 min (§3.4): an honest-looking bar that never claims to be done.
            const f = 0.1 + 0.75 * (1 - Math.exp(-(Date.now() - started) / 90_000));
            onStatus('running', f);
            return { done: false };
          }
          case 'succeeded':
            if (!task.content?.video_url) {
              throw new GatewayError(`Ark reported task ${taskId} succeeded without a video_url`, {
                kind: 'malformed',
                what: `check task ${taskId}`,
                maybeProcessed: true,
              });
            }
            return { done: true, value: { ok: true, task } };
          case 'failed':
          case 'expired':
          case 'cancelled':
            return { done: true, value: { ok: false, error: this.taskFailure(task, ports) } };
        }
      },
    });
  }

  private taskFailure(task: ArkTask, ports: string[]): ProviderError {
    const notBilled = 'Failed tasks are not billed.';
    if (task.status === 'expired') {
      return new ProviderError(
        `Task ${task.id} expired before it finished: it waited longer than its execution_expires_after (48 h by default), usually because the account's queue was full. ${notBilled} Run again to submit it anew.`,
        { taskId: task.id, retryable: true },
      );
    }
    if (task.status === 'cancelled') {
      return new ProviderError(
        `Task ${task.id} was cancelled on Ark (from the console or the API) before it started. ${notBilled} Run again to submit it anew.`,
        { taskId: task.id, retryable: true },
      );
    }
    const err = task.error ?? task.failure_reason;
    const cat = arkCategory(err?.code ?? undefined);
    const field = fieldFor(undefined, err?.message ?? undefined, ports);
    const advice = cat ? adviceFor(cat, ARK_ADVICE) : notBilled;
    return new ProviderError(
      this.redact(
        `Task ${task.id} failed: ${err?.code ?? 'no error code'}: ${err?.message ?? 'no message'} — ${advice}`,
      ),
      {
        taskId: task.id,
        ...(field ? { field } : {}),
        retryable: cat === 'output_moderation' || cat === 'server',
      },
    );
  }

  /** Finds the task an interrupted create made: same model, our marker, created after the intent. */
  private async findTask(
    http: HttpClient,
    tasksUrl: string,
    modelId: string,
    marker: string,
    sinceMs: number,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const looks = 2;
    for (let look = 0; look < looks; look++) {
      // A task created a moment ago may not be listed yet: look twice before deciding there is none.
      if (look > 0) await (this.opts.sleep ?? realSleep)(Math.min(this.poll.initialMs, 5000), signal);
      const pageSize = 100;
      for (let page = 1; page <= 10; page++) {
        const q = new URLSearchParams({
          page_num: String(page),
          page_size: String(pageSize),
          'filter.model': modelId,
        });
        const r = await http.json({
          method: 'GET',
          url: `${tasksUrl}?${q}`,
          schema: listAnswer,
          what: 'list tasks',
          idempotent: true,
          signal,
        });
        const items = r.data.items ?? [];
        const offset = http.clockOffsetMs;
        // created_at is server time: shift our intent into it when the server told us its clock.
        const threshold =
          offset === undefined
            ? sinceMs - RECONCILE_TOLERANCE_MS.uncalibrated
            : sinceMs + offset - RECONCILE_TOLERANCE_MS.calibrated;
        const mine = items.filter(
          (t) =>
            t.safety_identifier === marker &&
            (t.created_at === undefined || t.created_at * 1000 >= threshold),
        );
        // A failed match was never billed, so it does not stop a new submission.
        const live = mine.filter(
          (t) => t.status === 'queued' || t.status === 'running' || t.status === 'succeeded',
        );
        live.sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0));
        if (live[0]) return live[0].id;
        if (items.length < pageSize || page * pageSize >= r.data.total) break;
        // When the list comes newest first, a page that reaches past the intent ends the search.
        const newestFirst = items.every(
          (t, i) => i === 0 || (items[i - 1]?.created_at ?? 0) >= (t.created_at ?? 0),
        );
        const oldest = items.at(-1)?.created_at;
        if (newestFirst && oldest !== undefined && oldest * 1000 < threshold) break;
      }
    }
    return undefined;
  }

  private async fetchOutputs(
    task: ArkTask,
    ctx: ShotContext,
    signal: AbortSignal,
  ): Promise<{ video: string; lastFrame: string; durationSec: number }> {
    const common = {
      redact: this.redact,
      signal,
      ...(this.opts.download?.attempts ? { attempts: this.opts.download.attempts } : {}),
      ...(this.opts.download?.backoff ? { backoff: this.opts.download.backoff } : {}),
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      ...(this.opts.onRetry ? { onRetry: this.opts.onRetry } : {}),
    };
    const video = path.join(ctx.outDir, 'video.mp4');
    let durationSec = task.duration ?? 0;
    await downloadToFile({
      ...common,
      url: task.content?.video_url ?? '',
      dest: video,
      what: `download the video of task ${task.id}`,
      verify: async (tmp) => {
        try {
          const info = await probeMedia(tmp, signal);
          if (!info.video) throw new Error('no video stream');
          durationSec = info.durationSec || durationSec;
        } catch (e) {
          if (e instanceof FfmpegNotFoundError) return; // the length check still guards the download
          throw e;
        }
      },
    });
    const frameUrl = task.content?.last_frame_url;
    let lastFrame = path.join(ctx.outDir, 'last-frame.png');
    if (frameUrl) {
      let subtype = 'png';
      await downloadToFile({
        ...common,
        url: frameUrl,
        dest: lastFrame,
        what: `download the last frame of task ${task.id}`,
        verify: async (tmp) => {
          const head = await readHead(tmp);
          const type = sniffMediaType(head, '');
          if (type?.kind !== 'image') throw new Error('not an image');
          subtype = type.subtype;
        },
      });
      // Newer Ark docs say jpeg, older ones png (§5.4): keep the bytes, name them truthfully.
      if (subtype !== 'png') {
        const named = path.join(ctx.outDir, `last-frame.${subtype === 'jpeg' ? 'jpg' : subtype}`);
        await fs.rename(lastFrame, named);
        lastFrame = named;
      }
    } else {
      await extractLastFrame(video, lastFrame, signal);
    }
    return { video, lastFrame, durationSec };
  }

  private toProviderError(e: unknown, ports: string[]): ProviderError {
    if (e instanceof ProviderError) return e;
    if (isGatewayError(e)) {
      const opts = { ...(e.requestId ? { requestId: e.requestId } : {}) };
      if (e.kind !== 'http') {
        const hint =
          e.kind === 'malformed'
            ? 'The gateway (or a proxy in front of it) sent something Ark never sends; if it persists, check ARK_BASE_URL.'
            : `Check the network and ARK_BASE_URL (${this.baseUrl}).`;
        return new ProviderError(this.redact(`${e.message}. ${hint}`), { ...opts, retryable: true });
      }
      const cat = arkCategory(e.code, e.status);
      const field = fieldFor(e.param, e.message, ports);
      const advice = cat ? ` — ${adviceFor(cat, ARK_ADVICE)}` : '';
      return new ProviderError(this.redact(`${e.message}${advice}`), {
        ...opts,
        ...(field ? { field } : {}),
        retryable: cat === 'rate_limit' || cat === 'server',
      });
    }
    return new ProviderError(this.redact(e instanceof Error ? e.message : String(e)));
  }
}

/** The shot field an Ark error is about: a named param, or `content[i]` mapped back to its port. */
function fieldFor(
  param: string | undefined,
  message: string | undefined,
  ports: string[],
): string | undefined {
  const m = /content\[(\d+)\]/.exec(param ?? '') ?? /content\[(\d+)\]/.exec(message ?? '');
  if (m) return ports[Number(m[1])];
  return param ? PARAM_FIELDS[param.split('.')[0] ?? ''] : undefined;
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Provider factory: ARK_API_KEY, ARK_BASE_URL, and SHOTGRAPH_POLL_MS / SHOTGRAPH_RETRY_MS ("initial[,max]" ms). */
export function createArkProvider(env: NodeJS.ProcessEnv): ArkProvider {
  const poll = parseMsPair(env.SHOTGRAPH_POLL_MS);
  const retry = parseMsPair(env.SHOTGRAPH_RETRY_MS);
  return new ArkProvider({
    apiKey: (env.ARK_API_KEY ?? '').trim(), // a pasted key often carries a newline
    ...(env.ARK_BASE_URL ? { baseUrl: env.ARK_BASE_URL } : {}),
    ...(poll
      ? { poll: { initialMs: poll.initialMs, maxMs: poll.maxMs ?? poll.initialMs * 6, factor: 1.5 } }
      : {}),
    ...(retry
      ? {
          retry: {
            ...DEFAULT_RETRY,
            backoff: { initialMs: retry.initialMs, maxMs: retry.maxMs ?? retry.initialMs * 16, factor: 2 },
          },
          download: {
            backoff: { initialMs: retry.initialMs, maxMs: retry.maxMs ?? retry.initialMs * 16, factor: 2 },
          },
        }
      : {}),
  });
}
