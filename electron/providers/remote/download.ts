// Results leave the gateway the moment they exist (signed URLs die after 24 h): streamed to a temp
// file beside the destination, length-checked against Content-Length, verified by the caller
// (a clip is fully demuxed), fsynced and renamed into place. A short, slow or broken download is
// retried, never accepted; a full disk is said to be one, not blamed on the network.
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
  /** Abandon an attempt that receives less than this many bytes a second over `windowMs`. */
  minBytesPerSec?: number;
  windowMs?: number;
  /** Every attempt together, waits between them included. */
  maxMs?: number;
  sleep?: Sleep;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
  /**
   * Checks the complete temp file before it is renamed into place. Throw DamagedFileError when the
   * file is not what it should be (it is fetched again); any other error ends the download.
   */
  verify?: (tmpFile: string) => Promise<void>;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  contentType?: string;
}

/** Thrown by a verify step: the bytes arrived but are not the file they should be. */
export class DamagedFileError extends Error {}

/** The download could not be written on this machine (disk full, read-only, no permission). */
export class LocalWriteError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'LocalWriteError';
  }
}

const MAX_REDIRECTS = 5;
const DEFAULTS = { minBytesPerSec: 16 * 1024, windowMs: 30_000, maxMs: 30 * 60_000 };

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

/** An error from the file system while saving, kept apart from network errors. */
class WriteFailure extends Error {
  constructor(readonly errno: NodeJS.ErrnoException) {
    super(errno.message);
  }
}

export async function downloadToFile(opts: DownloadOptions): Promise<DownloadResult> {
  const attempts = opts.attempts ?? 8;
  const backoff = opts.backoff ?? { initialMs: 500, maxMs: 8000, factor: 2 };
  const wait = opts.sleep ?? realSleep;
  const maxMs = opts.maxMs ?? DEFAULTS.maxMs;
  const deadline = Date.now() + maxMs;
  const dir = path.dirname(opts.dest);
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw await localWriteError(opts, dir, e as NodeJS.ErrnoException);
  }
  for (let attempt = 0; ; attempt++) {
    const tmp = path.join(dir, `.${randomBytes(4).toString('hex')}.${path.basename(opts.dest)}`);
    try {
      const got = await watched(opts, deadline, maxMs, (signal, meter) =>
        fetchToFile(opts.url, tmp, { ...opts, signal }, 0, meter),
      );
      if (opts.verify) {
        try {
          await opts.verify(tmp);
        } catch (e) {
          if (!(e instanceof DamagedFileError)) throw e;
          throw new DownloadAttemptError(`the file is damaged: ${e.message.split('\n')[0]}`, true);
        }
      }
      try {
        await fs.rename(tmp, opts.dest);
      } catch (e) {
        throw new WriteFailure(e as NodeJS.ErrnoException);
      }
      await syncDir(dir);
      return {
        path: opts.dest,
        bytes: got.bytes,
        ...(got.contentType ? { contentType: got.contentType } : {}),
      };
    } catch (e) {
      // The free space is read before the partial file is removed: that is what the disk had left.
      const local = e instanceof WriteFailure ? await localWriteError(opts, dir, e.errno) : undefined;
      await fs.rm(tmp, { force: true });
      if (isAbortError(e) || opts.signal?.aborted) throw isAbortError(e) ? e : abortError();
      if (local) throw local;
      // Anything but a failed attempt (a verify step that cannot run, a bug) ends the download.
      if (!(e instanceof DownloadAttemptError)) throw e;
      const failure = e;
      const delayMs = Math.max(backoffDelay(backoff, attempt, opts.random), failure.retryAfterMs ?? 0);
      const outOfTime = Date.now() + delayMs >= deadline;
      if (!failure.retryable || attempt + 1 >= attempts || outOfTime) {
        throw new GatewayError(
          opts.redact(
            `could not ${opts.what} after ${attempt + 1} attempt${attempt ? 's' : ''}${outOfTime && failure.retryable ? ` and ${spokenMs(maxMs)}` : ''}: ${failure.message}`,
          ),
          {
            kind: failure.status ? 'http' : 'network',
            what: opts.what,
            maybeProcessed: false,
            ...(failure.status ? { status: failure.status } : {}),
          },
        );
      }
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

interface Meter {
  bytes: number;
}

/**
 * Runs one attempt under a watchdog: it is abandoned when it falls below the minimum rate over the
 * window (a CDN that trickles a byte every few seconds never trips an idle timeout) or when the
 * overall deadline passes.
 */
async function watched<T>(
  opts: DownloadOptions,
  deadline: number,
  maxMs: number,
  run: (signal: AbortSignal, meter: Meter) => Promise<T>,
): Promise<T> {
  const minRate = opts.minBytesPerSec ?? DEFAULTS.minBytesPerSec;
  const windowMs = Math.max(1, opts.windowMs ?? DEFAULTS.windowMs);
  const ctl = new AbortController();
  const meter: Meter = { bytes: 0 };
  let stopped: DownloadAttemptError | undefined;
  const stop = (why: DownloadAttemptError) => {
    stopped = why;
    ctl.abort(abortError());
  };
  const onOuter = () => ctl.abort(abortError());
  opts.signal?.addEventListener('abort', onOuter, { once: true });
  if (opts.signal?.aborted) ctl.abort(abortError());
  const started = Date.now();
  const samples: [number, number][] = [[started, 0]];
  const tick = setInterval(
    () => {
      const now = Date.now();
      samples.push([now, meter.bytes]);
      if (now >= deadline) {
        return stop(
          new DownloadAttemptError(
            `it did not finish within ${spokenMs(maxMs)} (${kib(meter.bytes)} received)`,
            false,
          ),
        );
      }
      if (now - started < windowMs) return;
      while (samples.length > 1 && (samples[1]?.[0] ?? now) <= now - windowMs) samples.shift();
      const [t0, b0] = samples[0]!;
      const rate = ((meter.bytes - b0) * 1000) / Math.max(1, now - t0);
      if (rate < minRate) {
        stop(
          new DownloadAttemptError(
            `it arrived at ${kib(rate)}/s over the last ${spokenMs(now - t0)}, below the minimum of ${kib(minRate)}/s`,
            true,
          ),
        );
      }
    },
    Math.max(20, Math.min(1000, windowMs / 5)),
  );
  try {
    return await run(ctl.signal, meter);
  } catch (e) {
    if (stopped && !opts.signal?.aborted) throw stopped;
    throw e;
  } finally {
    clearInterval(tick);
    opts.signal?.removeEventListener('abort', onOuter);
  }
}

/** One attempt: follows redirects, streams the body to `tmp`, fsyncs it. Never sends credentials. */
function fetchToFile(
  rawUrl: string,
  tmp: string,
  opts: DownloadOptions,
  redirects: number,
  meter: Meter,
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
        return fetchToFile(next, tmp, opts, redirects + 1, meter).then(resolve, reject);
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
      writeBody(res, tmp, meter).then(
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
          if (err instanceof WriteFailure) {
            res.destroy();
            return reject(err);
          }
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

async function writeBody(res: http.IncomingMessage, tmp: string, meter: Meter): Promise<number> {
  let bytes = 0;
  const disk = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      throw new WriteFailure(e as NodeJS.ErrnoException);
    }
  };
  const fh = await disk(() => fs.open(tmp, 'w', 0o644));
  try {
    // Awaiting each write gives natural backpressure; a connection that dies mid-body throws here.
    for await (const chunk of res as AsyncIterable<Buffer>) {
      await disk(() => fh.write(chunk));
      bytes += chunk.length;
      meter.bytes += chunk.length;
    }
    await disk(() => fh.sync());
  } finally {
    await fh.close().catch(() => undefined);
  }
  return bytes;
}

/** Says what the disk refused, where, and (for a full disk) how much room is left there. */
async function localWriteError(
  opts: DownloadOptions,
  dir: string,
  cause: NodeJS.ErrnoException,
): Promise<LocalWriteError> {
  const code = cause.code ?? 'EIO';
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    const free = await fs.statfs(dir).then(
      (s) => `${kib(s.bavail * s.bsize)} free there`,
      () => 'free space unknown',
    );
    return new LocalWriteError(
      `could not ${opts.what}: the disk is full (${code}) — no room to save it in ${dir} (${free})`,
      code,
    );
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new LocalWriteError(
      `could not ${opts.what}: ${dir} cannot be written (${code}${code === 'EROFS' ? ', a read-only file system' : ', no permission'})`,
      code,
    );
  }
  return new LocalWriteError(`could not ${opts.what}: saving it in ${dir} failed (${code})`, code);
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function kib(bytes: number): string {
  if (bytes >= 10 * 1024 ** 3) return `${Math.round(bytes / 1024 ** 3)} GB`;
  if (bytes >= 10 * 1024 * 1024) return `${Math.round(bytes / 1048576)} MB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1048576).toFixed(1)} MB`;
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}

function spokenMs(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 60_000)} min`;
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
