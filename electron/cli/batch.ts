// `shotgraph batch FILM --inputs rows.csv --out-dir DIR`: one film per row of the CSV (its header names
// the film's inputs), one budget for the batch, the project's cache shared, a table at the end.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem } from '../../shared/problems';
import { writeFileAtomic } from '../engine/atomic';
import { MAX_ROWS_BYTES, parseRows, runBatch, type BatchReport } from '../engine/batch';
import { createBatchProgress } from './batch-progress';
import { printProblems } from './problems';
import { cancelOnSignals } from './cancel';
import { EXIT } from './exit-codes';
import { forTerminal, say, warn } from './terminal';
import { readRunFlags } from './run-flags';

export async function batchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      inputs: { type: 'string' },
      'out-dir': { type: 'string' },
      provider: { type: 'string' },
      concurrency: { type: 'string' },
      budget: { type: 'string' },
      report: { type: 'string' },
      'allow-unpriced': { type: 'boolean', default: false },
      'allow-outside': { type: 'boolean', default: false },
    },
  });
  const graphPath = positionals[0];
  if (!graphPath || !values.inputs || !values['out-dir'])
    throw Object.assign(new Error('a graph file, --inputs ROWS.csv and --out-dir DIR are required'), {
      code: 'ERR_PARSE_ARGS_MISSING',
    });
  const flags = readRunFlags('batch', values);
  if (!flags) return EXIT.usage;
  const { concurrency, budget } = flags;

  // The rows file is the user's own, named at run time: read as given, but never unbounded.
  let text: string;
  try {
    const st = await stat(values.inputs);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_ROWS_BYTES) throw new Error(`larger than ${MAX_ROWS_BYTES / 1024 / 1024} MiB`);
    text = await readFile(values.inputs, 'utf8');
  } catch (e) {
    warn(`shotgraph batch: --inputs "${values.inputs}" cannot be read: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const parsed = parseRows(text);
  if (parsed.problems.length) {
    printProblems(parsed.problems, values.inputs);
    return EXIT.invalid;
  }

  const view = createBatchProgress(parsed.rows.length);
  const cancel = cancelOnSignals(() => view.stop());
  let report: BatchReport;
  try {
    report = await runBatch({
      graphPath,
      rows: parsed.rows,
      outDir: values['out-dir'],
      ...(values.provider ? { provider: values.provider } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(budget !== undefined ? { budgetUsd: budget } : {}),
      ...(values['allow-unpriced'] ? { allowUnpriced: true } : {}),
      allowOutside: values['allow-outside'],
      // Media named in the rows are the user's files, found beside the CSV.
      mediaFrom: path.dirname(path.resolve(values.inputs)),
      signal: cancel.signal,
      onRowStart: (row, kinds) => view.rowStart(row, kinds),
      onEvent: (row, e) => view.onEvent(row, e),
    });
  } finally {
    view.stop();
    cancel.release();
  }
  if (values.report) await writeFileAtomic(values.report, JSON.stringify(report, null, 2) + '\n');

  if (report.status === 'invalid') {
    printProblems(report.problems, graphPath);
    return EXIT.invalid;
  }
  printTable(report);
  for (const row of report.rows)
    for (const p of row.problems) warn(`  ${forTerminal(formatProblem(p), { singleLine: true })}`);
  warn(
    `${report.rows.filter((r) => r.status === 'succeeded').length} of ${report.rows.length} films rendered; ` +
      `${report.submissions} shots generated (${report.distinctShots} distinct were needed), $${report.costUsd.toFixed(2)} spent`,
  );
  if (report.status === 'succeeded') return EXIT.ok;
  if (report.status === 'awaiting-approval') return EXIT.awaiting;
  return report.status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
}

/** One line per film on stdout, for a person or a script: row, status, generated, reused, cost, film. */
function printTable(report: BatchReport): void {
  const head = ['row', 'status', 'generated', 'reused', 'cost', 'film'];
  const lines = report.rows.map((r) => [
    String(r.row),
    r.status,
    String(r.submissions),
    String(r.reused),
    `$${r.costUsd.toFixed(2)}`,
    r.output ?? '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  say(fmt(head));
  for (const l of lines) say(fmt(l));
}
