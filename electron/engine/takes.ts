// Takes: regenerating a shot keeps every earlier take on disk (each under its own content key);
// the graph file records which take is active and everything downstream follows it.
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { ProblemError } from '../../shared/problems';
import { writeFileAtomic } from './atomic';
import { OutputCache } from './cache';
import { loadGraphFile } from './load';
import { projectPaths } from './project';

export interface TakeInfo {
  take: number;
  video: string;
  lastFrame?: string;
  createdAt: number;
  active: boolean;
}

export async function listTakes(graphPath: string, nodeId: string): Promise<TakeInfo[]> {
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok) throw new ProblemError(loaded.problems);
  const node = loaded.graph.nodes.find((n) => n.id === nodeId);
  const active = node?.take ?? 1;
  const byTake = new Map<number, TakeInfo>();
  for (const hit of await new OutputCache(projectPaths(graphPath).cacheDir).entriesFor(nodeId)) {
    const take = hit.manifest.take ?? 1;
    // A keyframe's take is its first frame.
    const picture = hit.outputs.video ?? hit.outputs.image;
    if (byTake.has(take) || !picture) continue; // newest version of each take
    byTake.set(take, {
      take,
      video: picture,
      ...(hit.outputs.last_frame ? { lastFrame: hit.outputs.last_frame } : {}),
      createdAt: hit.manifest.createdAt,
      active: take === active,
    });
  }
  return [...byTake.values()].sort((a, b) => a.take - b.take);
}

/** Makes `take` the shot's active take and saves the graph. */
export async function setActiveTake(
  graphPath: string,
  nodeId: string,
  take: number | 'new',
): Promise<number> {
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok) throw new ProblemError(loaded.problems);
  const next = await chooseTake(graphPath, loaded.graph, nodeId, take);
  setTake(
    loaded.graph.nodes.find((n) => n.id === nodeId)!,
    next,
  );
  await writeFileAtomic(loaded.graphPath, serializeGraph(loaded.graph));
  return next;
}

/**
 * Starts a new take of each shot in `graph`, in memory only: `render --new-take` runs this graph
 * and records the takes in the file (saveTakes) only once the run has passed validation and the
 * budget, so a refused run leaves the file as it was.
 */
export async function withNewTakes(
  graphPath: string,
  graph: Graph,
  nodeIds: string[],
): Promise<{ graph: Graph; takes: Record<string, number> }> {
  const takes: Record<string, number> = {};
  for (const id of nodeIds) {
    takes[id] = await chooseTake(graphPath, graph, id, 'new');
    setTake(
      graph.nodes.find((n) => n.id === id)!,
      takes[id],
    );
  }
  return { graph, takes };
}

/** Records active takes in the graph file (re-read, so nothing else in it is overwritten). */
export async function saveTakes(graphPath: string, takes: Record<string, number>): Promise<void> {
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok) throw new ProblemError(loaded.problems);
  for (const [id, take] of Object.entries(takes)) {
    const node = loaded.graph.nodes.find((n) => n.id === id);
    if (node) setTake(node, take);
  }
  await writeFileAtomic(loaded.graphPath, serializeGraph(loaded.graph));
}

/** Makes `take` active; an approval of another take no longer holds (docs/architecture.md §5). */
function setTake(node: GraphNode, take: number): void {
  node.take = take;
  if (node.approved && node.approved.take !== take) delete node.approved;
}

/** The take `take` stands for (a number, or one past every take made): nothing is written. */
export async function chooseTake(
  graphPath: string,
  graph: Graph,
  nodeId: string,
  take: number | 'new',
): Promise<number> {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node || (node.type !== 'shot' && node.type !== 'keyframe')) {
    throw new ProblemError([
      {
        code: 'take.target',
        nodeId,
        field: 'take',
        message: node ? 'only shots and keyframes have takes' : 'there is no such node',
      },
    ]);
  }
  const known = (await listTakes(graphPath, nodeId)).map((t) => t.take);
  const next = take === 'new' ? Math.max(node.take ?? 1, ...known) + 1 : take;
  if (!Number.isInteger(next) || next < 1) {
    throw new ProblemError([
      { code: 'take.range', nodeId, field: 'take', message: 'a take is a whole number from 1' },
    ]);
  }
  return next;
}
