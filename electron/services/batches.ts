// Batch runs from the editor (issue 13): the engine's runBatch (electron/engine/batch.ts) — every row
// checked and priced before any is paid for, one budget, the shared cache — with each row's events
// and end pushed to the editor that started it, paths shown as the editor sees them.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ContractError, type BatchRowView, type HostMessage } from '../../shared/contract';
import type { RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { parseRows, runBatch } from '../engine/batch';
import { redactorForEnv } from '../providers/remote/redact';
import type { Subscriber } from './runs';
import type { Workspace } from './workspace';

export class BatchManager {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly ws: Workspace,
    private readonly env: () => Promise<NodeJS.ProcessEnv>,
  ) {}

  async start(
    shown: string,
    graph: Graph,
    csv: string,
    outDir: string | undefined,
    session: Subscriber,
  ): Promise<{ batchId: string; rows: BatchRowView[] }> {
    const graphPath = this.ws.resolve(shown);
    const parsed = parseRows(csv);
    if (parsed.problems.length)
      throw new ContractError('batch.csv', parsed.problems[0]!.message, parsed.problems);
    const rows = parsed.rows.map((values, i) => ({ row: i + 1, name: `row-${i + 1}`, values }));
    const dir = this.ws.resolve(outDir ?? path.join(path.dirname(shown), 'batch'));
    const batchId = randomUUID();
    const controller = new AbortController();
    this.running.set(batchId, controller);
    const env = await this.env();
    const redact = redactorForEnv(env);
    const send = (msg: HostMessage) => {
      try {
        session.send(msg);
      } catch {
        // the window went away; the batch goes on and its films land on disk
      }
    };
    const show = (p: string) => (this.ws.contains(p) ? this.ws.show(p) : '');
    // Not awaited: the call answers with the rows at once and their progress follows.
    void runBatch({
      graphPath,
      graph,
      rows: parsed.rows,
      outDir: dir,
      signal: controller.signal,
      env,
      onEvent: (row, e) => send({ kind: 'batch-event', batchId, row, event: showPaths(e, show) }),
      onRowEnd: (r) =>
        send({
          kind: 'batch-row',
          batchId,
          row: r.row,
          report: {
            status: r.status,
            submissions: r.submissions,
            problems: r.problems,
            ...(r.output && show(r.output) ? { output: show(r.output) } : {}),
          },
        }),
    })
      .then((report) => ({ status: report.status, problems: report.problems }))
      .catch((e: unknown) => ({
        status: 'failed' as const,
        problems: [{ code: 'run.error', message: redact(String((e as Error)?.message ?? e)) }],
      }))
      .then((end) => {
        this.running.delete(batchId);
        send({ kind: 'batch-end', batchId, ...end });
      });
    return { batchId, rows };
  }

  cancel(batchId: string): boolean {
    const c = this.running.get(batchId);
    if (!c) return false;
    c.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}

function showPaths(event: RunEvent, show: (p: string) => string): RunEvent {
  if (event.type === 'node-succeeded' || event.type === 'node-cached') {
    const outputs: Record<string, string> = {};
    for (const [port, v] of Object.entries(event.outputs)) outputs[port] = port === 'text' ? v : show(v);
    return { ...event, outputs };
  }
  if (event.type === 'run-end' && event.output) return { ...event, output: show(event.output) };
  return event;
}
