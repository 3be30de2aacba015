// A node's run state as the user sees it: "stale" when its clip was made from other settings or
// inputs than the node has now.
import { useFingerprints } from '../stores/signatures';
import { useRun, type NodeRun } from '../stores/run';
import { shownStatus, type ShownStatus } from './status';

export function useNodeStatus(id: string, kind: string): { run: NodeRun | undefined; status: ShownStatus } {
  const run = useRun((s) => s.nodes[id]);
  const print = useFingerprints((s) => s.byNode.get(id));
  const made = run?.status === 'succeeded' || run?.status === 'cached';
  const stale = made && run?.made !== undefined && run.made !== print;
  return { run, status: stale ? 'stale' : shownStatus(run?.status, kind) };
}
