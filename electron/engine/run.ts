// One render of a graph: plan and validate everything first (no paid call for a graph that
// cannot finish or would break the budget), take the project lock (one run per project at a time,
// across processes), then run the DAG with cached outputs reused, and write the final cut. The
// CLI, the editor (web and desktop) and the tests all call this.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import type { NodeOutput, RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { ProblemError, type Problem } from '../../shared/problems';
import { createProvider } from '../providers';
import { redactorForEnv } from '../providers/remote/redact';
import type { Provider } from '../providers/types';
import { budgetVerdict, filmBudget } from './budget';
import { CutSoundAhead } from './cut-sound';
import { estimatePlan } from './estimate';
import { resolvedHostProblems, urlsForGateways } from './media-hosts';
import { execute } from './executor';
import { openJournal } from './journal';
import { standbyShot } from './standby';
import { runNode, type NodeRunContext } from './node-runners';
import { preparePlan, type Plan } from './plan';
import { takeProject } from './project-access';
import { describeHolder } from './project-lock';
import { RunRecorder, type AwaitedGate, type RunReport } from './run-report';
import { saveMediaFacts } from '../media/media-facts';
import {
  ContinuityAhead,
  loadContinuityMemo,
  measureContinuity,
  saveContinuityMemo,
  type ContinuityMemo,
} from './continuity';
import { chainLinks, type ContinuityReport } from '../../shared/continuity';

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
  /**
   * Called once the run holds the project and has passed validation and the budget, before anything
   * is generated (`render --new-take` records its takes here). A ProblemError refuses the run.
   */
  onPlanned?: (plan: Plan) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

export async function runGraph(opts: RunOptions): Promise<RunReport> {
  const env = opts.env ?? process.env;
  const recorder = new RunRecorder(randomUUID(), opts.onEvent, redactorForEnv(env));
  const planned = await preparePlan(opts);
  if (!planned.ok) return recorder.invalid(planned.problems);
  const plan = planned.plan;

  const overBudget = await checkBudget(plan, opts, recorder);
  if (overBudget) return recorder.invalid([overBudget]);

  // Just before anything is handed to a gateway: hosts of graph media URLs must resolve to public
  // addresses. Not at validation: opening a shared graph makes no network request.
  const hosts = await resolvedHostProblems(await urlsForGateways(plan), env);
  if (hosts.length) return recorder.invalid(hosts);

  // The lock is held by this process until the run ends; losing it stops the run.
  const lost = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, lost.signal]) : lost.signal;
  // Every shot at its gateway and every measure running beside it listen here for a cancel: past
  // Node's default of ten it would warn of a leak on the user's terminal (ten places, ten chains).
  setMaxListeners(Math.max(10, plan.graph.nodes.length * 4), signal);
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

    if (opts.onPlanned) {
      try {
        await opts.onPlanned(plan);
      } catch (e) {
        if (e instanceof ProblemError) return recorder.invalid(e.problems);
        throw e;
      }
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
    // Held behind an approval gate: never started, and the run says which gate and how to open it.
    const blocked = plan.blocked ?? new Map<string, string>();
    const gates = awaitedGates(plan, blocked);
    recorder.awaiting(gates);
    if (gates.length) {
      recorder.emit({
        type: 'run-notice',
        code: 'run.awaiting-approval',
        message: awaitingMessage(gates),
      });
      for (const [id, gate] of blocked)
        recorder.emit({
          type: 'node-skipped',
          nodeId: id,
          reason: `waiting for approval of "${gate}" (take ${plan.graph.nodes.find((n) => n.id === gate)?.take ?? 1})`,
        });
    }
    // The continuity figures are measured as their clips arrive, not all after the last shot.
    const memo = chainLinks(plan.graph).length
      ? await loadContinuityMemo(plan.paths.stateDir)
      : new Map<string, number>();
    const ahead = new ContinuityAhead(plan.graph, ctx.outputs, memo, signal);
    ctx.onSubmitted = (id) => ahead.shotSubmitted(id);
    const sound = new CutSoundAhead(plan.graph, ctx.outputs, signal);
    let memoSaved: Promise<void> | undefined;
    try {
      const outcome = await execute(
        plan.nodes
          .filter((n) => !blocked.has(n.id))
          .map((n) => ({
            id: n.id,
            deps: plan.graph.edges.filter((e) => e.target === n.id).map((e) => e.source),
            ...(n.type === 'shot' || n.type === 'keyframe' ? { pool: plan.providerOf(n)! } : {}),
            ...(n.type === 'shot' ? { standby: (s: AbortSignal) => void standbyShot(ctx, n, s) } : {}),
            run: async (s: AbortSignal, release: () => void) => {
              // The gateway is done with a shot when it gives its slot back: its clip is coming.
              try {
                await runNode(ctx, n, s, () => {
                  ahead.clipComing(n.id);
                  release();
                });
              } finally {
                ahead.shotSettled(n.id);
              }
              ahead.nodeDone(n.id);
              sound.nodeDone(n.id);
            },
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
          onStart: (id) => ahead.shotStarted(id),
          onPoolsStarted: () => ahead.shotsStarted(),
        },
      );
      ahead.shotsDone();
      const statuses = [...outcome.values()];
      // Everything that could run ran: what is left waits for a person, which is not a failure.
      const status = opts.signal?.aborted
        ? 'cancelled'
        : !statuses.every((s) => s === 'done') || lost.signal.aborted
          ? 'failed'
          : blocked.size
            ? 'awaiting-approval'
            : 'succeeded';
      const report = await continuity(plan, ctx.outputs, recorder, signal, memo, ahead);
      // The memo is written beside the run's end (with the other run-end files), not before it.
      if (report && !readOnly)
        memoSaved = saveContinuityMemo(plan.paths.stateDir, memo).catch(() => undefined);
      return await recorder.end(status, report);
    } finally {
      // The run-end files are independent: written together, not one fsync after another
      // (docs/architecture.md §5.2). The media facts wait for the measures that add to them.
      const ended = await Promise.allSettled([
        memoSaved,
        journal.close(),
        recorder.closeHistory(),
        Promise.all([ahead.drain(), sound.drain()]).then(() =>
          // What the run learnt of its new files (clips, the film, loudness), for the next command.
          readOnly ? undefined : saveMediaFacts(plan.paths.stateDir, plan.paths.graphDir),
        ),
      ]);
      // Every one has finished before the run returns; the first failure is the run's, as in series.
      const failure = ended.find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
    }
  } finally {
    await lock?.release();
  }
}

/** Each gate that holds work back: its take, what it holds and the command that opens it. */
function awaitedGates(plan: Plan, blocked: Map<string, string>): AwaitedGate[] {
  const file = path.basename(plan.paths.graphPath);
  const byGate = new Map<string, string[]>();
  // In the film's order, so the list reads the way the shots play.
  for (const n of plan.nodes) {
    const gate = blocked.get(n.id);
    if (gate) byGate.set(gate, [...(byGate.get(gate) ?? []), n.id]);
  }
  return [...byGate].map(([gate, held]) => {
    const take = plan.graph.nodes.find((n) => n.id === gate)?.take ?? 1;
    return { gate, take, held, approve: `shotgraph approve ${file} ${gate} --take ${take}` };
  });
}

function awaitingMessage(gates: AwaitedGate[]): string {
  const held = gates.reduce((n, g) => n + g.held.length, 0);
  return (
    `Waiting for approval of ${gates.map((g) => `"${g.gate}"`).join(', ')}: ${held} node${held === 1 ? '' : 's'} after ${gates.length === 1 ? 'it' : 'them'} did not run. ` +
    `Look at the take, then approve it (${gates.map((g) => g.approve).join('; ')}) and run again.`
  );
}

/** The budget's verdict on this run as the cache stands now; a problem when it refuses. */
async function checkBudget(
  plan: Plan,
  opts: RunOptions,
  recorder: RunRecorder,
): Promise<Problem | undefined> {
  const estimate = await estimatePlan(plan);
  recorder.setEstimate(estimate.totalUsd);
  const verdict = budgetVerdict(
    estimate,
    filmBudget(plan.graph, {
      ...(opts.budgetUsd !== undefined ? { budgetUsd: opts.budgetUsd } : {}),
      ...(opts.allowUnpriced !== undefined ? { allowUnpriced: opts.allowUnpriced } : {}),
    }),
  );
  return verdict.ok ? undefined : verdict.problem;
}

/** The continuity report on what the run has; a measure that fails is a notice, never a failed run. */
async function continuity(
  plan: Plan,
  outputs: Map<string, NodeOutput>,
  recorder: RunRecorder,
  signal: AbortSignal,
  memo: ContinuityMemo,
  ahead: ContinuityAhead,
): Promise<ContinuityReport | undefined> {
  const links = chainLinks(plan.graph);
  if (signal.aborted || !links.length) return undefined;
  // The nodes are done but the run is not: say why it is still busy (and still holds the project).
  recorder.emit({
    type: 'run-phase',
    phase: 'measuring-continuity',
    message: `Measuring continuity (${links.length} seam${links.length === 1 ? '' : 's'})…`,
  });
  try {
    const animatic = new Set(
      plan.graph.nodes.filter((n) => plan.providerOf(n) === 'animatic').map((n) => n.id),
    );
    return await measureContinuity(plan.graph, outputs, signal, memo, ahead, (id) => animatic.has(id));
  } catch (e) {
    if (signal.aborted) return undefined;
    recorder.emit({
      type: 'run-notice',
      code: 'run.continuity',
      message: `The continuity report could not be measured: ${(e as Error).message}`,
    });
    return undefined;
  }
}
