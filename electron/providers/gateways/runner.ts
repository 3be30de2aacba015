// The one provider behind every third-party Seedance gateway (seed2.io, Apiframe, xingchaoyiqing,
// inference.sh). Each gateway file is an adapter that only maps a shot to its wire format and back;
// this file checks the shot against the capability matrix, brackets the paid create with the
// journal, polls, downloads, extracts the last frame and turns failures into advice.
import path from 'node:path';
import type { z } from 'zod';
import { FfmpegNotFoundError } from '../../media/ffmpeg';
import { extractLastFrame } from '../../media/last-frame';
import { probeMedia } from '../../media/probe';
import {
  CAPABILITIES,
  gatewayModelId,
  MEDIA_HOST_GATEWAYS,
  MEDIA_HOST_HINT,
  usesMediaHost,
  type GatewayCapabilities,
  type GatewayName,
} from '../../../shared/seedance/capabilities';
import {
  shotCapabilityProblems,
  type MediaInput,
  type ShotSpec,
} from '../../../shared/validate/capabilities';
import { adviceFor, categoryForStatus, type ErrorCategory } from '../remote/advice';
import { downloadToFile } from '../remote/download';
import { GatewayError, isGatewayError } from '../remote/errors';
import {
  DEFAULT_RETRY,
  HttpClient,
  type GatewayDialect,
  type JsonCall,
  type RetryInfo,
  type RetryPolicy,
} from '../remote/http';
import { fileToDataUri, InlineMediaError } from '../remote/media';
import {
  MEDIA_HOST_ENV,
  MEDIA_HOST_TOKEN_ENV,
  mediaHostFromEnv,
  uploadToMediaHost,
  type MediaHostConfig,
} from '../remote/media-host';
import { DEFAULT_POLL, pollUntil } from '../remote/poll';
import { makeRedactor, redactError, type Redactor } from '../remote/redact';
import { runRemoteTask, type Outcome } from '../remote/submission';
import { isAbortError, parseMsPair, type Backoff, type Sleep } from '../remote/timing';
import {
  ProviderError,
  type MediaRef,
  type Provider,
  type ShotContext,
  type ShotRequest,
  type ShotResult,
} from '../types';
import { envelopedJson, type Opened } from './envelope';

/** A gateway task, normalised (docs/gateways.md §2.5). */
export interface TaskView {
  id: string;
  /** The gateway's own word for the state, for progress messages. */
  status: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** 0–1, when the gateway reports progress. */
  progress?: number;
  videoUrl?: string;
  error?: string;
  durationSec?: number;
  tokens?: number;
  costUsd?: number;
}

/** What an adapter gets to talk to its gateway. */
export interface GatewayCalls {
  baseUrl: string;
  signal: AbortSignal;
  json<T>(call: Omit<JsonCall<T>, 'signal'>): Promise<T>;
  /** A call whose answer wraps errors in a 200 envelope. */
  enveloped<E, T>(call: Omit<JsonCall<E>, 'signal'>, open: (body: E) => Opened<T>): Promise<T>;
}

export interface GatewayAdapter<Body = unknown> {
  readonly name: GatewayName;
  readonly dialect: GatewayDialect;
  /** Poll schedule suited to the gateway's advice (overridden by SHOTGRAPH_POLL_MS). */
  readonly poll: Backoff;
  authHeaders(apiKey: string): Record<string, string>;
  buildBody(req: ShotRequest, modelId: string): Promise<Body>;
  /** The paid call: resolves with the task id. */
  create(g: GatewayCalls, body: Body, timeoutMs: number): Promise<string>;
  /** The task now; undefined when the gateway says there is no such task. */
  get(g: GatewayCalls, taskId: string): Promise<TaskView | undefined>;
  /** Best-effort cancel after the user aborted; true only when the task will certainly not be billed. */
  cancel?(g: GatewayCalls, taskId: string): Promise<boolean>;
  advice: Partial<Record<ErrorCategory, string>>;
  /** Wire field names → the shot field they come from, to point errors at the right port. */
  fields: Record<string, string>;
  /** Where the user can see tasks, since these gateways cannot be asked for a list. */
  dashboard: string;
  /** Said after a failed task, only where the gateway documents it. */
  refund?: string;
}

export interface GatewayOptions {
  apiKey: string;
  baseUrl?: string;
  poll?: Backoff;
  retry?: RetryPolicy;
  download?: { attempts?: number; backoff?: Backoff };
  timeoutMs?: number;
  concurrency?: number;
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
  /** The user's media host (SHOTGRAPH_MEDIA_HOST): URL-only gateways upload local inputs there. */
  mediaHost?: MediaHostConfig;
}

// ---- media ----

/** Media as a gateway that takes only URLs gets it; local files were refused by the capability check. */
export function urlOf(ref: MediaRef, label: string, field: string, gateway: string): string {
  if (ref.url && /^https?:\/\//i.test(ref.url)) return ref.url;
  const hostable = MEDIA_HOST_GATEWAYS.some((g) => CAPABILITIES[g].label === gateway);
  throw new ProviderError(
    `${label} is ${ref.path ? `a file on this machine (${path.basename(ref.path)})` : 'missing'}, but ${gateway} takes media only as https URLs. ` +
      `Upload it where an https link reaches it (a storage bucket with a public or signed URL) and use that URL in the media node${hostable ? `, ${MEDIA_HOST_HINT}` : ''}. Nothing was submitted.`,
    { field },
  );
}

/** A URL, or a local image/audio file inline as a data URI (gateways that document data URIs). */
export async function urlOrDataUri(
  ref: MediaRef,
  kind: 'image' | 'audio',
  label: string,
  field: string,
  gateway: string,
): Promise<string> {
  if (ref.url) return urlOf(ref, label, field, gateway);
  if (!ref.path) throw new ProviderError(`${label} has neither a file nor a URL.`, { field });
  try {
    return (await fileToDataUri(ref.path, kind)).uri;
  } catch (e) {
    const why =
      e instanceof InlineMediaError
        ? e.message
        : `cannot read ${path.basename(ref.path)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    throw new ProviderError(`${label}: ${why}.`, { field });
  }
}

/** A request as the capability check sees it (the same check the plan ran on the graph). */
export function specOf(req: ShotRequest): ShotSpec {
  const media = (refs: MediaRef[]): MediaInput[] =>
    refs.map((r) => ({ local: !r.url, source: r.url ?? `${path.basename(r.path ?? '')}` }));
  return {
    nodeId: req.nodeId,
    model: req.model,
    duration: req.duration,
    ratio: req.ratio,
    resolution: req.resolution,
    generateAudio: req.generateAudio,
    seed: req.seed,
    watermark: req.watermark,
    prompt: req.prompt,
    inputs: {
      first_frame: media(req.firstFrame ? [req.firstFrame] : []),
      last_frame: media(req.lastFrame ? [req.lastFrame] : []),
      reference_images: media(req.referenceImages),
      reference_videos: media(req.referenceVideos),
      reference_audios: media(req.referenceAudios),
    },
  };
}

// ---- errors ----

/** Third-party gateways send free text, not codes: read what the text and the status say. */
export function categoryOf(
  status: number | undefined,
  text: string,
  failedTask = false,
): ErrorCategory | undefined {
  const t = text.toLowerCase();
  if (
    status === 402 ||
    /insufficient|not enough (credit|point|balance)|balance too low|out of credits/.test(t)
  )
    return 'quota';
  if (/content policy|sensitive|moderation|policy violation|nsfw|not allowed content/.test(t))
    return failedTask ? 'output_moderation' : 'sensitive_text';
  if (/real (person|human)|human face/.test(t)) return 'real_face';
  if (status === 401 || /api key|unauthori[sz]ed|invalid key|authenticat/.test(t)) return 'auth';
  if (status === 403 && /inactive|disabled/.test(t)) return 'auth';
  // On create, a 404 is an unknown model/app (or a wrong base URL), never a missing task.
  if (status === 404) return 'model_not_activated';
  const byStatus = categoryForStatus(status);
  if (byStatus) return byStatus;
  return status !== undefined && status >= 400 && status < 500 ? 'invalid_parameter' : undefined;
}

// ---- the provider ----

export class GatewayProvider<Body = unknown> implements Provider {
  readonly name: GatewayName;
  readonly concurrency: number;
  readonly baseUrl: string;
  readonly caps: GatewayCapabilities;
  private readonly redact: Redactor;
  private readonly poll: Backoff;

  constructor(
    private readonly adapter: GatewayAdapter<Body>,
    private readonly opts: GatewayOptions,
  ) {
    this.name = adapter.name;
    this.caps = CAPABILITIES[adapter.name];
    if (!opts.apiKey) {
      throw new Error(
        `${this.caps.keyEnv} is not set: create an API key in ${adapter.dashboard} and export it as ${this.caps.keyEnv}.`,
      );
    }
    this.redact = makeRedactor([opts.apiKey, opts.mediaHost?.token]);
    this.baseUrl = (opts.baseUrl || this.caps.defaultBaseUrl).replace(/\/+$/, '');
    try {
      new URL(this.baseUrl);
    } catch {
      throw new Error(
        this.redact(
          `${this.caps.baseUrlEnv} "${this.baseUrl}" is not a URL (expected e.g. ${this.caps.defaultBaseUrl}).`,
        ),
      );
    }
    this.concurrency = opts.concurrency ?? 3;
    this.poll = opts.poll ?? adapter.poll;
  }

  async generate(req: ShotRequest, ctx: ShotContext): Promise<ShotResult> {
    try {
      return await this.run(req, ctx);
    } catch (e) {
      if (isAbortError(e)) throw e;
      throw redactError(this.toProviderError(e), this.redact);
    }
  }

  private async run(req: ShotRequest, ctx: ShotContext): Promise<ShotResult> {
    const label = this.caps.label;
    const host = usesMediaHost(this.name) ? this.opts.mediaHost : undefined;
    // The plan already refused these; a caller that skipped it still pays for nothing.
    const problems = shotCapabilityProblems(this.name, specOf(req), { mediaHost: !!host });
    if (problems.length) {
      throw new ProviderError(`${problems.map((p) => p.message).join('. Also: ')}. Nothing was submitted.`, {
        ...(problems[0]?.field ? { field: problems[0].field } : {}),
      });
    }
    const modelId = gatewayModelId(this.name, req.model);
    let fraction = 0;
    const progress = (f: number, message?: string) => {
      fraction = Math.max(fraction, f);
      ctx.progress(fraction, message);
    };
    const onRetry = (info: RetryInfo) => {
      this.opts.onRetry?.(info);
      progress(
        fraction,
        `retrying to ${info.what} in ${(info.delayMs / 1000).toFixed(1)} s (${info.reason})`,
      );
    };
    const retry = this.opts.retry ?? DEFAULT_RETRY;
    const http = new HttpClient({
      dialect: this.adapter.dialect,
      redact: this.redact,
      headers: this.adapter.authHeaders(this.opts.apiKey),
      retry,
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      onRetry,
    });
    const calls = (signal: AbortSignal): GatewayCalls => ({
      baseUrl: this.baseUrl,
      signal,
      json: async <T>(call: Omit<JsonCall<T>, 'signal'>) => (await http.json({ ...call, signal })).data,
      enveloped: <E, T>(call: Omit<JsonCall<E>, 'signal'>, open: (b: E) => Opened<T>) =>
        envelopedJson(http, { ...call, signal }, open, {
          gateway: label,
          retry,
          onRetry,
          ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
          ...(this.opts.random ? { random: this.opts.random } : {}),
        }),
    });
    const g = calls(ctx.signal);
    const cancel = this.adapter.cancel;

    // Local inputs go to the user's media host first, outside the journal's bracket: a failed upload
    // stops the shot before any paid call. A task already recorded by an earlier run needs no body.
    let body: Body | undefined;
    const prepare = async (): Promise<Body> => {
      if (body === undefined) {
        if (host) req = await this.hostLocalMedia(req, host, ctx.signal, retry, onRetry, progress);
        body = await this.adapter.buildBody(req, modelId);
      }
      return body;
    };
    const recorded = ctx.journal.current();
    if (!(recorded?.taskId && recorded.state !== 'failed')) await prepare();

    const result = await runRemoteTask<TaskView>({
      journal: ctx.journal,
      signal: ctx.signal,
      redact: this.redact,
      create: async () => {
        const b = await prepare();
        const size = Buffer.byteLength(JSON.stringify(b));
        progress(0.02, 'submitting');
        // Inline media can make the body large: allow for a slow uplink (~100 KB/s).
        return this.adapter.create(g, b, (this.opts.timeoutMs ?? 60_000) + Math.ceil(size / 100_000) * 1000);
      },
      // None of these gateways documents a task list, so a lost create answer cannot be looked up:
      // the runner then stops the shot rather than risk a second bill.
      listable: false,
      reconcile: async () => {
        throw new Error(
          `${label} has no API that lists tasks, so Shotgraph cannot ask it whether the task was made`,
        );
      },
      poll: (taskId, resumed) => this.waitForTask(g, taskId, resumed, (status, f) => progress(f, status)),
      ...(cancel
        ? {
            cancel: (taskId: string) => cancel.call(this.adapter, calls(AbortSignal.timeout(10_000)), taskId),
          }
        : {}),
      submitted: (taskId) => {
        progress(0.05, `submitted ${taskId}`);
        ctx.submitted?.(taskId);
      },
      toProviderError: (e) => this.toProviderError(e),
      log: (message) => progress(fraction, message),
      howToCheck: (sinceMs) =>
        `Look in ${this.adapter.dashboard} for a task created around ${new Date(sinceMs).toISOString()}. ` +
        `If there is one, it was billed: take its video from there. If there is none, run again with --new-take ${req.nodeId} ` +
        `(a new take of this shot) to submit it anew.`,
    });

    progress(0.9, 'downloading');
    let files: { video: string; lastFrame: string; durationSec: number };
    try {
      files = await this.fetchOutputs(result.task, ctx);
    } catch (e) {
      // A task from an earlier run may have outlived its links: record it, so the next run submits anew
      // instead of failing on the same dead link forever.
      if (result.resumed && isGatewayError(e) && [403, 404, 410].includes(e.status ?? 0)) {
        await ctx.journal.finished('failed', 'the result link expired before it was downloaded');
        throw new ProviderError(
          `The video of task ${result.taskId} on ${label} can no longer be downloaded: its link expired. ` +
            'Run again to submit this shot anew (that submission is billed).',
          { taskId: result.taskId },
        );
      }
      throw e;
    }
    await ctx.journal.finished('succeeded');
    progress(1, 'done');
    const t = result.task;
    return {
      ...files,
      taskId: result.taskId,
      ...(t.tokens !== undefined ? { tokens: t.tokens } : {}),
      ...(t.costUsd !== undefined ? { costUsd: t.costUsd } : {}),
    };
  }

  /** The request with every local input replaced by its URL on the media host (uploaded if missing). */
  private async hostLocalMedia(
    req: ShotRequest,
    host: MediaHostConfig,
    signal: AbortSignal,
    retry: RetryPolicy,
    onRetry: (info: RetryInfo) => void,
    progress: (f: number, message?: string) => void,
  ): Promise<ShotRequest> {
    const http = new HttpClient({
      dialect: { name: 'the media host', parseError: () => undefined },
      redact: this.redact,
      headers: {}, // the token goes only to the host, per call
      retry,
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      onRetry,
    });
    const one = async (ref: MediaRef, what: string, field: string): Promise<MediaRef> => {
      if (ref.url || !ref.path) return ref;
      const name = path.basename(ref.path);
      try {
        progress(0.01, `uploading ${what} to the media host`);
        const r = await uploadToMediaHost(http, host, ref.path, `${what} (${name})`, signal);
        return { url: r.url };
      } catch (e) {
        if (isAbortError(e)) throw e;
        const status = isGatewayError(e) ? e.status : undefined;
        const why = isGatewayError(e)
          ? e.message
          : `cannot read ${name} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
        const advice =
          status === 401 || status === 403
            ? ` Check ${MEDIA_HOST_TOKEN_ENV} and that the bucket accepts PUT at ${MEDIA_HOST_ENV}.`
            : isGatewayError(e)
              ? ` Check ${MEDIA_HOST_ENV} and the network, then run again.`
              : '';
        throw new ProviderError(
          this.redact(
            `Shot "${req.nodeId}": could not upload ${what} (field ${field}, ${name}) to the media host (${MEDIA_HOST_ENV}): ${why}.${advice} Nothing was submitted to ${this.caps.label}.`,
          ),
          { field, retryable: status === undefined || status === 429 || status >= 500 },
        );
      }
    };
    const many = async (refs: MediaRef[], what: string, field: string) => {
      const out: MediaRef[] = [];
      for (const [i, r] of refs.entries())
        out.push(await one(r, refs.length > 1 ? `${what} ${i + 1}` : what, field));
      return out;
    };
    return {
      ...req,
      ...(req.firstFrame ? { firstFrame: await one(req.firstFrame, 'the first frame', 'first_frame') } : {}),
      ...(req.lastFrame ? { lastFrame: await one(req.lastFrame, 'the last frame', 'last_frame') } : {}),
      referenceImages: await many(req.referenceImages, 'reference image', 'reference_images'),
      referenceVideos: await many(req.referenceVideos, 'reference video', 'reference_videos'),
      referenceAudios: await many(req.referenceAudios, 'reference audio', 'reference_audios'),
    };
  }

  private waitForTask(
    g: GatewayCalls,
    taskId: string,
    resumed: boolean,
    onStatus: (status: string, fraction: number) => void,
  ): Promise<Outcome<TaskView>> {
    const started = Date.now();
    let notFound = 0;
    const label = this.caps.label;
    return pollUntil<Outcome<TaskView>>({
      schedule: this.poll,
      immediate: resumed,
      signal: g.signal,
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      isTransient: (e) =>
        isGatewayError(e) && (e.kind !== 'http' || e.status === 429 || (e.status ?? 0) >= 500),
      check: async () => {
        const task = await this.adapter.get(g, taskId);
        if (!task) {
          // A fresh task may take a moment to become readable; a recorded one that is missing is gone.
          if (!resumed && ++notFound < 3) return { done: false };
          return {
            done: true,
            value: {
              ok: false,
              gone: true,
              error: new ProviderError(
                `Task ${taskId} ${resumed ? 'recorded by an earlier run ' : ''}no longer exists on ${label}, so its video cannot be fetched. ` +
                  'Run again to submit this shot anew (that submission is billed).',
                { taskId },
              ),
            },
          };
        }
        if (task.id !== taskId) {
          throw new GatewayError(`${label} answered about task ${task.id} when asked about ${taskId}`, {
            kind: 'malformed',
            what: `check task ${taskId}`,
            maybeProcessed: true,
          });
        }
        switch (task.state) {
          case 'queued':
            onStatus(task.status, 0.06);
            return { done: false };
          case 'running': {
            // A 5 s clip takes one to three minutes (§3.4): an honest bar that never claims to be done.
            const f =
              task.progress !== undefined
                ? 0.1 + 0.75 * Math.min(1, Math.max(0, task.progress))
                : 0.1 + 0.75 * (1 - Math.exp(-(Date.now() - started) / 90_000));
            onStatus(task.status, f);
            return { done: false };
          }
          case 'succeeded':
            if (!task.videoUrl) {
              throw new GatewayError(`${label} reported task ${taskId} done without a video URL`, {
                kind: 'malformed',
                what: `check task ${taskId}`,
                maybeProcessed: true,
              });
            }
            return { done: true, value: { ok: true, task } };
          case 'failed':
          case 'cancelled':
            return { done: true, value: { ok: false, error: this.taskFailure(task) } };
        }
      },
    });
  }

  private taskFailure(task: TaskView): ProviderError {
    const label = this.caps.label;
    if (task.state === 'cancelled') {
      return new ProviderError(
        `Task ${task.id} was cancelled on ${label} before it finished. Run again to submit it anew.`,
        { taskId: task.id, retryable: true },
      );
    }
    const text = task.error || 'no reason given';
    const cat = categoryOf(undefined, text, true);
    const advice = cat ? ` — ${adviceFor(cat, this.adapter.advice)}` : '';
    const field = this.fieldIn(text);
    return new ProviderError(
      this.redact(
        `Task ${task.id} failed on ${label}: ${text}${advice}${this.adapter.refund ? ` ${this.adapter.refund}` : ''}`,
      ),
      {
        taskId: task.id,
        ...(field ? { field } : {}),
        retryable: cat === 'output_moderation' || cat === 'server',
      },
    );
  }

  private async fetchOutputs(
    task: TaskView,
    ctx: ShotContext,
  ): Promise<{ video: string; lastFrame: string; durationSec: number }> {
    const video = path.join(ctx.outDir, 'video.mp4');
    let durationSec = task.durationSec ?? 0;
    await downloadToFile({
      url: task.videoUrl ?? '',
      dest: video,
      what: `download the video of task ${task.id}`,
      redact: this.redact,
      signal: ctx.signal,
      ...(this.opts.download?.attempts ? { attempts: this.opts.download.attempts } : {}),
      ...(this.opts.download?.backoff ? { backoff: this.opts.download.backoff } : {}),
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      ...(this.opts.onRetry ? { onRetry: this.opts.onRetry } : {}),
      verify: async (tmp) => {
        try {
          const info = await probeMedia(tmp, ctx.signal);
          if (!info.video) throw new Error('no video stream');
          durationSec = info.durationSec || durationSec;
        } catch (e) {
          if (e instanceof FfmpegNotFoundError) return; // the length check still guards the download
          throw e;
        }
      },
    });
    // None of these gateways hands back a last frame (capability matrix): take it from the video.
    const lastFrame = await extractLastFrame(video, path.join(ctx.outDir, 'last-frame.png'), ctx.signal);
    return { video, lastFrame, durationSec };
  }

  private fieldIn(text: string): string | undefined {
    const names = Object.keys(this.adapter.fields).sort((a, b) => b.length - a.length);
    const hit = names.find((n) =>
      new RegExp(`(^|[^A-Za-z_])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z_]|$)`).test(text),
    );
    return hit ? this.adapter.fields[hit] : undefined;
  }

  private toProviderError(e: unknown): ProviderError {
    if (e instanceof ProviderError) return e;
    const label = this.caps.label;
    if (isGatewayError(e)) {
      const opts = { ...(e.requestId ? { requestId: e.requestId } : {}) };
      if (e.kind !== 'http') {
        const hint =
          e.kind === 'malformed'
            ? `The gateway (or a proxy in front of it) sent something ${label} does not send; if it persists, check ${this.caps.baseUrlEnv} (${this.baseUrl}).`
            : `Check the network and ${this.caps.baseUrlEnv} (${this.baseUrl}).`;
        return new ProviderError(this.redact(`${e.message}. ${hint}`), { ...opts, retryable: true });
      }
      // A download's HTTP error is about the result link, not the request: its message says enough.
      const cat = e.what.startsWith('download')
        ? undefined
        : categoryOf(e.status, `${e.code ?? ''} ${e.message}`);
      const field = this.fieldIn(e.message);
      const advice = cat ? ` — ${adviceFor(cat, this.adapter.advice)}` : '';
      return new ProviderError(this.redact(`${e.message}${advice}`), {
        ...opts,
        ...(field ? { field } : {}),
        retryable: cat === 'rate_limit' || cat === 'server',
      });
    }
    return new ProviderError(this.redact(e instanceof Error ? e.message : String(e)));
  }
}

/** Options from the environment: the gateway's key and base URL, and the test knobs SHOTGRAPH_POLL_MS / SHOTGRAPH_RETRY_MS. */
export function optionsFromEnv(gateway: GatewayName, env: NodeJS.ProcessEnv): GatewayOptions {
  const caps = CAPABILITIES[gateway];
  const poll = parseMsPair(env.SHOTGRAPH_POLL_MS);
  const retry = parseMsPair(env.SHOTGRAPH_RETRY_MS);
  const backoff = retry && {
    initialMs: retry.initialMs,
    maxMs: retry.maxMs ?? retry.initialMs * 16,
    factor: 2,
  };
  // A malformed host was reported by the plan; a caller that skipped it gets the error here.
  const mediaHost = usesMediaHost(gateway) ? mediaHostFromEnv(env) : undefined;
  return {
    apiKey: (env[caps.keyEnv] ?? '').trim(), // a pasted key often carries a newline
    ...(mediaHost ? { mediaHost } : {}),
    ...(env[caps.baseUrlEnv] ? { baseUrl: env[caps.baseUrlEnv] } : {}),
    ...(poll
      ? { poll: { initialMs: poll.initialMs, maxMs: poll.maxMs ?? poll.initialMs * 6, factor: 1.5 } }
      : {}),
    ...(backoff ? { retry: { ...DEFAULT_RETRY, backoff }, download: { backoff } } : {}),
  };
}

/** Parses `value` with `schema`, or says which field is wrong (for answers inside an envelope). */
export function parseInner<T>(schema: z.ZodType<T>, value: unknown): Opened<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return {
    ok: false,
    malformed: true,
    message: `${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'invalid'}`,
  };
}
