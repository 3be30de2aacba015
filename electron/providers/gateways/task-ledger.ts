// The gateway's task list as the record of what was paid for (docs/architecture.md §5): every create
// carries a marker made from the shot's key, so a shot's tasks can be found again whatever happened
// to this machine — a deleted .shotgraph/, a lost journal, a create whose answer never came. The list
// is read page by page, no faster than the gateway allows (Ark: 1 list call a second, docs/gateways.md §3.5), and
// kept per model, so later shots of a run read only what is new.
import { isAbortError, backoffDelay, sleep as realSleep, type Backoff, type Sleep } from '../remote/timing';
import type { GatewayCalls, TaskListAdapter, TaskView } from './adapter';
import type { NetworkLimits } from './limits';

/** Pages read at most per refresh (at 100 a page: the last 5,000 tasks of a model). */
const MAX_PAGES = 50;
/** Overlap between refreshes: a task made a moment ago may be listed late, and clocks differ. */
const OVERLAP_MS = 120_000;
/** A link this close to its end is not worth adopting: the download may outlive it. */
const LINK_MARGIN_MS = 10 * 60_000;
/**
 * Before a paid create, a read this recent is enough: what it looks for was made by earlier runs,
 * and shots that start together then share one read instead of queueing at the list's rate limit.
 */
const SHARED_READ_MS = 60_000;

interface ModelIndex {
  tasks: Map<string, TaskView>;
  /** Every task created (server time) before this was listed in a complete read. */
  coveredBefore?: number;
  /** When the last complete read started (our clock). */
  readAt?: number;
}

export interface LedgerLook {
  g: GatewayCalls;
  modelId: string;
  marker: string;
  /** Tasks known to have ended without a video (a failed record, a dead link): never adopted. */
  exclude: ReadonlySet<string>;
  /** Keep looking until then (epoch ms, our clock), for a create that lands late; default: one look. */
  until?: number;
  log?(message: string): void;
}

export class TaskLedger {
  private readonly models = new Map<string, ModelIndex>();
  private lastPageAt = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly list: TaskListAdapter,
    private readonly limits: NetworkLimits,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /**
   * This shot's task worth adopting: finished with a live link (newest first), else still queued or
   * running. Undefined when the list shows none; throws when the list could never be read.
   */
  async find(o: LedgerLook): Promise<TaskView | undefined> {
    const span = Math.max(0, (o.until ?? 0) - Date.now());
    const schedule: Backoff = {
      initialMs: Math.max(50, span / 90),
      maxMs: Math.max(50, span / 8),
      factor: 2,
    };
    let read = false;
    let lastError: unknown;
    for (let n = 0; ; n++) {
      try {
        // A lost create is looked for in a fresh read each time; the check before a create may share one.
        const maxAgeMs = o.until === undefined ? SHARED_READ_MS : 0;
        const hit = this.pick(await this.tasksOf(o.g, o.modelId, o.marker, maxAgeMs), o.exclude, o.g);
        read = true;
        if (hit) return hit;
      } catch (e) {
        if (isAbortError(e)) throw e;
        lastError = e;
      }
      const left = (o.until ?? 0) - Date.now();
      if (left <= 0) break;
      const pause = Math.min(backoffDelay(schedule, n), left);
      o.log?.(`no task for this shot in the task list yet; looking again in ${(pause / 1000).toFixed(1)} s`);
      await this.sleep(pause, o.g.signal);
    }
    if (!read) throw lastError;
    return undefined;
  }

  /** Every task carrying `marker` that the list holds for this model, read at most `maxAgeMs` ago. */
  async tasksOf(g: GatewayCalls, modelId: string, marker: string, maxAgeMs = 0): Promise<TaskView[]> {
    const run = this.queue.then(async () => {
      const readAt = this.models.get(modelId)?.readAt;
      if (readAt === undefined || Date.now() - readAt > maxAgeMs) await this.refresh(g, modelId);
    });
    this.queue = run.catch(() => undefined); // one refresh at a time: the list has a rate limit
    await run;
    return [...(this.models.get(modelId)?.tasks.values() ?? [])].filter((t) => t.marker === marker);
  }

  private pick(tasks: TaskView[], exclude: ReadonlySet<string>, g: GatewayCalls): TaskView | undefined {
    const serverNow = Date.now() + (g.clockOffsetMs() ?? 0);
    const newest = (a: TaskView, b: TaskView) => (b.createdAtMs ?? 0) - (a.createdAtMs ?? 0);
    const usable = tasks.filter((t) => !exclude.has(t.id));
    const done = usable
      .filter(
        (t) =>
          t.state === 'succeeded' &&
          (t.updatedAtMs === undefined || t.updatedAtMs + this.list.linkLifeMs - LINK_MARGIN_MS > serverNow),
      )
      .sort(newest);
    const busy = usable.filter((t) => t.state === 'queued' || t.state === 'running').sort(newest);
    // Failed, cancelled and expired tasks were never billed: they do not stop a new submission.
    return done[0] ?? busy[0];
  }

  /** Reads the list newest first, down to what the last complete read already covered. */
  private async refresh(g: GatewayCalls, modelId: string): Promise<void> {
    let index = this.models.get(modelId);
    if (!index) this.models.set(modelId, (index = { tasks: new Map() }));
    const started = Date.now();
    const { pageSize } = this.list;
    for (let page = 1; page <= MAX_PAGES; page++) {
      await this.pace(g.signal);
      const r = await this.list.page(g, modelId, page, pageSize);
      for (const t of r.items) index.tasks.set(t.id, t);
      const end = r.items.length < pageSize || page * pageSize >= r.total;
      const oldest = r.items.at(-1)?.createdAtMs;
      const reachedKnown =
        index.coveredBefore !== undefined &&
        newestFirst(r.items) &&
        oldest !== undefined &&
        oldest < index.coveredBefore;
      if (end || reachedKnown) {
        index.coveredBefore = started + (g.clockOffsetMs() ?? 0) - OVERLAP_MS;
        index.readAt = started;
        return;
      }
    }
    // Longer than MAX_PAGES: what was read counts; the next refresh reads from the top again.
  }

  /** Waits so list calls stay `listIntervalMs` apart, across every shot of this provider. */
  private async pace(signal: AbortSignal): Promise<void> {
    const wait = this.lastPageAt + this.limits.listIntervalMs - Date.now();
    if (wait > 0) await this.sleep(wait, signal);
    this.lastPageAt = Date.now();
  }
}

function newestFirst(items: TaskView[]): boolean {
  return items.every((t, i) => i === 0 || (items[i - 1]?.createdAtMs ?? 0) >= (t.createdAtMs ?? 0));
}
