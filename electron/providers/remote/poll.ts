// The poll loop for asynchronous gateway tasks: backoff from ~5 s to 30 s with jitter (a 5 s clip
// takes one to three minutes, so tighter polling only burns the gateway's GET quota), tolerating a
// few failed checks in a row because the task keeps running whatever our network does.
import { isAbortError, backoffDelay, sleep as realSleep, type Backoff, type Sleep } from './timing';

export type PollStep<T> = { done: true; value: T } | { done: false };

export const DEFAULT_POLL: Backoff = { initialMs: 5000, maxMs: 30_000, factor: 1.5 };

export interface PollOptions<T> {
  check: () => Promise<PollStep<T>>;
  schedule?: Backoff;
  /** Check at once (resuming a known task) rather than after the first interval (just created). */
  immediate?: boolean;
  signal?: AbortSignal;
  sleep?: Sleep;
  random?: () => number;
  /** Failed checks in a row (after the HTTP runner's own retries) before giving up. */
  maxConsecutiveErrors?: number;
  /** Errors worth another check later; others end the loop at once. */
  isTransient?: (e: unknown) => boolean;
  /** Epoch ms after which no further check is waited for (read each round: it may move). */
  until?: () => number;
  /** The error the loop ends with once `until` has passed. */
  expired?: () => Error;
}

export async function pollUntil<T>(o: PollOptions<T>): Promise<T> {
  const schedule = o.schedule ?? DEFAULT_POLL;
  const wait = o.sleep ?? realSleep;
  const maxErrors = o.maxConsecutiveErrors ?? 5;
  let errors = 0;
  const pastDeadline = () => o.until !== undefined && Date.now() >= o.until();
  for (let n = 0; ; n++) {
    if (n > 0 || !o.immediate) {
      const delay = backoffDelay(schedule, n, o.random);
      // The last check happens at the deadline, not a full interval after it.
      await wait(o.until ? Math.min(delay, Math.max(0, o.until() - Date.now())) : delay, o.signal);
    }
    try {
      const step = await o.check();
      errors = 0;
      if (step.done) return step.value;
    } catch (e) {
      if (isAbortError(e) || !(o.isTransient?.(e) ?? false)) throw e;
      if (++errors >= maxErrors) throw e;
    }
    if (pastDeadline()) throw o.expired?.() ?? new Error('stopped waiting: the deadline passed');
  }
}
