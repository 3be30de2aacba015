// A batch run (docs/architecture.md §5.1): one film per row of values for the film's inputs, rendered
// one after another in the same project, so they share its cache (two rows with the same opening shot
// pay for it once) and its lock. One budget covers the whole batch: before anything is submitted, the
// shots every row would make are priced once per distinct key; over the budget, nothing runs. The CLI
// (`shotgraph batch`) and the editor (through the contract) both call runBatch.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RunEvent } from '../../shared/events';
import { applyInputs } from '../../shared/graph/inputs';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { writeFileAtomic } from './atomic';
import { budgetVerdict, filmBudget } from './budget';
import { estimateShot, summarize, type ShotEstimate } from './estimate';
import { loadGraphFile } from './load';
import { preparePlan } from './plan';
import { runGraph, type RunReport } from './run';
import { applyRunInputs } from './run-inputs';
import { expandSequences, readSequenceLibrary } from './sequences';

/** A batch holds at most this many rows: each is a whole film. */
export const MAX_BATCH_ROWS = 1000;
/** A rows file is read whole; larger ones are refused before reading. */
export const MAX_ROWS_BYTES = 5 * 1024 * 1024;

/** One row: input name → value as written (`--set`, a CSV cell, a form field). */
export type BatchValues = Record<string, string>;

export interface BatchOptions {
  /** The film; its folder is the project every row renders in. */
  graphPath: string;
  /** In-memory document (the editor's); default: read from graphPath. */
  graph?: Graph;
  rows: BatchValues[];
  /** Where each row's film is written, `row-<n>.mp4`, and `batch.json`, the summary. */
  outDir: string;
  provider?: string;
  concurrency?: number;
  /** The spending limit of the whole batch, in US dollars. */
  budgetUsd?: number;
  allowUnpriced?: boolean;
  allowOutside?: boolean;
  /**
   * The user's own folder for media values (the CLI: the CSV's folder): a file named there is copied
   * into the project (run-inputs.ts). Unset (the editor), media values are paths inside the project.
   */
  mediaFrom?: string;
  signal?: AbortSignal;
  /** Every run event, with the row it belongs to (1-based). */
  onEvent?: (row: number, e: RunEvent) => void;
  /** A row is about to render (1-based), with the node kinds of its film as it will run. */
  onRowStart?: (row: number, kinds: Map<string, string>) => void;
  /** A row finished (rendered, failed, refused or cancelled). */
  onRowEnd?: (result: BatchRowResult) => void;
  env?: NodeJS.ProcessEnv;
}

export interface BatchRowResult {
  /** 1-based, as a spreadsheet counts data rows. */
  row: number;
  values: BatchValues;
  status: RunReport['status'];
  /** The film, when the row rendered one. */
  output?: string;
  /** New generations this row started (shots shared with an earlier row are cached by then). */
  submissions: number;
  reused: number;
  costUsd: number;
  problems: Problem[];
}

export interface BatchReport {
  /** `awaiting-approval`: no film failed, and at least one waits for an approval gate. */
  status: 'succeeded' | 'failed' | 'invalid' | 'cancelled' | 'awaiting-approval';
  /** What the batch was estimated to spend before it started: each distinct uncached shot once. */
  estimatedCostUsd: number;
  /** Shots the batch would generate, counted once per content key. */
  distinctShots: number;
  costUsd: number;
  submissions: number;
  rows: BatchRowResult[];
  /** Problems of the batch as a whole (the budget, an unreadable film). */
  problems: Problem[];
}

/** Rows from CSV text: the header names the inputs; every problem names the line. */
export function parseRows(text: string): { rows: BatchValues[]; problems: Problem[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      bom: true,
      columns: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: 1024 * 1024,
      to_line: MAX_BATCH_ROWS + 2,
    }) as Record<string, string>[];
  } catch (e) {
    return { rows: [], problems: [{ code: 'batch.csv', field: 'inputs', message: (e as Error).message }] };
  }
  if (!records.length)
    return {
      rows: [],
      problems: [
        { code: 'batch.csv', field: 'inputs', message: 'the rows file has no rows under its header' },
      ],
    };
  if (records.length > MAX_BATCH_ROWS)
    return {
      rows: [],
      problems: [
        {
          code: 'batch.csv',
          field: 'inputs',
          message: `a batch may hold at most ${MAX_BATCH_ROWS} rows`,
        },
      ],
    };
  // An empty cell keeps the film's own value, like an input the run does not set.
  const rows = records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));
  return { rows, problems: [] };
}

const rowProblem = (row: number, p: Problem): Problem => ({ ...p, message: `row ${row}: ${p.message}` });

export async function runBatch(opts: BatchOptions): Promise<BatchReport> {
  const report: BatchReport = {
    status: 'succeeded',
    estimatedCostUsd: 0,
    distinctShots: 0,
    costUsd: 0,
    submissions: 0,
    rows: [],
    problems: [],
  };
  let film = opts.graph;
  if (!film) {
    const loaded = await loadGraphFile(opts.graphPath);
    if (!loaded.ok) return { ...report, status: 'invalid', problems: loaded.problems };
    film = loaded.graph;
  }
  if (!opts.rows.length) {
    return {
      ...report,
      status: 'invalid',
      problems: [{ code: 'batch.empty', field: 'inputs', message: 'a batch needs at least one row' }],
    };
  }
  const common = {
    graphPath: opts.graphPath,
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(opts.allowOutside ? { allowOutside: true } : {}),
    ...(opts.env ? { env: opts.env } : {}),
  };

  // Every row planned first: its values applied and checked, its keys computed. The distinct shots
  // not yet cached are what the whole batch would pay for.
  const graphs = new Map<number, Graph>();
  const distinct = new Map<string, ShotEstimate>();
  // Read once: a row's value may land in a library sequence (its instance's `values.NAME`).
  const library = await readSequenceLibrary(film, path.dirname(path.resolve(opts.graphPath)), {
    allowOutside: opts.allowOutside ?? false,
  });
  for (const [i, values] of opts.rows.entries()) {
    const row = i + 1;
    const applied =
      opts.mediaFrom === undefined
        ? applyInputs(film, values, library)
        : await applyRunInputs(film, path.dirname(path.resolve(opts.graphPath)), values, {
            cwd: opts.mediaFrom,
            ...(opts.allowOutside ? { allowOutside: true } : {}),
          });
    const planned = applied.problems.length
      ? { ok: false as const, problems: applied.problems }
      : await preparePlan({ ...common, graph: applied.graph });
    if (!planned.ok) {
      report.rows.push(
        result(
          row,
          values,
          'invalid',
          planned.problems.map((p) => rowProblem(row, p)),
        ),
      );
      continue;
    }
    graphs.set(row, applied.graph);
    const { plan } = planned;
    for (const node of plan.nodes) {
      if (node.type !== 'shot') continue;
      const key = plan.keys.get(node.id)!;
      if (distinct.has(key) || (await plan.cache.lookup(key))) continue;
      distinct.set(key, estimateShot(plan.graph, node, plan.providerOf(node)!, false));
    }
  }
  // Like a single film, a batch that cannot finish is refused whole, before anything is paid.
  if (report.rows.length) {
    return {
      ...report,
      status: 'invalid',
      problems: report.rows.flatMap((r) => r.problems),
    };
  }
  const estimate = summarize([...distinct.values()]);
  report.estimatedCostUsd = estimate.totalUsd;
  report.distinctShots = distinct.size;
  const limits = filmBudget(film, {
    ...(opts.budgetUsd !== undefined ? { budgetUsd: opts.budgetUsd } : {}),
    ...(opts.allowUnpriced !== undefined ? { allowUnpriced: opts.allowUnpriced } : {}),
  });
  const verdict = budgetVerdict(estimate, limits);
  if (!verdict.ok) {
    const message = verdict.problem.message.replace(/^this run/, `this batch of ${opts.rows.length} films`);
    return { ...report, status: 'invalid', problems: [{ ...verdict.problem, message }] };
  }

  await mkdir(opts.outDir, { recursive: true });
  for (const [i, values] of opts.rows.entries()) {
    const row = i + 1;
    const graph = graphs.get(row)!;
    if (opts.signal?.aborted) {
      report.rows.push(result(row, values, 'cancelled', []));
      continue;
    }
    opts.onRowStart?.(row, await rowKinds(common, graph));
    const run = await runGraph({
      ...common,
      graph,
      out: path.join(opts.outDir, `row-${row}.mp4`),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      // What earlier rows spent comes off the one budget; each row is held to what is left.
      ...(limits.budgetUsd !== undefined
        ? { budgetUsd: Math.max(0, limits.budgetUsd - report.costUsd) }
        : {}),
      ...(limits.allowUnpriced ? { allowUnpriced: true } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onEvent ? { onEvent: (e: RunEvent) => opts.onEvent!(row, e) } : {}),
    });
    const shots = new Set(run.events.filter((e) => e.type === 'node-cached').map((e) => e.nodeId));
    const done: BatchRowResult = {
      ...result(
        row,
        values,
        run.status,
        run.problems.map((p) => rowProblem(row, p)),
      ),
      ...(run.output ? { output: run.output } : {}),
      submissions: run.submissions,
      reused: [...shots].filter((id) => graph.nodes.some((n) => n.id === id && n.type === 'shot')).length,
      costUsd: run.costUsd,
    };
    for (const [id, n] of Object.entries(run.nodes)) {
      if (n.status === 'failed')
        done.problems.push({
          code: 'run.failed',
          nodeId: id,
          ...(n.field ? { field: n.field } : {}),
          message: `row ${row}: ${n.error ?? 'failed'}`,
        });
    }
    for (const g of run.awaiting ?? [])
      done.problems.push({
        code: 'run.awaiting-approval',
        nodeId: g.gate,
        message: `row ${row}: waiting for approval of "${g.gate}" (take ${g.take}); held back: ${g.held.join(', ')}. Approve it (${g.approve}) and run the batch again.`,
      });
    report.rows.push(done);
    report.costUsd += run.costUsd;
    report.submissions += run.submissions;
    opts.onRowEnd?.(done);
  }
  report.status = opts.signal?.aborted
    ? 'cancelled'
    : report.rows.every((r) => r.status === 'succeeded')
      ? 'succeeded'
      : report.rows.every((r) => r.status === 'succeeded' || r.status === 'awaiting-approval')
        ? 'awaiting-approval'
        : 'failed';
  await writeFileAtomic(path.join(opts.outDir, 'batch.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

function result(
  row: number,
  values: BatchValues,
  status: RunReport['status'],
  problems: Problem[],
): BatchRowResult {
  return { row, values, status, submissions: 0, reused: 0, costUsd: 0, problems };
}

/** Node kinds of the film a row runs (its sequences flattened), for progress bars. */
async function rowKinds(
  common: { graphPath: string; allowOutside?: boolean },
  graph: Graph,
): Promise<Map<string, string>> {
  const expanded = await expandSequences(graph, path.dirname(path.resolve(common.graphPath)), {
    allowOutside: common.allowOutside ?? false,
  });
  return new Map(expanded.graph.nodes.map((n) => [n.id, n.type]));
}
