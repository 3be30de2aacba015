// A shot next in line for its gateway's concurrency (executor.ts) gets its request ready while the
// shots ahead of it hold every place (docs/architecture.md §5.2): the request is built once, here,
// for both the wait and the run, and the provider uploads and builds its body meanwhile. Nothing is
// paid or recorded before the shot runs; a shot that turns out cached, or already has a task in the
// journal, is left alone.
import type { GraphNode } from '../../shared/graph/schema';
import type { ShotRequest } from '../providers/types';
import { withCast } from './cast-request';
import type { NodeRunContext } from './node-runners';
import { buildShotRequest } from './shot-request';

const requests = new WeakMap<NodeRunContext, Map<string, Promise<ShotRequest>>>();

/** The shot's request, built once per run: the wait and the run are given the same one. */
export function shotRequest(
  ctx: NodeRunContext,
  node: GraphNode,
  key: string,
  provider: string,
): Promise<ShotRequest> {
  let mine = requests.get(ctx);
  if (!mine) requests.set(ctx, (mine = new Map()));
  let req = mine.get(node.id);
  if (!req) {
    req = withCast(ctx.graph, node, buildShotRequest(ctx.graph, node, key, ctx.outputs), provider, {
      graphDir: ctx.paths.graphDir,
      allowOutside: ctx.allowOutside,
    });
    mine.set(node.id, req);
  }
  return req;
}

/** Gets a waiting shot ready for its turn; never throws (the run meets any failure and tells it). */
export async function standbyShot(ctx: NodeRunContext, node: GraphNode, signal: AbortSignal): Promise<void> {
  try {
    const key = ctx.keys.get(node.id)!;
    const name = ctx.providerOf(node)!;
    const provider = ctx.providers.get(name)!;
    if (!provider.standby || ctx.sameKey?.has(key)) return;
    if (!('miss' in (await ctx.cache.inspect(key)))) return;
    const recorded = ctx.journal.forShot(key, node.id, name).current();
    if (recorded?.taskId && recorded.state !== 'failed') return;
    const req = await shotRequest(ctx, node, key, provider.name);
    if (!signal.aborted) provider.standby(req, signal);
  } catch {
    // Made again when the shot runs, which says what went wrong.
  }
}
