// The one provider behind every Seedance gateway (Ark, seed2.io, Apiframe, xingchaoyiqing,
// inference.sh). Each gateway file is an adapter that only maps a shot to its wire format and back;
// this file checks the shot against the capability matrix, brackets the paid create with the
// journal, and hands polling, downloads and error wording to the files beside it.
import {
  CAPABILITIES,
  gatewayModelId,
  usesMediaHost,
  type GatewayCapabilities,
  type GatewayName,
} from '../../../shared/seedance/capabilities';
import { shotCapabilityProblems } from '../../../shared/validate/capabilities';
import { isGatewayError } from '../remote/errors';
import { DEFAULT_RETRY, HttpClient, type JsonCall, type RetryInfo } from '../remote/http';
import { makeRedactor, redactError, type Redactor } from '../remote/redact';
import { runRemoteTask } from '../remote/submission';
import { isAbortError, type Backoff } from '../remote/timing';
import { ProviderError, type Provider, type ShotContext, type ShotRequest, type ShotResult } from '../types';
import type { GatewayAdapter, GatewayCalls, GatewayOptions, TaskView } from './adapter';
import { envelopedJson, type Opened } from './envelope';
import { Failures } from './failures';
import { withDefaults, type NetworkLimits } from './limits';
import { ledgerLookups } from './ledger-lookups';
import { hostLocalMedia } from './media-host-upload';
import { specOf } from './request-media';
import { fetchResults, type ResultFiles } from './results';
import { TaskLedger } from './task-ledger';
import { waitForTask } from './wait-for-task';

// The names adapters and tests have always imported from here.
export type { GatewayAdapter, GatewayCalls, GatewayOptions, TaskView } from './adapter';
export { parseInner } from './envelope';
export { categoryOf } from './failures';
export { optionsFromEnv } from './options';
export { specOf, urlOf, urlOrDataUri } from './request-media';

/** A shot this gateway can take: where its local media go, and the model id it is sent under. */
interface Checked {
  host: GatewayOptions['mediaHost'] | undefined;
  modelId: string;
}

export class GatewayProvider<Body = unknown> implements Provider {
  readonly name: GatewayName;
  readonly concurrency: number;
  readonly baseUrl: string;
  readonly caps: GatewayCapabilities;
  private readonly redact: Redactor;
  private readonly poll: Backoff;
  private readonly failures: Failures<Body>;
  private readonly limits: NetworkLimits;
  /** The gateway's task list, read no faster than it allows, shared by every shot of this provider. */
  private readonly ledger: TaskLedger | undefined;
  /** Bodies got ready while their shots waited for a place (`standby`), by request. */
  private readonly ready = new WeakMap<ShotRequest, Promise<{ req: ShotRequest; body: Body }>>();

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
    this.failures = new Failures(adapter, this.baseUrl, this.redact);
    this.limits = withDefaults(opts.limits);
    this.ledger = adapter.taskList && new TaskLedger(adapter.taskList, this.limits, opts.sleep);
  }

  async generate(req: ShotRequest, ctx: ShotContext): Promise<ShotResult> {
    try {
      return await this.run(req, ctx);
    } catch (e) {
      if (isAbortError(e)) throw e;
      throw redactError(this.failures.toProviderError(e), this.redact);
    }
  }

  /**
   * Gets a waiting shot's body ready (docs/architecture.md §5.2): its local media uploaded to the
   * media host and the body built while earlier shots hold every place, so the create goes out as
   * soon as one comes free. Silent: the shot has not started; what fails here is met again in `run`.
   */
  standby(req: ShotRequest, signal: AbortSignal): void {
    if (this.ready.has(req)) return;
    let shape: Checked;
    try {
      shape = this.checked(req);
    } catch {
      return; // `run` refuses it, with the reason
    }
    const made = this.makeBody(req, shape, {
      signal,
      progress: () => undefined,
      onRetry: (i) => this.opts.onRetry?.(i),
    });
    made.catch(() => undefined);
    this.ready.set(req, made);
  }

  /** The shot as this gateway can take it: refused here (nothing paid) if it cannot. */
  private checked(req: ShotRequest): Checked {
    const { adapter, opts } = this;
    adapter.precheck?.(req);
    const host = usesMediaHost(this.name) ? opts.mediaHost : undefined;
    // The plan already refused these; a caller that skipped it still pays for nothing.
    const problems = shotCapabilityProblems(this.name, specOf(req), { mediaHost: !!host });
    if (problems.length) {
      throw new ProviderError(`${problems.map((p) => p.message).join('. Also: ')}. Nothing was submitted.`, {
        ...(problems[0]?.field ? { field: problems[0].field } : {}),
      });
    }
    const modelId = adapter.modelId?.(req.model, this.baseUrl) ?? gatewayModelId(this.name, req.model);
    return { host, modelId };
  }

  /** Local inputs onto the media host (where this gateway takes only links), then the create's body. */
  private async makeBody(
    req: ShotRequest,
    { host, modelId }: Checked,
    o: {
      signal: AbortSignal;
      progress: (f: number, message?: string) => void;
      onRetry: (i: RetryInfo) => void;
    },
  ): Promise<{ req: ShotRequest; body: Body }> {
    const { opts } = this;
    if (host)
      req = await hostLocalMedia({
        req,
        host,
        label: this.caps.label,
        signal: o.signal,
        redact: this.redact,
        retry: opts.retry ?? DEFAULT_RETRY,
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.sleep ? { sleep: opts.sleep } : {}),
        ...(opts.random ? { random: opts.random } : {}),
        onRetry: o.onRetry,
        progress: o.progress,
        // The gateway may fetch an input any time until the task ends: links outlive the wait.
        linkLifeMs: (this.limits.maxWaitMs ?? this.limits.defaultWaitMs) + this.limits.expiryGraceMs,
      });
    return { req, body: await this.adapter.buildBody(req, modelId) };
  }

  private async run(req: ShotRequest, ctx: ShotContext): Promise<ShotResult> {
    const { adapter, opts } = this;
    const label = this.caps.label;
    const shape = this.checked(req);
    const { modelId } = shape;
    const early = this.ready.get(req);
    this.ready.delete(req);
    let fraction = 0;
    const progress = (f: number, message?: string) => {
      fraction = Math.max(fraction, f);
      ctx.progress(fraction, message);
    };
    const onRetry = (info: RetryInfo) => {
      opts.onRetry?.(info);
      progress(
        fraction,
        `retrying to ${info.what} in ${(info.delayMs / 1000).toFixed(1)} s (${info.reason})`,
      );
    };
    const retry = opts.retry ?? DEFAULT_RETRY;
    const timing = {
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    };
    const http = new HttpClient({
      dialect: adapter.dialect,
      redact: this.redact,
      headers: adapter.authHeaders(opts.apiKey),
      retry,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...timing,
      onRetry,
    });
    // Every status request (a get, a list page) has its own deadline; a create keeps the longer one.
    const bounded = <T>(call: Omit<JsonCall<T>, 'signal'>, signal: AbortSignal): JsonCall<T> => ({
      ...(call.method === 'GET' ? { timeoutMs: this.limits.statusTimeoutMs } : {}),
      ...call,
      signal,
    });
    const calls = (signal: AbortSignal): GatewayCalls => ({
      baseUrl: this.baseUrl,
      signal,
      json: async <T>(call: Omit<JsonCall<T>, 'signal'>) => (await http.json(bounded(call, signal))).data,
      enveloped: <E, T>(call: Omit<JsonCall<E>, 'signal'>, open: (b: E) => Opened<T>) =>
        envelopedJson(http, bounded(call, signal), open, { gateway: label, retry, onRetry, ...timing }),
      clockOffsetMs: () => http.clockOffsetMs,
    });
    const g = calls(ctx.signal);
    const cancel = adapter.cancel;

    // Local inputs go to the user's media host first, outside the journal's bracket: a failed upload
    // stops the shot before any paid call. A task already recorded by an earlier run needs no body.
    // One got ready while the shot waited is taken; one that failed there is made again, and told.
    let body: Body | undefined;
    const prepare = async (): Promise<Body> => {
      if (body === undefined)
        ({ req, body } =
          (await early?.catch(() => undefined)) ??
          (await this.makeBody(req, shape, { signal: ctx.signal, progress, onRetry })));
      return body;
    };
    const recorded = ctx.journal.current();
    if (!(recorded?.taskId && recorded.state !== 'failed')) await prepare();

    // Tasks of this shot known to have ended without a video: never adopted from the task list.
    const ended = new Set<string>();
    const exclude = () => {
      const cur = ctx.journal.current();
      return cur?.state === 'failed' && cur.taskId ? new Set([...ended, cur.taskId]) : ended;
    };
    const remote = () =>
      runRemoteTask<TaskView>({
        journal: ctx.journal,
        signal: ctx.signal,
        redact: this.redact,
        create: async () => {
          const b = await prepare();
          const size = Buffer.byteLength(JSON.stringify(b));
          progress(0.02, 'submitting');
          // Inline media can make the body large: allow for a slow uplink (~100 KB/s).
          return adapter.create(g, b, (opts.timeoutMs ?? 60_000) + Math.ceil(size / 100_000) * 1000);
        },
        ...ledgerLookups({
          ledger: this.ledger,
          label,
          g,
          modelId,
          marker: adapter.taskList?.marker(req),
          exclude,
          reconcileMs: this.limits.reconcileMs,
          redact: this.redact,
          log: (message, f) => progress(f ?? fraction, message),
        }),
        poll: (taskId, resumed) =>
          waitForTask({
            adapter,
            calls,
            signal: ctx.signal,
            taskId,
            resumed,
            schedule: this.poll,
            limits: this.limits,
            failures: this.failures,
            ...(body !== undefined ? { body } : {}),
            ...timing,
            onStatus: (status, f) => progress(f, status),
          }),
        ...(cancel
          ? { cancel: (taskId: string) => cancel.call(adapter, calls(AbortSignal.timeout(10_000)), taskId) }
          : {}),
        submitted: (taskId) => {
          progress(0.05, `submitted ${taskId}`);
          ctx.submitted?.(taskId);
        },
        toProviderError: (e) => this.failures.toProviderError(e, body),
        log: (message) => progress(fraction, message),
        howToCheck: (sinceMs) =>
          adapter.howToCheck?.({ sinceMs, req, modelId, baseUrl: this.baseUrl }) ??
          `Look in ${adapter.dashboard} for a task created around ${new Date(sinceMs).toISOString()}. ` +
            `If there is one, it was billed: take its video from there. If there is none, run again with --new-take ${req.nodeId} ` +
            `(a new take of this shot) to submit it anew.`,
      });

    for (;;) {
      const result = await remote();
      // A task found on the gateway's list may have outlived its links and be submitted anew below:
      // its place is kept until its files are here. Any other task is over at the gateway now.
      const mayResubmit = result.resumed && result.from === 'list';
      if (!mayResubmit) ctx.gatewayDone?.();
      progress(0.9, 'downloading');
      let files: ResultFiles;
      try {
        files = await fetchResults({
          task: result.task,
          label,
          limits: this.limits,
          outDir: ctx.outDir,
          signal: ctx.signal,
          redact: this.redact,
          ...(opts.download ? { download: opts.download } : {}),
          ...timing,
          ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
        });
      } catch (e) {
        // A task from an earlier run may have outlived its links: record it, so it is never fetched
        // again. One this run found on the task list was only a saving: pay for the shot after all.
        if (result.resumed && isGatewayError(e) && [403, 404, 410].includes(e.status ?? 0)) {
          await ctx.journal.finished('failed', 'the result links expired before they were downloaded');
          if (result.from === 'list' && !ended.has(result.taskId)) {
            ended.add(result.taskId);
            progress(fraction, `the links of task ${result.taskId} expired; submitting the shot anew`);
            continue;
          }
          throw this.failures.linksExpired(result.taskId);
        }
        throw e;
      }
      ctx.gatewayDone?.();
      await ctx.journal.finished('succeeded');
      progress(1, 'done');
      const t = result.task;
      return {
        ...files,
        taskId: result.taskId,
        ...(result.resumed ? { resumed: true } : {}),
        ...(t.tokens !== undefined ? { tokens: t.tokens } : {}),
        ...(t.costUsd !== undefined ? { costUsd: t.costUsd } : {}),
      };
    }
  }
}
