// Measures the continuity report (shared/continuity.ts) on the clips a run has: every chained seam and
// every chain whose shots all have a clip. Each frame is measured once per run, one ffmpeg at a time
// (it runs after the shots, on machines that may be busy with other work).
import type { NodeOutput } from '../../shared/events';
import {
  chainLinks,
  chains,
  judgeChain,
  judgeSeam,
  type ContinuityReport,
  type SeamFigure,
} from '../../shared/continuity';
import type { Graph } from '../../shared/graph/schema';
import { seamSsim, sharpness } from '../media/continuity';

export async function measureContinuity(
  graph: Graph,
  outputs: ReadonlyMap<string, NodeOutput>,
  signal?: AbortSignal,
): Promise<ContinuityReport> {
  const clip = (id: string) => outputs.get(id)?.video;
  const sharp = new Map<string, Promise<number>>();
  const sharpOf = (id: string) => {
    let p = sharp.get(id);
    if (!p) sharp.set(id, (p = sharpness(clip(id)!, signal)));
    return p;
  };
  const seams: SeamFigure[] = [];
  for (const { from, to } of chainLinks(graph)) {
    const last = outputs.get(from)?.last_frame;
    const next = clip(to);
    if (!last || !next) continue;
    seams.push(judgeSeam(from, to, round(await seamSsim(last, next, signal))));
  }
  const measured = [];
  for (const chain of chains(graph)) {
    if (!chain.every((id) => clip(id))) continue;
    const shots = [];
    for (const nodeId of chain) shots.push({ nodeId, sharpness: round(await sharpOf(nodeId)) });
    measured.push(judgeChain(shots));
  }
  const warnings = [...seams, ...measured].flatMap((x) => (x.warning ? [x.warning] : []));
  return { seams, chains: measured, warnings };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
