// A shot's takes: list them, make one active, or make another. The active take is recorded in the
// graph file by the host (as `shotgraph render --new-take` does) and mirrored into the document as
// an undoable edit, so the canvas, the storyboard and the next run all follow it.
import { edit, markSaved, selectDirty, useDocument } from '../stores/document';
import { useRun } from '../stores/run';
import { useTakes } from '../stores/takes';
import { toast } from '../stores/ui';
import { host } from '../transport';
import { refreshFilmStatus } from './film-status';
import { reportProblem, saveFilm } from './files';
import { runFilm } from './run';

export async function loadTakes(id: string): Promise<void> {
  const { path } = useDocument.getState();
  if (!path) return;
  try {
    const { takes } = await host.call('takes.list', { path, nodeId: id });
    useTakes.setState((s) => ({ byNode: { ...s.byNode, [id]: takes } }));
  } catch {
    // A film that cannot be read from disk has no takes to show; the canvas says why.
  }
}

/** The take a shot renders now (1 unless another was chosen). */
export function activeTake(extra: Record<string, unknown>): number {
  return typeof extra.take === 'number' ? extra.take : 1;
}

/** A take other than the approved one clears the approval, as the host does in the file. */
function withTake(extra: Record<string, unknown>, take: number): Record<string, unknown> {
  const { approved, ...rest } = extra;
  return (approved as { take?: unknown } | undefined)?.take === take
    ? { ...rest, take, approved }
    : { ...rest, take };
}

function setTake(id: string, take: number): void {
  edit((s) => ({
    nodes: s.nodes.map((n) =>
      n.id === id ? { ...n, data: { ...n.data, extra: withTake(n.data.extra, take) } } : n,
    ),
  }));
}

/** Takes live in the saved file: unsaved edits are saved first so the file and the editor agree. */
async function savedPath(): Promise<string | null> {
  const s = useDocument.getState();
  if (s.path && !selectDirty(s)) return s.path;
  return saveFilm();
}

export async function chooseTake(id: string, take: number): Promise<void> {
  if (useRun.getState().phase !== 'idle') return toast('Wait for the run to finish before switching takes');
  const path = await savedPath();
  if (!path) return;
  try {
    const r = await host.call('takes.setActive', { path, nodeId: id, take });
    setTake(id, r.take);
    markSaved(path, useDocument.getState().revision);
    toast(`Take ${r.take} of ${id} is active`, 'success');
    await Promise.all([refreshFilmStatus(), loadTakes(id)]);
  } catch (e) {
    reportProblem(`Could not switch ${id} to take ${take}`, e);
  }
}

/** Approves the active take of a gated keyframe or shot; the host records it in the saved file. */
export async function approve(id: string): Promise<void> {
  if (useRun.getState().phase !== 'idle') return toast('Wait for the run to finish before approving');
  const path = await savedPath();
  if (!path) return;
  try {
    const r = await host.call('takes.approve', { path, nodeId: id });
    edit((s) => ({
      nodes: s.nodes.map((n) =>
        n.id === id
          ? {
              ...n,
              data: { ...n.data, extra: { ...n.data.extra, take: r.take, approved: { take: r.take } } },
            }
          : n,
      ),
    }));
    markSaved(path, useDocument.getState().revision);
    toast(`Take ${r.take} of ${id} approved`, 'success');
    await refreshFilmStatus();
  } catch (e) {
    reportProblem(`Could not approve ${id}`, e);
  }
}

/** Starts a new take of shot `id` (earlier takes are kept) and renders it. */
export async function anotherTake(id: string): Promise<void> {
  if (useRun.getState().phase !== 'idle') return toast('A run is already in progress');
  const path = await savedPath();
  if (!path) return;
  try {
    const r = await host.call('takes.new', { path, nodeId: id });
    setTake(id, r.take);
    markSaved(path, useDocument.getState().revision);
    await runFilm(id);
  } catch (e) {
    reportProblem(`Could not start another take of ${id}`, e);
  }
}
