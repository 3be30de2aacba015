// One render of a graph: plan and validate everything first (no paid call for a graph that
// cannot finish or would break the budget), take the project lock (one run per project at a time,
// across processes), then run the DAG with cached outputs reused, and write the final cut. The
// CLI, the editor (web and desktop) and the tests all call this.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { NodeOutput, RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { createProvider } from '../providers';
import type { Provider } from '../providers/types';
import { budgetVerdict } from './budget';
import { explainWriteError, isReadOnlyError } from './disk-errors';
import { estimatePlan } from './estimate';
import { execute } from './executor';
import { openJournal } from './journal';
import { finalCutKey, runNode, type NodeRunContext } from './node-runners';
import type { Plan } from './plan';
import { preparePlan } from './plan';
import { acquireProjectLock, describeHolder, ProjectBusyError, type ProjectLock } from './project-lock';
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
  /** Under a budget, let shots whose gateway publishes no price run anyway (see budget.ts). */
  allowUnpriced?: boolean;
  /** false: when another run holds the project, refuse at once (`run.busy`) instead of waiting. */
  wait?: boolean;
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

  const overBudget = await checkBudget(plan, opts, recorder);
  if (overBudget) return recorder.invalid([overBudget]);

  // The lock is held by this process until the run ends; losing it stops the run.
  const lost = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, lost.signal]) : lost.signal;
  const access = await takeProject(plan, opts, recorder, (err) => {
    recorder.problem({ code: 'run.lock-lost', message: err.message });
    lost.abort(err);
  });
  if ('report' in access) return access.report;
  const { lock, readOnly } = access;

  try {
    if (lock?.waitedMs) {
      recorder.waited(lock.waitedMs);
      recorder.emit({
        type: 'run-notice',
        code: 'run.waited',
        message: `Waited ${(lock.waitedMs / 1000).toFixed(1)} s for ${describeHolder(lock.waitedFor)}; continuing with what it made`,
      });
      // What the other run made is cached now: the estimate (and the budget's verdict) may have changed.
      const again = await checkBudget(plan, opts, recorder);
      if (again) return recorder.invalid([again]);
    }

    const providers = new Map<string, Provider>();
    for (const n of plan.nodes) {
      const name = plan.providerOf(n);
      if (name && !providers.has(name)) providers.set(name, await createProvider(name, env));
    }

    const journal = await openJournal(plan.paths.stateDir, { readOnly });
    if (!readOnly) await recorder.openHistory(plan.paths.stateDir);
    const ctx: NodeRunContext = {
      ...plan,
      outputs: new Map<string, NodeOutput>(),
      journal,
      providers,
      recorder,
      readOnly,
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
          run: (s: AbortSignal) => runNode(ctx, n, s),
        })),
        {
          signal,
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
        : statuses.every((s) => s === 'done') && !lost.signal.aborted
          ? 'succeeded'
          : 'failed';
      return await recorder.end(status);
    } finally {
      await journal.close();
      await recorder.closeHistory();
    }
  } finally {
    await lock?.release();
  }
}

/** The budget's verdict on this run as the cache stands now; a problem when it refuses. */
async function checkBudget(
  plan: Plan,
  opts: RunOptions,
  recorder: RunRecorder,
): Promise<Problem | undefined> {
  const estimate = await estimatePlan(plan);
  recorder.setEstimate(estimate.totalUsd);
  const verdict = budgetVerdict(estimate, {
    ...(opts.budgetUsd !== undefined ? { budgetUsd: opts.budgetUsd } : {}),
    ...(opts.allowUnpriced ? { allowUnpriced: true } : {}),
  });
  return verdict.ok ? undefined : verdict.problem;
}

type Access = { lock?: ProjectLock; readOnly: boolean } | { report: RunReport };

/**
 * The project lock, waiting for another run if one holds it. A project whose state folder cannot
 * be written still runs when everything is cached: then nothing will be paid for, so no lock,
 * journal or history is needed.
 */
async function takeProject(
  plan: Plan,
  opts: RunOptions,
  recorder: RunRecorder,
  onLost: (err: Error) => void,
): Promise<Access> {
  const stateDir = plan.paths.stateDir;
  try {
    const lock = await acquireProjectLock({
      stateDir,
      wait: opts.wait !== false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      graph: path.basename(plan.paths.graphPath),
      onWaiting: (holder) =>
        recorder.emit({
          type: 'run-waiting',
          ...(holder
            ? {
                holder: {
                  pid: holder.pid,
                  host: holder.host,
                  since: holder.since,
                  ...(holder.graph ? { graph: holder.graph } : {}),
                },
              }
            : {}),
          message: `Waiting for ${describeHolder(holder)} to finish (another run of this project)…`,
        }),
      onLost,
    });
    return { lock, readOnly: false };
  } catch (e) {
    if (opts.signal?.aborted) return { report: await recorder.end('cancelled') };
    if (e instanceof ProjectBusyError) {
      return {
        report: recorder.invalid([
          {
            code: 'run.busy',
            message: `${describeHolder(e.holder)} is running this project; nothing was started (without --no-wait this run would wait for it)`,
          },
        ]),
      };
    }
    if (!isReadOnlyError(e)) throw await explainWriteError(e, stateDir, 'the project lock');
    const todo = await unfinished(plan);
    if (todo.length) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        report: recorder.invalid([
          {
            code: 'run.read-only',
            message: `the project folder ${stateDir} cannot be written (${code}), and ${todo.map((id) => `"${id}"`).join(', ')} must be made and recorded there first; make the folder writable (or copy the project somewhere writable) and run again. Nothing was submitted`,
          },
        ]),
      };
    }
    recorder.emit({
      type: 'run-notice',
      code: 'run.read-only',
      message: `${stateDir} is read-only; everything is cached and nothing will be paid for, so this run writes no lock, journal or history there`,
    });
    return { readOnly: true };
  }
}

/** Shots and final cuts this run would have to make (not in the cache, or damaged there). */
async function unfinished(plan: Plan): Promise<string[]> {
  const todo: string[] = [];
  for (const n of plan.nodes) {
    if (n.type !== 'shot' && n.type !== 'final_cut') continue;
    const key = n.type === 'final_cut' ? await finalCutKey(plan, n) : plan.keys.get(n.id)!;
    if (!(await plan.cache.lookup(key))) todo.push(n.id);
  }
  return todo;
}
