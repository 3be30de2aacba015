// Runs started from the editor live here, on the host, keyed by run id — not on the connection that
// started them. Any editor (a reconnected socket, a reloaded page, a second tab) can attach to a
// run: it is sent what happened so far, then every new event, then the end. Engine events are
// forwarded with their file paths turned into paths the editor may ask the media route for.
import { randomUUID } from 'node:crypto';
import type { HostMessage, RunReportSummary } from '../../shared/contract';
import { ContractError } from '../../shared/contract';
import type { RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { redactorForEnv } from '../providers/remote/redact';
import { runGraph } from '../engine/run';
import type { Workspace } from './workspace';

/** Where pushed messages go: one editor window or tab. */
export interface Subscriber {
  send(msg: HostMessage): void;
}

interface RunRecord {
  runId: string;
  graphPath: string;
  shownPath: string;
  until?: string;
  startedAt: number;
  finishedAt?: number;
  /** Everything but progress, in order; progress is replayed as its latest value per node. */
  events: RunEvent[];
  progress: Map<string, RunEvent>;
  report?: RunReportSummary;
  controller: AbortController;
  subscribers: Set<Subscriber>;
}

/** Finished runs stay attachable this long, so an editor that was away still sees how they ended. */
const KEEP_FINISHED_MS = 15 * 60_000;
const KEEP_FINISHED_MAX = 20;

export class RunManager {
  private readonly runs = new Map<string, RunRecord>();

  constructor(
    private readonly ws: Workspace,
    private readonly env: () => Promise<NodeJS.ProcessEnv>,
  ) {}

  async start(
    shownPath: string,
    graph: Graph,
    until: string | undefined,
    subscriber: Subscriber,
  ): Promise<{ runId: string }> {
    const graphPath = this.ws.resolve(shownPath);
    for (const run of this.runs.values()) {
      if (run.graphPath === graphPath && !run.report)
        throw new ContractError('run.busy', 'this film is already running; cancel it first');
    }
    const env = await this.env();
    const runId = randomUUID();
    const run: RunRecord = {
      runId,
      graphPath,
      shownPath: this.ws.show(graphPath),
      ...(until ? { until } : {}),
      startedAt: Date.now(),
      events: [],
      progress: new Map(),
      controller: new AbortController(),
      subscribers: new Set([subscriber]),
    };
    this.runs.set(runId, run);
    const redact = redactorForEnv(env);
    const onEvent = (raw: RunEvent) => {
      const event = this.showPaths(raw);
      if (event.type === 'node-progress') run.progress.set(event.nodeId, event);
      else run.events.push(event);
      this.publish(run, { kind: 'run-event', runId, event });
    };
    // Not awaited: the call answers with the run id at once and the events follow.
    void runGraph({
      graphPath,
      graph,
      signal: run.controller.signal,
      onEvent,
      env,
      ...(until ? { until } : {}),
    })
      .then((r): RunReportSummary => ({
        status: r.status,
        submissions: r.submissions,
        problems: r.problems,
        ...(r.output ? { output: this.showPath(r.output) } : {}),
        ...(r.awaiting ? { awaiting: r.awaiting } : {}),
      }))
      .catch((e: unknown): RunReportSummary => ({
        status: 'failed',
        submissions: 0,
        problems: [{ code: 'run.error', message: redact(String((e as Error)?.message ?? e)) }],
      }))
      .then((report) => {
        run.report = report;
        run.finishedAt = Date.now();
        this.publish(run, { kind: 'run-report', runId, report });
        this.forgetOld();
      });
    return { runId };
  }

  /**
   * Attaches `subscriber` to the newest run of a film (or to one run by id): it is sent
   * `run-attached`, the run's events so far and, if it has ended, its report — all before any later
   * event, since nothing else runs between these sends. Returns what was attached.
   */
  attach(
    subscriber: Subscriber,
    target: { runId?: string; path?: string },
  ): { runId: string; running: boolean } | null {
    const graphPath = target.path ? this.ws.resolve(target.path) : undefined;
    const run = [...this.runs.values()]
      .filter((r) => (target.runId ? r.runId === target.runId : r.graphPath === graphPath))
      .sort((a, b) => b.startedAt - a.startedAt)[0];
    if (!run) return null;
    const { runId } = run;
    subscriber.send({
      kind: 'run-attached',
      runId,
      path: run.shownPath,
      running: !run.report,
      ...(run.until ? { until: run.until } : {}),
    });
    for (const event of run.events) subscriber.send({ kind: 'run-event', runId, event });
    if (!run.report)
      for (const event of run.progress.values()) subscriber.send({ kind: 'run-event', runId, event });
    if (run.report) subscriber.send({ kind: 'run-report', runId, report: run.report });
    else run.subscribers.add(subscriber);
    return { runId, running: !run.report };
  }

  /** A connection closed: its editor gets nothing more, the runs go on. */
  detach(subscriber: Subscriber): void {
    for (const run of this.runs.values()) run.subscribers.delete(subscriber);
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run || run.report) return false;
    run.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const run of this.runs.values()) if (!run.report) run.controller.abort();
  }

  private publish(run: RunRecord, msg: HostMessage): void {
    for (const s of run.subscribers) {
      try {
        s.send(msg);
      } catch {
        run.subscribers.delete(s); // a dead window must not stop the others hearing of the run
      }
    }
    if (msg.kind === 'run-report') run.subscribers.clear();
  }

  private forgetOld(): void {
    const now = Date.now();
    const finished = [...this.runs.values()]
      .filter((r) => r.finishedAt !== undefined)
      .sort((a, b) => b.finishedAt! - a.finishedAt!);
    finished.forEach((r, i) => {
      if (i >= KEEP_FINISHED_MAX || now - r.finishedAt! > KEEP_FINISHED_MS) this.runs.delete(r.runId);
    });
  }

  private showPath(abs: string): string {
    // Outside the workspace the editor could not fetch it anyway.
    return this.ws.contains(abs) ? this.ws.show(abs) : '';
  }

  private showPaths(event: RunEvent): RunEvent {
    if (event.type === 'node-succeeded' || event.type === 'node-cached') {
      const outputs: Record<string, string> = {};
      for (const [port, value] of Object.entries(event.outputs)) {
        outputs[port] = port === 'text' ? value : this.showPath(value);
      }
      return { ...event, outputs };
    }
    if (event.type === 'run-end' && event.output) return { ...event, output: this.showPath(event.output) };
    return event;
  }
}
