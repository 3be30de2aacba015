// `shotgraph approve` and the card's Approve button: records in the graph file that a take of a
// gated keyframe or shot is approved, so the paid work after it may run (docs/architecture.md §5).
// Only a take that was made can be approved; approving another take than the active one makes it
// active. The file is re-read and written atomically, so nothing else in it is lost.
import { serializeGraph } from '../../shared/graph/serialize';
import { ProblemError } from '../../shared/problems';
import { writeFileAtomic } from './atomic';
import { loadGraphFile } from './load';
import { listTakes } from './takes';

export async function approveTake(graphPath: string, nodeId: string, take?: number): Promise<number> {
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok) throw new ProblemError(loaded.problems);
  const node = loaded.graph.nodes.find((n) => n.id === nodeId);
  const refuse = (message: string, field = 'approved'): never => {
    throw new ProblemError([{ code: 'approve.target', nodeId, field, message }]);
  };
  if (!node) return refuse('there is no such node in this graph', 'id');
  if (node.type !== 'shot' && node.type !== 'keyframe')
    return refuse('only keyframes and shots are approved');
  if (!node.needsApproval)
    return refuse('this node has no approval gate; mark it "needs approval" first', 'needsApproval');
  const chosen = take ?? node.take ?? 1;
  if (!Number.isInteger(chosen) || chosen < 1) return refuse('a take is a whole number from 1', 'take');
  const made = (await listTakes(loaded.graphPath, nodeId)).map((t) => t.take);
  if (!made.includes(chosen))
    return refuse(
      made.length
        ? `take ${chosen} was never made; made: ${made.join(', ')}`
        : 'nothing was made yet; run the graph first, then look at the take and approve it',
      'take',
    );
  node.take = chosen;
  node.approved = { take: chosen };
  await writeFileAtomic(loaded.graphPath, serializeGraph(loaded.graph));
  return chosen;
}
