// Batch runs from the editor (issue 13): one film per CSV row, pushed to the editor row by row.
// The rows run one after another through runGraph, so they share the film's cache (two rows with
// the same opening shot pay once). Interim: once electron/engine/batch.ts (branch `sequences`) is
// merged, `start` hands the rows to its runBatch (one budget for the whole batch) instead.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ContractError, type BatchRowView, type RunReportSummary } from '../../shared/contract';
import type { RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { runGraph } from '../engine/run';
import { redactorForEnv } from '../providers/remote/redact';
import { withInputs } from './film-inputs';
import type { Subscriber } from './runs';
import type { Workspace } from './workspace';

const MAX_ROWS = 500;

export function batchRows(csv: string): BatchRowView[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw new ContractError('batch.csv', `the CSV cannot be read: ${(e as Error).message}`);
  }
  if (!records.length) throw new ContractError('batch.csv', 'the CSV has a header but no rows');
  if (records.length > MAX_ROWS)
    throw new ContractError('batch.csv', `at most ${MAX_ROWS} rows in one batch`);
  return records.map((r, i) => {
    const { name, ...values } = r;
    const fallback = `row-${i + 1}`;
    const safe = (name ?? '')
      .replace(/[^\p{L}\p{N}_-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60);
    return { row: i + 1, name: safe || fallback, values };
  });
}

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
    const rows = batchRows(csv);
    // Every row is checked before any is run: a bad value refuses the batch, naming row and input.
    const films = rows.map((r) => {
      const applied = withInputs(graph, r.values);
      if (applied.problems.length)
        throw new ContractError(
          'batch.row',
          `row ${r.row}: ${applied.problems[0]!.message}`,
          applied.problems.map((p) => ({ ...p, message: `row ${r.row}: ${p.message}` })),
        );
      return applied.graph;
    });
    const dir = this.ws.resolve(outDir ?? path.join(path.dirname(shown), 'batch'));
    const batchId = randomUUID();
    const controller = new AbortController();
    this.running.set(batchId, controller);
    const env = await this.env();
    const redact = redactorForEnv(env);
    const send = (msg: Parameters<Subscriber['send']>[0]) => {
      try {
        session.send(msg);
      } catch {
        // the window went away; the batch goes on and its films land on disk
      }
    };
    void (async () => {
      let failed = false;
      for (const [i, r] of rows.entries()) {
        if (controller.signal.aborted) break;
        const report: RunReportSummary = await runGraph({
          graphPath,
          graph: films[i]!,
          out: path.join(dir, `${r.name}.mp4`),
          signal: controller.signal,
          env,
          onEvent: (e) => send({ kind: 'batch-event', batchId, row: r.row, event: this.showPaths(e) }),
        })
          .then((rep) => ({
            status: rep.status,
            submissions: rep.submissions,
            problems: rep.problems,
            ...(rep.output && this.ws.contains(rep.output) ? { output: this.ws.show(rep.output) } : {}),
          }))
          .catch((e: unknown) => ({
            status: 'failed' as const,
            submissions: 0,
            problems: [{ code: 'run.error', message: redact(String((e as Error)?.message ?? e)) }],
          }));
        if (report.status !== 'succeeded') failed = true;
        send({ kind: 'batch-row', batchId, row: r.row, report });
      }
      this.running.delete(batchId);
      const status = controller.signal.aborted ? 'cancelled' : failed ? 'failed' : 'succeeded';
      send({ kind: 'batch-end', batchId, status, problems: [] });
    })();
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

  private showPaths(event: RunEvent): RunEvent {
    const show = (p: string) => (this.ws.contains(p) ? this.ws.show(p) : '');
    if (event.type === 'node-succeeded' || event.type === 'node-cached') {
      const outputs: Record<string, string> = {};
      for (const [port, v] of Object.entries(event.outputs)) outputs[port] = port === 'text' ? v : show(v);
      return { ...event, outputs };
    }
    if (event.type === 'run-end' && event.output) return { ...event, output: show(event.output) };
    return event;
  }
}
