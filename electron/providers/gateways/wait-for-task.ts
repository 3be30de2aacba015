// Waiting for a task to stop running: the shared poll loop (backoff with jitter), the gateway's
// statuses read as the runner's states, and every way a task can end turned into an Outcome. Every
// wait has an end: status requests time out, a gateway that stops answering is given up on after
// a while, and no task is waited for past its own expiry (or a sensible limit where it states none).
// Either way the task stays recorded, so the next run picks it up instead of paying again.
import { CAPABILITIES } from '../../../shared/seedance/capabilities';
import { GatewayError, isGatewayError } from '../remote/errors';
import { pollUntil } from '../remote/poll';
import type { Outcome } from '../remote/submission';
import type { Backoff, Sleep } from '../remote/timing';
import { ProviderError } from '../types';
import type { GatewayAdapter, GatewayCalls, TaskView } from './adapter';
import type { Failures } from './failures';
import { spoken, type NetworkLimits } from './limits';

export interface WaitForTask<Body> {
  adapter: GatewayAdapter<Body>;
  /** Calls bound to a signal: each status check gets one that also ends when the gateway is given up on. */
  calls(signal: AbortSignal): GatewayCalls;
  signal: AbortSignal;
  taskId: string;
  /** Found from an earlier run (or the task list) rather than created just now. */
  resumed: boolean;
  schedule: Backoff;
  limits: NetworkLimits;
  failures: Failures<Body>;
  body?: Body;
  sleep?: Sleep;
  random?: () => number;
  onStatus(status: string, fraction: number): void;
}

export function waitForTask<Body>(o: WaitForTask<Body>): Promise<Outcome<TaskView>> {
  const { taskId, resumed, limits } = o;
  const caps = CAPABILITIES[o.adapter.name];
  const label = caps.label;
  const started = Date.now();
  let notFound = 0;
  let lastAnswer = started;
  let lastStatus = 'unanswered';
  /** When the task's own expiry passes, on our clock (with the gateway's grace). */
  let expiresAt: number | undefined;

  const until = () => {
    const cap = limits.maxWaitMs !== undefined ? started + limits.maxWaitMs : Infinity;
    return Math.min(
      cap,
      expiresAt ?? (limits.maxWaitMs !== undefined ? Infinity : started + limits.defaultWaitMs),
    );
  };
  const recorded = 'The task is recorded: the next run picks it up where it is, it is not paid for twice.';
  const expired = () =>
    new ProviderError(
      `Task ${taskId} is still ${lastStatus} on ${label} after ${spoken(Date.now() - started)}` +
        (expiresAt !== undefined && until() === expiresAt
          ? `, past the time ${label} gives a task to finish (${new Date(expiresAt - limits.expiryGraceMs).toISOString()}). `
          : `; Shotgraph stopped waiting (SHOTGRAPH_MAX_WAIT_MS sets how long it waits). `) +
        `${recorded} Check the task in ${o.adapter.dashboard}.`,
      { taskId, retryable: true },
    );
  const unreachable = () =>
    new ProviderError(
      `${label} did not answer about task ${taskId} for ${spoken(limits.unreachableMs)} ` +
        `(each status request gives up after ${spoken(limits.statusTimeoutMs)}). ${recorded} ` +
        `Check the network and ${caps.baseUrlEnv}, then run again.`,
      { taskId, retryable: true },
    );

  return pollUntil<Outcome<TaskView>>({
    schedule: o.schedule,
    immediate: resumed,
    signal: o.signal,
    ...(o.sleep ? { sleep: o.sleep } : {}),
    ...(o.random ? { random: o.random } : {}),
    until,
    expired,
    isTransient: (e) =>
      isGatewayError(e) && (e.kind !== 'http' || e.status === 429 || (e.status ?? 0) >= 500),
    check: async () => {
      // A check (with its retries) may not outlast the time left before the gateway is given up on.
      const left = lastAnswer + limits.unreachableMs - Date.now();
      if (left <= 0) throw unreachable();
      // One controller per check, released after it: a task polled for hours must not pile up listeners.
      const check = new AbortController();
      let gaveUp = false;
      const onAbort = () => check.abort(o.signal.reason);
      o.signal.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        gaveUp = true;
        check.abort();
      }, left);
      const g = o.calls(check.signal);
      let task: TaskView | undefined;
      try {
        task = await o.adapter.get(g, taskId);
      } catch (e) {
        if (gaveUp && !o.signal.aborted) throw unreachable();
        throw e;
      } finally {
        clearTimeout(timer);
        o.signal.removeEventListener('abort', onAbort);
      }
      lastAnswer = Date.now();
      if (!task) {
        // A fresh task may take a moment to become readable; a recorded one that is missing is gone.
        if (!resumed && ++notFound < 3) return { done: false };
        return { done: true, value: { ok: false, gone: true, error: o.failures.gone(taskId, resumed) } };
      }
      if (task.id !== taskId) {
        throw new GatewayError(`${label} answered about task ${task.id} when asked about ${taskId}`, {
          kind: 'malformed',
          what: `check task ${taskId}`,
          maybeProcessed: true,
        });
      }
      if (task.expiresAtMs !== undefined)
        expiresAt = task.expiresAtMs - (g.clockOffsetMs() ?? 0) + limits.expiryGraceMs;
      lastStatus = task.status;
      switch (task.state) {
        case 'queued':
          o.onStatus(task.status, 0.06);
          return { done: false };
        case 'running': {
          // A 5 s clip takes one to three minutes (§3.4): an honest bar that never claims to be done.
          const f =
            task.progress !== undefined
              ? 0.1 + 0.75 * Math.min(1, Math.max(0, task.progress))
              : 0.1 + 0.75 * (1 - Math.exp(-(Date.now() - started) / 90_000));
          o.onStatus(task.status, f);
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
        case 'expired':
          return { done: true, value: { ok: false, error: o.failures.taskFailure(task, o.body) } };
      }
    },
  });
}
