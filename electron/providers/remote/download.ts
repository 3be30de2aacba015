// Results leave the gateway the moment they exist (signed URLs die after 24 h): streamed to a temp
// file beside the destination, length-checked against Content-Length, optionally verified (ffprobe),
// fsynced and renamed into place. A short or broken download is retried, never accepted.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { GatewayError } from './errors';
import { transportFor, type RetryInfo } from './http';
import type { Redactor } from './redact';
import {
  abortError,
  backoffDelay,
  isAbortError,
  parseRetryAfter,
  sleep as realSleep,
  type Backoff,
  type Sleep,
} from './timing';

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Said in messages: "download the video". */
  what: string;
  redact: Redactor;
  signal?: AbortSignal;
  attempts?: number;
  backoff?: Backoff;
  /** Give up on a connection that sends nothing for this long. */
  idleTimeoutMs?: number;
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
  /** Checks the complete temp file before it is renamed into place; throwing marks it corrupt. */
  verify?: (tmpFile: string) => Promise<void>;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  contentType?: string;
}

const MAX_REDIRECTS = 5;

class DownloadAttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export async function downloadToFile(opts: DownloadOptions): Promise<DownloadResult> {
  const attempts = opts.attempts ?? 8;
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 8000, factor: 2 };
  const wait = opts.sleep ?? realSleep;
  await fs.mkdir(path.dirname(opts.dest), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const tmp = path.join(
      path.dirname(opts.dest),
      `.${randomBytes(4).toString('hex')}.${path.basename(opts.dest)}`,
    );
    try {
      const got = await fetchToFile(opts.url, tmp, opts, 0);
      if (opts.verify) {
        try {
          await opts.verify(tmp);
        } catch (e) {
          if (isAbortError(e)) throw e;
          throw new DownloadAttemptError(
            `the file is damaged (${(e as Error).message.split('\n')[0]})`,
            true,
          );
        }
      }
      await fs.rename(tmp, opts.dest);
      await syncDir(path.dirname(opts.dest));
      return {
        path: opts.dest,
        bytes: got.bytes,
        ...(got.contentType ? { contentType: got.contentType } : {}),
      };
    } catch (e) {
      await fs.rm(tmp, { force: true });
      if (isAbortError(e) || opts.signal?.aborted) throw isAbortError(e) ? e : abortError();
      const failure =
        e instanceof DownloadAttemptError ? e : new DownloadAttemptError((e as Error).message, true);
      if (!failure.retryable || attempt + 1 >= attempts) {
        throw new GatewayError(
          opts.redact(
            `could not ${opts.what} after ${attempt + 1} attempt${attempt ? 's' : ''}: ${failure.message}`,
          ),
          {
            kind: failure.status ? 'http' : 'network',
            what: opts.what,
            maybeProcessed: false,
            ...(failure.status ? { status: failure.status } : {}),
          },
        );
      }
      const delayMs = Math.max(backoffDelay(backoff, attempt, opts.random), failure.retryAfterMs ?? 0);
      opts.onRetry?.({
        what: opts.what,
        attempt: attempt + 1,
        delayMs,
        reason: opts.redact(failure.message),
      });
      await wait(delayMs, opts.signal);
    }
  }
}

/** One attempt: follows redirects, streams the body to `tmp`, fsyncs it. Never sends credentials. */
function fetchToFile(
  rawUrl: string,
  tmp: string,
  opts: DownloadOptions,
  redirects: number,
): Promise<{ bytes: number; contentType?: string }> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError());
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return reject(new DownloadAttemptError('the gateway gave an invalid URL', false));
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return reject(new DownloadAttemptError(`unsupported URL scheme ${url.protocol}`, false));
    }
    const req = transportFor(url).get(url, {
      headers: { Accept: '*/*' },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    req.setTimeout(opts.idleTimeoutMs ?? 60_000, () =>
      req.destroy(new DownloadAttemptError('the server stopped sending data', true)),
    );
    req.on('error', (err) => {
      if (opts.signal?.aborted) return reject(abortError());
      reject(
        err instanceof DownloadAttemptError
          ? err
          : new DownloadAttemptError(
              `connection failed (${(err as NodeJS.ErrnoException).code ?? err.message})`,
              true,
            ),
      );
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new DownloadAttemptError('too many redirects', false));
        const next = new URL(res.headers.location, url).toString();
        return fetchToFile(next, tmp, opts, redirects + 1).then(resolve, reject);
      }
      if (status < 200 || status >= 300) {
        res.resume();
        const retryable = status === 408 || status === 429 || status >= 500;
        const hint =
          status === 403 || status === 404 || status === 410
            ? ' (the link may have expired: gateway links last 24 h)'
            : '';
        return reject(
          new DownloadAttemptError(
            `HTTP ${status}${hint}`,
            retryable,
            parseRetryAfter(header(res, 'retry-after')),
            status,
          ),
        );
      }
      writeBody(res, tmp).then(
        (bytes) => {
          const expected = Number(header(res, 'content-length'));
          if (!res.complete)
            return reject(new DownloadAttemptError(`the download was cut short after ${bytes} bytes`, true));
          if (
            Number.isFinite(expected) &&
            header(res, 'content-length') !== undefined &&
            bytes !== expected
          ) {
            return reject(new DownloadAttemptError(`got ${bytes} of ${expected} bytes`, true));
          }
          if (bytes === 0) return reject(new DownloadAttemptError('the file is empty', true));
          const contentType = header(res, 'content-type');
          resolve({ bytes, ...(contentType ? { contentType } : {}) });
        },
        (err: Error) => {
          if (opts.signal?.aborted) return reject(abortError());
          reject(
            err instanceof DownloadAttemptError
              ? err
              : new DownloadAttemptError(
                  `the download was cut short (${(err as NodeJS.ErrnoException).code ?? err.message})`,
                  true,
                ),
          );
        },
      );
    });
  });
}

async function writeBody(res: http.IncomingMessage, tmp: string): Promise<number> {
  let bytes = 0;
  const fh = await fs.open(tmp, 'w', 0o644);
  try {
    // Awaiting each write gives natural backpressure; a connection that dies mid-body throws here.
    for await (const chunk of res as AsyncIterable<Buffer>) {
      await fh.write(chunk);
      bytes += chunk.length;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return bytes;
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** fsync a directory so a rename survives a power cut (best effort: not every platform allows it). */
export async function syncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}
