// `shotgraph render`: validate, run every shot (cached ones are reused), write the final cut.
import { parseArgs } from 'node:util';
import { formatProblem, ProblemError } from '../../shared/problems';
import { writeFileAtomic } from '../engine/atomic';
import { nameInputsInProblems } from '../../shared/graph/inputs';
import { loadGraphFile } from '../engine/load';
import { applyRunInputs, parseSetArgs } from '../engine/run-inputs';
import { runGraph } from '../engine/run';
import { expandSequences } from '../engine/sequences';
import { saveTakes, withNewTakes } from '../engine/takes';
import { continuityLines } from './continuity';
import { printProblems } from './problems';
import { createProgressView } from './progress';
import { say, warn } from './terminal';
import { readRunFlags } from './run-flags';
import { cancelOnSignals } from './cancel';
import { EXIT } from './exit-codes';

export async function renderCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      provider: { type: 'string' },
      concurrency: { type: 'string' },
      report: { type: 'string' },
      until: { type: 'string' },
      only: { type: 'string' },
      'new-take': { type: 'string', multiple: true },
      budget: { type: 'string' },
      'allow-unpriced': { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      'allow-outside': { type: 'boolean', default: false },
      set: { type: 'string', multiple: true },
    },
  });
  const graphPath = positionals[0];
  if (!graphPath)
    throw Object.assign(new Error('a graph file is required'), { code: 'ERR_PARSE_ARGS_MISSING' });
  const flags = readRunFlags('render', values);
  if (!flags) return EXIT.usage;
  const { concurrency, budget } = flags;
  if (values.until && values.only) {
    warn('shotgraph render: use either --until or --only, not both');
    return EXIT.usage;
  }
  const sets = parseSetArgs(values.set ?? []);
  if ('error' in sets) {
    warn(`shotgraph render: ${sets.error}`);
    return EXIT.usage;
  }
  const loaded = await loadGraphFile(graphPath);
  // --set changes this run's copy of the graph, never the file (docs/architecture.md §3).
  if (loaded.ok && Object.keys(sets.values).length) {
    const applied = await applyRunInputs(loaded.graph, loaded.graphDir, sets.values, {
      allowOutside: values['allow-outside'],
    });
    if (applied.problems.length) {
      if (values.report) {
        const now = Date.now();
        const refused = {
          status: 'invalid',
          submissions: 0,
          costUsd: 0,
          problems: applied.problems,
          startedAt: now,
          finishedAt: now,
          nodes: {},
          events: [],
        };
        await writeFileAtomic(values.report, JSON.stringify(refused, null, 2) + '\n');
      }
      printProblems(applied.problems, graphPath);
      return EXIT.invalid;
    }
    loaded.graph = applied.graph;
  }
  // New takes are chosen now but written to the graph only once the run passed validation and
  // the budget (onPlanned below): a refused run leaves the file as it was.
  let takes: Record<string, number> = {};
  if (loaded.ok && values['new-take']?.length) {
    try {
      takes = (await withNewTakes(graphPath, loaded.graph, values['new-take'])).takes;
    } catch (e) {
      if (e instanceof ProblemError) {
        printProblems(e.problems, graphPath);
        return EXIT.invalid;
      }
      throw e;
    }
  }
  // Progress bars are per shot of the film as it runs: with its sequences flattened.
  const shown = loaded.ok
    ? (await expandSequences(loaded.graph, loaded.graphDir, { allowOutside: values['allow-outside'] })).graph
    : undefined;
  const kinds = new Map(shown ? shown.nodes.map((n) => [n.id, n.type]) : []);
  const view = createProgressView(kinds);
  const cancel = cancelOnSignals(() => view.stop());

  let report;
  try {
    report = await runGraph({
      graphPath,
      ...(loaded.ok ? { graph: loaded.graph } : {}),
      ...(values.out ? { out: values.out } : {}),
      ...(values.provider ? { provider: values.provider } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(values.until ? { until: values.until } : {}),
      ...(values.only ? { only: values.only } : {}),
      ...(budget !== undefined ? { budgetUsd: budget } : {}),
      ...(values['allow-unpriced'] ? { allowUnpriced: true } : {}),
      ...(values['no-wait'] ? { wait: false } : {}),
      allowOutside: values['allow-outside'],
      signal: cancel.signal,
      onEvent: (e) => view.onEvent(e),
      ...(Object.keys(takes).length
        ? {
            onPlanned: async () => {
              await saveTakes(graphPath, takes);
              for (const [nodeId, take] of Object.entries(takes))
                warn(`${nodeId}: take ${take} is now active (earlier takes are kept)`);
            },
          }
        : {}),
    });
  } finally {
    view.stop();
    cancel.release();
  }
  if (values.report) await writeFileAtomic(values.report, JSON.stringify(report, null, 2) + '\n');

  // A problem found later about a field an input set (a missing file, a gateway limit) names it too.
  if (loaded.ok)
    report.problems = nameInputsInProblems(loaded.graph, report.problems, Object.keys(sets.values));
  if (report.status === 'invalid') {
    printProblems(report.problems, graphPath);
    return report.problems.some((p) => p.code === 'run.busy') ? EXIT.busy : EXIT.invalid;
  }
  for (const line of continuityLines(report.continuity)) warn(line);
  if (report.status === 'succeeded') {
    const reused = Object.entries(report.nodes).filter(
      ([id, n]) => kinds.get(id) === 'shot' && n.cached,
    ).length;
    warn(
      `Final cut: ${report.output ?? '(no final cut node)'}  (${report.submissions} shots generated, ${reused} reused)`,
    );
    if (report.output) say(report.output);
    return EXIT.ok;
  }
  if (report.status === 'awaiting-approval') {
    for (const g of report.awaiting ?? [])
      warn(
        `Waiting for approval of "${g.gate}" (take ${g.take}); held back: ${g.held.join(', ')}.\n  Look at the take, then: ${g.approve}\n  and run again.`,
      );
    return EXIT.awaiting;
  }
  if (report.problems.length) printProblems(report.problems, graphPath);
  for (const [id, n] of Object.entries(report.nodes)) {
    if (n.status === 'failed')
      warn(
        formatProblem({
          code: 'run.failed',
          nodeId: id,
          ...(n.field ? { field: n.field } : {}),
          message: n.error ?? 'failed',
        }),
      );
  }
  warn(
    report.status === 'cancelled'
      ? 'Cancelled; finished clips are kept in the project cache.'
      : 'The render failed; finished clips are kept and will be reused.',
  );
  return report.status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
}
