// Waiting for a task to stop running: the shared poll loop (backoff with jitter), the gateway's
// statuses read as the runner's states, and every way a task can end turned into an Outcome.
import { CAPABILITIES } from '../../../shared/seedance/capabilities';
import { GatewayError, isGatewayError } from '../remote/errors';
import { pollUntil } from '../remote/poll';
import type { Outcome } from '../remote/submission';
import type { Backoff, Sleep } from '../remote/timing';
import type { GatewayAdapter, GatewayCalls, TaskView } from './adapter';
import type { Failures } from './failures';

export interface WaitForTask<Body> {
  adapter: GatewayAdapter<Body>;
  g: GatewayCalls;
  taskId: string;
  /** Found from an earlier run (or the task list) rather than created just now. */
  resumed: boolean;
  schedule: Backoff;
  failures: Failures<Body>;
  body?: Body;
  sleep?: Sleep;
  random?: () => number;
  onStatus(status: string, fraction: number): void;
}

export function waitForTask<Body>(o: WaitForTask<Body>): Promise<Outcome<TaskView>> {
  const { taskId, resumed } = o;
  const label = CAPABILITIES[o.adapter.name].label;
  const started = Date.now();
  let notFound = 0;
  return pollUntil<Outcome<TaskView>>({
    schedule: o.schedule,
    immediate: resumed,
    signal: o.g.signal,
    ...(o.sleep ? { sleep: o.sleep } : {}),
    ...(o.random ? { random: o.random } : {}),
    isTransient: (e) =>
      isGatewayError(e) && (e.kind !== 'http' || e.status === 429 || (e.status ?? 0) >= 500),
    check: async () => {
      const task = await o.adapter.get(o.g, taskId);
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
