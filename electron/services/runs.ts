// Runs started from the editor: one AbortController each, engine events forwarded with their
// file paths turned into paths the editor may ask the media route for.
import { randomUUID } from 'node:crypto';
import type { HostMessage, RunReportSummary } from '../../shared/contract';
import { ContractError } from '../../shared/contract';
import type { RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { redactSecrets } from '../engine/redact';
import { runGraph } from '../engine/run';
import type { Workspace } from './workspace';

type Send = (msg: HostMessage) => void;

export class RunManager {
  private readonly active = new Map<string, { controller: AbortController; graphPath: string }>();

  constructor(
    private readonly ws: Workspace,
    private readonly env: () => Promise<NodeJS.ProcessEnv>,
  ) {}

  async start(
    shownPath: string,
    graph: Graph,
    until: string | undefined,
    send: Send,
  ): Promise<{ runId: string }> {
    const graphPath = this.ws.resolve(shownPath);
    for (const run of this.active.values()) {
      if (run.graphPath === graphPath)
        throw new ContractError('run.busy', 'this film is already running; cancel it first');
    }
    const runId = randomUUID();
    const controller = new AbortController();
    this.active.set(runId, { controller, graphPath });
    const env = await this.env();
    const onEvent = (event: RunEvent) => send({ kind: 'run-event', runId, event: this.showPaths(event) });
    // Not awaited: the call answers with the run id at once and the events follow.
    void runGraph({ graphPath, graph, signal: controller.signal, onEvent, env, ...(until ? { until } : {}) })
      .then((r): RunReportSummary => ({
        status: r.status,
        submissions: r.submissions,
        problems: r.problems,
        ...(r.output ? { output: this.showPath(r.output) } : {}),
      }))
      .catch((e: unknown): RunReportSummary => ({
        status: 'failed',
        submissions: 0,
        problems: [{ code: 'run.error', message: redactSecrets(String((e as Error)?.message ?? e), env) }],
      }))
      .then((report) => {
        this.active.delete(runId);
        send({ kind: 'run-report', runId, report });
      });
    return { runId };
  }

  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    run?.controller.abort();
    return Boolean(run);
  }

  cancelAll(): void {
    for (const run of this.active.values()) run.controller.abort();
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
