// The engine's answer to "what would a render do now?", for the editor to display as it is: per
// node cached / frozen / stale / new, the active take, the cost given the cache (the same estimate
// as `shotgraph estimate`), every problem the run would refuse, and the film's total. Never
// throws for a broken film: what can be known is returned beside the problems.
import type { NodeOutput } from '../../shared/events';
import { keyframeParams, shotParams } from '../../shared/nodes/registry';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { castOfShots } from '../../shared/validate/cast';
import { budgetVerdict, filmBudget } from './budget';
import { OutputCache, type CacheHit } from './cache';
import { cacheIndex } from './cache-index';
import { estimateKeyframe, estimateShot, summarize, type ShotEstimate } from './estimate';
import { checkFilm, filmKeys, type PlanOptions } from './plan';

export type NodeState = 'cached' | 'frozen' | 'stale' | 'new' | 'ready';

export interface NodeStatusFacts {
  /** cached/frozen: a render reuses its output; stale/new: a render makes it; ready: an input. */
  state: NodeState;
  /** Current output (cached, frozen) or the newest earlier one (stale). */
  outputs: NodeOutput;
  take?: number;
  provider?: string;
  cost?: ShotEstimate & {
    /** For a free animatic shot: what Ark would charge, to budget the real film. */
    arkUsd?: number;
  };
}

export interface FilmStatus {
  nodes: Record<string, NodeStatusFacts>;
  /** Everything a render would refuse now (structure, media, gateways, capabilities). */
  problems: Problem[];
  /** What a render of the whole film would spend now (uncached shots only). */
  totalUsd: number;
  /** Uncached shots on gateways that publish no price: not in the total. */
  unpriced: string[];
  /** Shots and final cuts a render of the whole film would make (the engine's plan). */
  toRun: string[];
  /** The film's gateway as the engine resolves it (film setting, else the host's default). */
  provider: string;
  /** The film's budget (its settings) and the verdict a run would get now, by the run's own rule. */
  budget: FilmBudgetStatus;
  /** Each cast member, in the cast's order, and the shots whose prompt calls them in by `@Name`. */
  cast: CastUse[];
}

export interface CastUse {
  name: string;
  /** Shot ids (sequences flattened), in the film's order. */
  shots: string[];
}

export interface FilmBudgetStatus {
  limitUsd: number | null;
  allowUnpriced: boolean;
  ok: boolean;
  /** Why a run would be refused now. */
  message?: string;
}

export type FilmStatusResult = { ok: true; status: FilmStatus } | { ok: false; problems: Problem[] };

/** Who is in which shot, by the same mention rule a run attaches the cast with (shared/cast.ts). */
function castUse(graph: Graph): CastUse[] {
  const byShot = castOfShots(graph);
  return (graph.cast ?? []).map((member) => ({
    name: member.name,
    shots: [...byShot].filter(([, members]) => members.includes(member)).map(([id]) => id),
  }));
}

const MAKES = new Set(['shot', 'keyframe', 'final_cut']);

export async function filmStatus(
  opts: Pick<PlanOptions, 'graphPath' | 'graph' | 'env'>,
): Promise<FilmStatusResult> {
  const checked = await checkFilm(opts);
  if (!checked.ok) return checked;
  const check = checked.check;
  const cache = new OutputCache(check.paths.cacheDir);
  const keys = await filmKeys(check, cache, { strict: false });
  const makers = check.graph.nodes.filter((n) => MAKES.has(n.type));
  // One read of the cache folder (kept while its entries stay the same), not one per node.
  const index = await cacheIndex(cache);
  const current = new Map<string, CacheHit | undefined>(
    await Promise.all(
      makers.map(async (n) => {
        const key = keys.get(n.id);
        return [n.id, key ? await index.lookup(key) : undefined] as const;
      }),
    ),
  );

  const nodes: Record<string, NodeStatusFacts> = {};
  const shots: ShotEstimate[] = [];
  const toRun: string[] = [];
  for (const node of check.graph.nodes) {
    if (!MAKES.has(node.type)) {
      nodes[node.id] = { state: 'ready', outputs: {} };
      continue;
    }
    const hit = current.get(node.id);
    const older = hit ? undefined : index.byNode(node.id)[0];
    const state: NodeState = hit ? (node.frozen ? 'frozen' : 'cached') : older ? 'stale' : 'new';
    if (!hit) toRun.push(node.id);
    const facts: NodeStatusFacts = { state, outputs: (hit ?? older)?.outputs ?? {} };
    if (node.type === 'shot') {
      const provider = check.providerOf(node)!;
      facts.take = node.take ?? 1;
      facts.provider = provider;
      if (shotParams.safeParse(node.params).success) {
        const cost = estimateShot(check.graph, node, provider, Boolean(hit));
        shots.push(cost);
        facts.cost =
          provider === 'animatic'
            ? { ...cost, arkUsd: estimateShot(check.graph, node, 'ark', false).usd }
            : cost;
      }
    }
    if (node.type === 'keyframe') {
      const provider = check.providerOf(node)!;
      facts.take = node.take ?? 1;
      facts.provider = provider;
      if (keyframeParams.safeParse(node.params).success) {
        const cost = estimateKeyframe(node, provider, Boolean(hit));
        shots.push(cost);
        facts.cost =
          provider === 'animatic' ? { ...cost, arkUsd: estimateKeyframe(node, 'ark', false).usd } : cost;
      }
    }
    nodes[node.id] = facts;
  }
  const total = summarize(shots);
  const limits = filmBudget(check.graph);
  const verdict = budgetVerdict(total, limits);
  return {
    ok: true,
    status: {
      nodes,
      problems: check.problems,
      totalUsd: total.totalUsd,
      unpriced: shots.filter((s) => !s.known && !s.cached).map((s) => s.nodeId),
      toRun,
      provider: check.runProvider,
      cast: castUse(check.graph),
      budget: {
        limitUsd: limits.budgetUsd ?? null,
        allowUnpriced: limits.allowUnpriced ?? false,
        ok: verdict.ok,
        ...(verdict.ok ? {} : { message: verdict.problem.message }),
      },
    },
  };
}
