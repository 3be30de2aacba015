// One render of a graph: plan and validate everything first (no paid call for a graph that
// cannot finish or would break the budget), then run the DAG with cached outputs reused, and
// write the final cut. The CLI, the editor (web and desktop) and the tests all call this.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { NodeOutput, RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { createProvider } from '../providers';
import type { Provider } from '../providers/types';
import { estimatePlan } from './estimate';
import { resolvedHostProblems, urlsForGateways } from './media-hosts';
import { execute } from './executor';
import { openJournal } from './journal';
import { runNode, type NodeRunContext } from './node-runners';
import { preparePlan } from './plan';
import { RunRecorder, type RunReport } from './run-report';

export type { RunReport } from './run-report';

export interface RunOptions {
  /** The graph file; its folder is the project (media paths, cache, journal). */
  graphPath: string;
  /** In-memory document (the editor's); default: read from graphPath. */
  graph?: Graph;
  /** Final-cut file; default `<graph name>.mp4` beside the graph. */
  out?: string;
  provider?: string;
  concurrency?: number;
  allowOutside?: boolean;
  /** Run this node and what it needs. */
  until?: string;
  /** Run only this node, from its cached inputs. */
  only?: string;
  /** Refuse to start when the estimate of what this run would spend exceeds it. */
  budgetUsd?: number;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runGraph(opts: RunOptions): Promise<RunReport> {
  const env = opts.env ?? process.env;
  const recorder = new RunRecorder(randomUUID(), opts.onEvent);
  const planned = await preparePlan(opts);
  if (!planned.ok) return recorder.invalid(planned.problems);
  const plan = planned.plan;

  const estimate = await estimatePlan(plan);
  recorder.setEstimate(estimate.totalUsd);
  if (opts.budgetUsd !== undefined && estimate.totalUsd > opts.budgetUsd) {
    const paid = estimate.shots.filter((s) => s.usd > 0).length;
    return recorder.invalid([
      {
        code: 'run.budget',
        field: 'budget',
        message: `this run would cost about $${estimate.totalUsd.toFixed(2)} for ${paid} shot${paid === 1 ? '' : 's'}, over the budget of $${opts.budgetUsd.toFixed(2)}; nothing was submitted`,
      },
    ]);
  }

  // Just before anything is handed to a gateway: hosts of graph media URLs must resolve to public
  // addresses. Not at validation: opening a shared graph makes no network request.
  const hosts = await resolvedHostProblems(await urlsForGateways(plan), env);
  if (hosts.length) return recorder.invalid(hosts);

  const providers = new Map<string, Provider>();
  for (const n of plan.nodes) {
    const name = plan.providerOf(n);
    if (name && !providers.has(name)) providers.set(name, await createProvider(name, env));
  }

  const journal = await openJournal(plan.paths.stateDir);
  await recorder.openHistory(plan.paths.stateDir);
  const ctx: NodeRunContext = {
    ...plan,
    outputs: new Map<string, NodeOutput>(),
    journal,
    providers,
    recorder,
    ...(opts.out ? { out: path.resolve(opts.out) } : {}),
  };

  recorder.start(
    plan.graph.name,
    plan.nodes.map((n) => n.id),
    plan.runProvider,
  );
  try {
    const outcome = await execute(
      plan.nodes.map((n) => ({
        id: n.id,
        deps: plan.graph.edges.filter((e) => e.target === n.id).map((e) => e.source),
        ...(n.type === 'shot' ? { pool: plan.providerOf(n)! } : {}),
        run: (signal: AbortSignal) => runNode(ctx, n, signal),
      })),
      {
        ...(opts.signal ? { signal: opts.signal } : {}),
        limits: Object.fromEntries(
          [...providers].map(([name, p]) => [name, opts.concurrency ?? p.concurrency]),
        ),
        onQueued: (id) => recorder.emit({ type: 'node-queued', nodeId: id }),
        onFailed: (id, err) => recorder.failed(id, err),
        onSkipped: (id, cause) =>
          recorder.emit({ type: 'node-skipped', nodeId: id, reason: `"${cause}" failed` }),
        onCancelled: (id) => recorder.emit({ type: 'node-cancelled', nodeId: id }),
      },
    );
    const statuses = [...outcome.values()];
    const status = opts.signal?.aborted
      ? 'cancelled'
      : statuses.every((s) => s === 'done')
        ? 'succeeded'
        : 'failed';
    return await recorder.end(status);
  } finally {
    await journal.close();
    await recorder.closeHistory();
  }
}
