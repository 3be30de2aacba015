// A node's state as the user sees it: what a run in this editor last did with it, unless the
// engine's film status answered a newer question (an edit since: "stale"; reopened: "cached").
import { useFilmStatus, type NodeFacts } from '../stores/film-status';
import { useRun, type NodeRun } from '../stores/run';
import { shownStatus, type ShownStatus } from './status';

const LIVE = new Set(['queued', 'running']);
const MAKES = new Set(['shot', 'keyframe', 'final_cut']);

export function nodeView(
  run: NodeRun | undefined,
  facts: NodeFacts | undefined,
  askedAt: number,
  kind: string,
): { status: ShownStatus; outputs: Record<string, string> | undefined } {
  const runIsNewer = run?.at !== undefined && run.at > askedAt;
  if (!facts || (run && (LIVE.has(run.status) || runIsNewer)))
    return { status: shownStatus(run?.status, kind), outputs: run?.outputs ?? facts?.outputs };
  const outputs = Object.keys(facts.outputs).length ? facts.outputs : run?.outputs;
  if (!MAKES.has(kind)) return { status: run ? shownStatus(run.status, kind) : 'done', outputs };
  switch (facts.state) {
    case 'stale':
    case 'frozen':
      return { status: facts.state, outputs };
    case 'cached':
      // "done": this editor's run made this very clip; "cached": it was on disk (another take, a
      // reopened film).
      return {
        status: run?.status === 'succeeded' && run.outputs?.video === facts.outputs.video ? 'done' : 'cached',
        outputs,
      };
    default: // new: nothing made for these settings yet
      return {
        status: run && ['failed', 'cancelled', 'skipped'].includes(run.status) ? run.status : 'idle',
        outputs: undefined,
      } as { status: ShownStatus; outputs: undefined };
  }
}

export function useNodeStatus(
  id: string,
  kind: string,
): { run: NodeRun | undefined; status: ShownStatus; outputs: Record<string, string> | undefined } {
  const run = useRun((s) => s.nodes[id]);
  const facts = useFilmStatus((s) => s.nodes[id]);
  const askedAt = useFilmStatus((s) => s.askedAt);
  return { run, ...nodeView(run, facts, askedAt, kind) };
}

/** The same, outside React (layout code that reads stores through getState). */
export function nodeOutputs(id: string, kind: string): Record<string, string> | undefined {
  const f = useFilmStatus.getState();
  return nodeView(useRun.getState().nodes[id], f.nodes[id], f.askedAt, kind).outputs;
}
