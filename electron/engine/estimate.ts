// Cost before you spend: a per-shot (and per-keyframe) estimate from the gateway's price table, cached shots at 0.
// `shotgraph estimate`, the budget check of a run and the editor's film status all use this.
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { incomingEdges } from '../../shared/graph/topology';
import { keyframeParams, shotParams } from '../../shared/nodes/registry';
import { estimateStills } from '../../shared/seedance/seedream';
import { mentionedMembers } from '../../shared/cast';
import { promptOf } from '../../shared/validate/cast';
import { estimateCost, type CostEstimate } from '../../shared/seedance/pricing';
import type { Plan } from './plan';

export interface ShotEstimate extends CostEstimate {
  nodeId: string;
  provider: string;
  model: string;
  resolution: string;
  ratio: string;
  cached: boolean;
  /** The price were it generated now; `usd` is 0 for a cached shot. */
  listUsd: number;
}

export interface GraphEstimate {
  shots: ShotEstimate[];
  /** What this run would spend: uncached shots only. */
  totalUsd: number;
  unknownPrices: number;
}

/** One shot's estimate on `provider`, given whether its clip is already cached. */
export function estimateShot(graph: Graph, node: GraphNode, provider: string, cached: boolean): ShotEstimate {
  const p = shotParams.parse(node.params);
  const cost = estimateCost({
    provider,
    model: p.model,
    resolution: p.resolution,
    ratio: p.ratio,
    duration: p.duration,
    hasVideoInput: incomingEdges(graph, node.id, 'reference_videos').length > 0,
    // A cast member's voice is reference audio too (docs/gateways.md §4.1): seed2.io bills it double.
    hasAudioInput:
      incomingEdges(graph, node.id, 'reference_audios').length > 0 ||
      (!!graph.cast?.length && mentionedMembers(promptOf(graph, node), graph.cast).some((m) => m.voice)),
  });
  return {
    ...cost,
    nodeId: node.id,
    provider,
    model: p.model,
    resolution: p.resolution,
    ratio: p.ratio,
    cached,
    usd: cached ? 0 : cost.usd,
    listUsd: cost.usd,
  };
}

/** A keyframe's estimate: Seedream bills each image it makes; priced as if every frame succeeds. */
export function estimateKeyframe(node: GraphNode, provider: string, cached: boolean): ShotEstimate {
  const p = keyframeParams.parse(node.params);
  const cost = estimateStills(provider, p.model, p.count);
  return {
    ...cost,
    seconds: 0,
    nodeId: node.id,
    provider,
    model: p.model,
    resolution: p.size,
    ratio: `${p.count} frame${p.count === 1 ? '' : 's'}`,
    cached,
    usd: cached ? 0 : cost.usd,
    listUsd: cost.usd,
  };
}

export function summarize(shots: ShotEstimate[]): GraphEstimate {
  return {
    shots,
    totalUsd: round(shots.reduce((a, s) => a + s.usd, 0)),
    unknownPrices: shots.filter((s) => !s.known && !s.cached).length,
  };
}

export async function estimatePlan(plan: Plan): Promise<GraphEstimate> {
  const shots: ShotEstimate[] = [];
  for (const node of plan.nodes) {
    if (node.type !== 'shot' && node.type !== 'keyframe') continue;
    // Work held behind an approval gate is not spent by this run (approval.ts).
    if (plan.blocked?.has(node.id)) continue;
    const cached = Boolean(await plan.cache.lookup(plan.keys.get(node.id)!));
    shots.push(
      node.type === 'keyframe'
        ? estimateKeyframe(node, plan.providerOf(node)!, cached)
        : estimateShot(plan.graph, node, plan.providerOf(node)!, cached),
    );
  }
  return summarize(shots);
}

function round(usd: number): number {
  return Math.round(usd * 10000) / 10000;
}
