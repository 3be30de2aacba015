// Waiting, in one place: abortable sleeps, exponential backoff with jitter, Retry-After, and the
// env knobs that let tests run the same code with millisecond intervals.

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface Backoff {
  /** First delay, in ms. */
  initialMs: number;
  /** Ceiling for any single delay, in ms. */
  maxMs: number;
  /** Growth per step (2 for retries, ~1.5 for polling). */
  factor: number;
}

/**
 * Delay before step `n` (0-based): exponential, capped, with ±25 % jitter so that many clients
 * (or many shots) that failed together do not retry in lockstep.
 */
export function backoffDelay(b: Backoff, n: number, random: () => number = Math.random): number {
  const raw = Math.min(b.maxMs, b.initialMs * b.factor ** n);
  return Math.round(raw * (0.75 + random() * 0.5));
}

/** Retry-After as ms: integer seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** "initial" or "initial,max" in ms, from an env var such as SHOTGRAPH_POLL_MS. */
export function parseMsPair(value: string | undefined): { initialMs: number; maxMs?: number } | undefined {
  if (!value) return undefined;
  const [a, b] = value.split(',').map((s) => Number(s.trim()));
  if (a === undefined || !Number.isFinite(a) || a < 0) return undefined;
  return b !== undefined && Number.isFinite(b) && b >= a ? { initialMs: a, maxMs: b } : { initialMs: a };
}
