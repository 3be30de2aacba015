// The shared HTTP runner every gateway uses: JSON calls with retries (exponential backoff + jitter,
// honouring Retry-After and x-should-retry, never repeating a 400 or an ambiguous create), every
// response validated with zod, every message redacted. Plain node:http so we know whether a failed
// request could have reached the server — the difference between "retry" and "reconcile".
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ZodType } from 'zod';
import { GatewayError, isRetryable, type GatewayErrorKind } from './errors';
import type { Redactor } from './redact';
import {
  abortError,
  backoffDelay,
  parseRetryAfter,
  sleep as realSleep,
  type Backoff,
  type Sleep,
} from './timing';

export interface GatewayDialect {
  /** Name users see in messages ("Ark"). */
  name: string;
  /** Reads the gateway's error envelope from a parsed JSON body. */
  parseError(body: unknown): { code?: string; message?: string; param?: string; type?: string } | undefined;
  /** Response header carrying the server's request id. */
  requestIdHeader?: string;
}

export interface RetryInfo {
  what: string;
  attempt: number;
  delayMs: number;
  reason: string;
  status?: number;
  requestId?: string;
}

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  backoff: Backoff;
  /** Ceiling on a server's Retry-After, so a bad header cannot park a run for hours. */
  maxRetryAfterMs: number;
}

// More patient than the SDKs (2 retries): giving up fails a shot that is already paid for, while
// eight tries with backoff wait at most ~30 s.
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 8,
  backoff: { initialMs: 500, maxMs: 8000, factor: 2 },
  maxRetryAfterMs: 120_000,
};

export interface HttpClientOptions {
  dialect: GatewayDialect;
  redact: Redactor;
  /** Sent with every API call (auth); never with downloads. */
  headers: Record<string, string>;
  timeoutMs?: number;
  retry?: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export interface JsonCall<T> {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  body?: unknown;
  schema: ZodType<T>;
  /** Said in messages: "create the task". */
  what: string;
  /** Safe to repeat blindly (GET, list, DELETE); a create is not. */
  idempotent: boolean;
  signal?: AbortSignal;
  /** Overrides the client's timeout (a large upload needs longer). */
  timeoutMs?: number;
}

/** A non-JSON call (an upload, a HEAD): the body is bytes, the answer is returned as is. */
export interface RawCall {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: Buffer;
  what: string;
  idempotent: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Statuses returned rather than thrown; by default only 2xx. */
  accept?: (status: number) => boolean;
}

export interface JsonResult<T> {
  data: T;
  status: number;
  requestId: string;
}

const MAX_JSON_BYTES = 32 * 1024 * 1024;
const SNIPPET = 120;

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  signal?: AbortSignal;
  timeoutMs: number;
  what: string;
  clientRequestId: string;
}

/** Whether a node:http error happened before any byte could reach the server. */
function neverSent(err: NodeJS.ErrnoException): boolean {
  return [
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ERR_INVALID_URL',
  ].includes(err.code ?? '');
}

export function transportFor(url: URL): typeof http | typeof https {
  return url.protocol === 'https:' ? https : http;
}

/**
 * One request, body buffered. Network failures become GatewayErrors that say whether the request
 * may have been processed; aborts reject with an AbortError.
 */
export function sendOnce(opts: SendOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError());
    let url: URL;
    try {
      url = new URL(opts.url);
    } catch {
      return reject(
        new GatewayError(`invalid URL for ${opts.what}`, {
          kind: 'network',
          what: opts.what,
          maybeProcessed: false,
        }),
      );
    }
    let connected = false;
    let settled = false;
    const fail = (kind: GatewayErrorKind, message: string, processed: boolean) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(
        new GatewayError(message, {
          kind,
          what: opts.what,
          maybeProcessed: processed,
          requestId: opts.clientRequestId,
        }),
      );
    };
    const req = transportFor(url).request(url, {
      method: opts.method,
      headers: {
        ...opts.headers,
        'X-Client-Request-Id': opts.clientRequestId,
        ...(opts.body ? { 'Content-Length': String(opts.body.length) } : {}),
      },
    });
    const onAbort = () => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(abortError());
    };
    const timer = setTimeout(() => {
      fail('timeout', `no answer within ${Math.round(opts.timeoutMs / 1000)} s`, connected);
      req.destroy();
    }, opts.timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (s) => {
      // A reused keep-alive socket is already connected; anything written on it may be read.
      if (!s.connecting) connected = true;
      else s.once('connect', () => (connected = true));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      fail('network', `connection failed (${err.code ?? err.message})`, connected && !neverSent(err));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_JSON_BYTES) {
          res.destroy();
          fail('malformed', `response larger than ${MAX_JSON_BYTES} bytes`, true);
          return;
        }
        chunks.push(c);
      });
      res.on('error', (err: NodeJS.ErrnoException) =>
        fail('network', `connection lost while reading the answer (${err.code ?? err.message})`, true),
      );
      res.on('aborted', () => fail('network', 'connection lost while reading the answer', true));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.end(opts.body);
  });
}

function header(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function newClientRequestId(): string {
  return `sg-${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}

export class HttpClient {
  /** Server clock minus ours, from the last Date header (ms); undefined until a response had one. */
  clockOffsetMs: number | undefined;
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: HttpClientOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  get redact(): Redactor {
    return this.opts.redact;
  }

  /** A JSON call with the retry policy; throws a redacted GatewayError (or AbortError). */
  async json<T>(call: JsonCall<T>): Promise<JsonResult<T>> {
    const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
    return this.withRetries(call, async (clientRequestId) => {
      const res = await sendOnce({
        method: call.method,
        url: call.url,
        headers: {
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...this.opts.headers,
        },
        ...(body ? { body } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
        timeoutMs: call.timeoutMs ?? this.timeoutMs,
        what: call.what,
        clientRequestId,
      });
      return this.interpret(res, call, clientRequestId);
    });
  }

  /** A raw call (bytes in, bytes out) with the same retry policy and redaction as json(). */
  async raw(call: RawCall): Promise<RawResponse> {
    const accept = call.accept ?? ((s: number) => s >= 200 && s < 300);
    return this.withRetries(call, async (clientRequestId) => {
      const res = await sendOnce({
        method: call.method,
        url: call.url,
        headers: { ...this.opts.headers, ...call.headers },
        ...(call.body ? { body: call.body } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
        timeoutMs: call.timeoutMs ?? this.timeoutMs,
        what: call.what,
        clientRequestId,
      });
      if (accept(res.status)) return res;
      const text = res.body.toString('utf8');
      const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'));
      const requestId =
        (this.opts.dialect.requestIdHeader && header(res.headers, this.opts.dialect.requestIdHeader)) ||
        clientRequestId;
      return new GatewayError(
        `${this.opts.dialect.name} could not ${call.what}: ${withRequestId(`HTTP ${res.status}${text ? `: ${snippet(text)}` : ''}`, requestId)}`,
        {
          kind: 'http',
          what: call.what,
          status: res.status,
          maybeProcessed: true,
          requestId,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        },
      );
    });
  }

  private async withRetries<R>(
    call: { what: string; idempotent: boolean; signal?: AbortSignal },
    once: (clientRequestId: string) => Promise<R | GatewayError>,
  ): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const clientRequestId = newClientRequestId();
      let err: GatewayError;
      try {
        const outcome = await once(clientRequestId);
        if (!(outcome instanceof GatewayError)) return outcome;
        err = outcome;
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e;
        err = e;
      }
      if (!isRetryable(err, call.idempotent) || attempt + 1 >= this.retry.attempts) throw this.finish(err);
      const backoff = backoffDelay(this.retry.backoff, attempt, this.random);
      const delayMs = Math.max(backoff, Math.min(err.retryAfterMs ?? 0, this.retry.maxRetryAfterMs));
      this.opts.onRetry?.({
        what: call.what,
        attempt: attempt + 1,
        delayMs,
        reason: this.opts.redact(err.message),
        ...(err.status !== undefined ? { status: err.status } : {}),
        ...(err.requestId !== undefined ? { requestId: err.requestId } : {}),
      });
      await this.sleep(delayMs, call.signal);
    }
  }

  private interpret<T>(
    res: RawResponse,
    call: JsonCall<T>,
    clientRequestId: string,
  ): JsonResult<T> | GatewayError {
    const { dialect } = this.opts;
    const date = Date.parse(header(res.headers, 'date') ?? '');
    if (!Number.isNaN(date)) this.clockOffsetMs = date - Date.now();
    const serverId = dialect.requestIdHeader ? header(res.headers, dialect.requestIdHeader) : undefined;
    const text = res.body.toString('utf8');
    let parsed: unknown;
    let parseOk = true;
    try {
      parsed = text.length ? JSON.parse(text) : undefined;
    } catch {
      parseOk = false;
    }
    const shouldRetryHeader = header(res.headers, 'x-should-retry');
    const common = {
      what: call.what,
      status: res.status,
      maybeProcessed: true,
      ...(shouldRetryHeader === 'true'
        ? { shouldRetry: true }
        : shouldRetryHeader === 'false'
          ? { shouldRetry: false }
          : {}),
    };
    if (res.status < 200 || res.status >= 300) {
      const env = parseOk ? dialect.parseError(parsed) : undefined;
      const requestId = serverId ?? requestIdIn(env?.message) ?? clientRequestId;
      const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'));
      const detail = env?.message ? env.message : `HTTP ${res.status}${text ? `: ${snippet(text)}` : ''}`;
      return new GatewayError(
        `${dialect.name} could not ${call.what}: ${env?.code ? `${env.code}: ` : ''}${withRequestId(detail, requestId)}`,
        {
          kind: 'http',
          ...common,
          requestId,
          ...(env?.code ? { code: env.code } : {}),
          ...(env?.param ? { param: env.param } : {}),
          ...(env?.type ? { type: env.type } : {}),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        },
      );
    }
    const requestId = serverId ?? clientRequestId;
    if (!parseOk) {
      return new GatewayError(
        `${dialect.name} sent an answer that is not JSON when asked to ${call.what} (HTTP ${res.status}, ${res.body.length} bytes: ${JSON.stringify(snippet(text))}; request id ${requestId})`,
        { kind: 'malformed', ...common, requestId },
      );
    }
    const checked = call.schema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'body';
      return new GatewayError(
        `${dialect.name} sent an unexpected answer when asked to ${call.what}: ${where}: ${issue?.message ?? 'invalid'} (request id ${requestId})`,
        { kind: 'malformed', ...common, requestId },
      );
    }
    return { data: checked.data, status: res.status, requestId };
  }

  private finish(err: GatewayError): GatewayError {
    err.message = this.opts.redact(
      err.kind === 'network' || err.kind === 'timeout'
        ? `${this.opts.dialect.name} could not ${err.what}: ${err.message} (request id ${err.requestId})`
        : err.message,
    );
    return err;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}

function requestIdIn(message: string | undefined): string | undefined {
  return message ? /request id:?\s*([0-9A-Za-z_-]{8,})/i.exec(message)?.[1] : undefined;
}

function withRequestId(message: string, requestId: string): string {
  return message.includes(requestId) ? message : `${message} (request id ${requestId})`;
}
