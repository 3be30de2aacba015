// Every way a shot can fail on a gateway, worded once: refusals with advice the user can act on,
// failed/expired/cancelled tasks, vanished tasks and dead result links. Adapters only say how their
// gateway names categories and fields, and add the facts that make a message clearer.
import { CAPABILITIES } from '../../../shared/seedance/capabilities';
import { adviceFor, categoryForStatus, type ErrorCategory } from '../remote/advice';
import { LocalWriteError } from '../remote/download';
import { isGatewayError } from '../remote/errors';
import type { Redactor } from '../remote/redact';
import { ProviderError } from '../types';
import type { GatewayAdapter, TaskView } from './adapter';

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

const ANEW = 'Run again to submit this shot anew (that submission is billed).';
const PAID =
  'The task is paid for and recorded, so the next run downloads it without paying again (while its result link lasts, usually 24 h).';

export class Failures<Body> {
  private readonly label: string;

  constructor(
    private readonly adapter: GatewayAdapter<Body>,
    private readonly baseUrl: string,
    private readonly redact: Redactor,
  ) {
    this.label = CAPABILITIES[adapter.name].label;
  }

  /** Gateway error → user-facing error with advice; `body` lets errors name the shot field. */
  toProviderError(e: unknown, body?: Body): ProviderError {
    if (e instanceof ProviderError) return e;
    if (e instanceof LocalWriteError) {
      const fix =
        e.code === 'ENOSPC' || e.code === 'EDQUOT'
          ? 'Free some space on that disk'
          : 'Make the project folder writable';
      return new ProviderError(this.redact(`${e.message}. ${fix}, then run again. ${PAID}`));
    }
    if (isGatewayError(e)) {
      const opts = { ...(e.requestId ? { requestId: e.requestId } : {}) };
      if (e.what.startsWith('download') && e.kind !== 'http') {
        // A result that could not be fetched (slow, cut short, damaged) is not the gateway's API failing.
        return new ProviderError(
          this.redact(
            `${e.message}. ${PAID} If your connection is slow, lower SHOTGRAPH_DOWNLOAD_MIN_KIBPS or raise SHOTGRAPH_DOWNLOAD_MAX_MS.`,
          ),
          { ...opts, retryable: true },
        );
      }
      if (e.kind !== 'http') {
        const env = CAPABILITIES[this.adapter.name].baseUrlEnv;
        const hint =
          e.kind === 'malformed'
            ? `The gateway (or a proxy in front of it) sent something ${this.label} does not send; if it persists, check ${env} (${this.baseUrl}).`
            : `Check the network and ${env} (${this.baseUrl}).`;
        return new ProviderError(this.redact(`${e.message}. ${hint}`), { ...opts, retryable: true });
      }
      // A download's HTTP error is about the result link, not the request: its message says enough.
      const cat = e.what.startsWith('download')
        ? undefined
        : this.category({ ...statusAndCode(e), text: `${e.code ?? ''} ${e.message}` }, false);
      const field = this.field({ ...(e.param ? { param: e.param } : {}), text: e.message }, body);
      const advice = cat ? ` — ${adviceFor(cat, this.adapter.advice)}` : '';
      return new ProviderError(this.redact(`${e.message}${advice}`), {
        ...opts,
        ...(field ? { field } : {}),
        retryable: cat === 'rate_limit' || cat === 'server',
      });
    }
    return new ProviderError(this.redact(e instanceof Error ? e.message : String(e)));
  }

  /** A task that ended without a video. None of these is billed, so a new submission is fair. */
  taskFailure(task: TaskView, body?: Body): ProviderError {
    const { label } = this;
    const notes = this.adapter.notes ?? {};
    const refund = this.adapter.refund ? ` ${this.adapter.refund}` : '';
    if (task.state === 'expired') {
      return new ProviderError(
        `Task ${task.id} expired on ${label} before it finished${notes.expired ? `: ${notes.expired}` : ''}.${refund} Run again to submit it anew.`,
        { taskId: task.id, retryable: true },
      );
    }
    if (task.state === 'cancelled') {
      return new ProviderError(
        `Task ${task.id} was cancelled on ${label}${notes.cancelled ? ` (${notes.cancelled})` : ''} before it finished. Run again to submit it anew.`,
        { taskId: task.id, retryable: true },
      );
    }
    const text = task.error || 'no reason given';
    const cat = this.category({ ...(task.code ? { code: task.code } : {}), text }, true);
    const advice = cat ? ` — ${adviceFor(cat, this.adapter.advice)}` : '';
    const field = this.field({ text }, body);
    return new ProviderError(
      this.redact(
        `Task ${task.id} failed on ${label}: ${task.code ? `${task.code}: ` : ''}${text}${advice}${refund}`,
      ),
      {
        taskId: task.id,
        ...(field ? { field } : {}),
        retryable: cat === 'output_moderation' || cat === 'server',
      },
    );
  }

  /** A task the gateway no longer knows (deleted, or past its record retention). */
  gone(taskId: string, resumed: boolean, requestId?: string): ProviderError {
    const records = this.adapter.notes?.records;
    return new ProviderError(
      `Task ${taskId} ${resumed ? 'recorded by an earlier run ' : ''}no longer exists on ${this.label}${records ? ` (${records})` : ''}, so its video cannot be fetched. ${ANEW}`,
      { taskId, ...(requestId ? { requestId } : {}) },
    );
  }

  /** A finished task whose result links died before its files were saved. */
  linksExpired(taskId: string): ProviderError {
    const links = this.adapter.notes?.links;
    return new ProviderError(
      `The video of task ${taskId} on ${this.label} can no longer be downloaded: its links expired${links ? ` (${links})` : ''}. ${ANEW}`,
      { taskId },
    );
  }

  private category(
    e: { status?: number; code?: string; text: string },
    failedTask: boolean,
  ): ErrorCategory | undefined {
    return this.adapter.category
      ? this.adapter.category(e, failedTask)
      : categoryOf(e.status, e.text, failedTask);
  }

  private field(e: { param?: string; text: string }, body: Body | undefined): string | undefined {
    if (this.adapter.fieldOf) return this.adapter.fieldOf(e, body);
    const names = Object.keys(this.adapter.fields).sort((a, b) => b.length - a.length);
    const hit = names.find((n) =>
      new RegExp(`(^|[^A-Za-z_])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z_]|$)`).test(e.text),
    );
    return hit ? this.adapter.fields[hit] : undefined;
  }
}

function statusAndCode(e: { status?: number; code?: string }): { status?: number; code?: string } {
  return {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
  };
}
