// What a reopened film already has on disk: for each shot and final cut, the clip matching its
// current settings (cached) or an older one (stale), so the editor shows them without a run.
import type { Graph } from '../../shared/graph/schema';
import { preparePlan } from '../engine/plan';
import type { Workspace } from './workspace';

export type KnownOutputs = Record<string, { status: 'cached' | 'stale'; outputs: Record<string, string> }>;

export async function knownOutputs(
  ws: Workspace,
  shownPath: string,
  graph: Graph,
  env: NodeJS.ProcessEnv,
): Promise<KnownOutputs> {
  const prepared = await preparePlan({ graphPath: ws.resolve(shownPath), graph, env });
  if (!prepared.ok) return {}; // an invalid film shows its problems instead
  const { plan } = prepared;
  const show = (outputs: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(outputs)
        .filter(([, f]) => ws.contains(f))
        .map(([port, f]) => [port, ws.show(f)]),
    );
  const known: KnownOutputs = {};
  for (const node of plan.graph.nodes) {
    if (node.type !== 'shot' && node.type !== 'final_cut') {
      known[node.id] = { status: 'cached', outputs: {} }; // prompts and media are ready as they are
      continue;
    }
    const hit = await plan.cache.lookup(plan.keys.get(node.id)!);
    if (hit) {
      known[node.id] = { status: 'cached', outputs: show(hit.outputs) };
      continue;
    }
    const older = (await plan.cache.entriesFor(node.id))[0];
    if (older) known[node.id] = { status: 'stale', outputs: show(older.outputs) };
  }
  return known;
}
