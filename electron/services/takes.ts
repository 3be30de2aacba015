// A shot's takes for the editor: the engine's take list with its files as the editor shows paths,
// and the active take switched (or a new one started) in the saved graph file.
import { ContractError } from '../../shared/contract';
import { ProblemError } from '../../shared/problems';
import { approveTake } from '../engine/approve';
import { listTakes, setActiveTake } from '../engine/takes';
import type { Workspace } from './workspace';

export interface ShownTake {
  take: number;
  video: string;
  lastFrame?: string;
  createdAt: number;
  active: boolean;
}

export async function takesOf(ws: Workspace, shownGraph: string, nodeId: string): Promise<ShownTake[]> {
  const takes = await problemsAsError(() => listTakes(ws.resolve(shownGraph), nodeId));
  // A clip outside the workspace could not be played by the editor anyway.
  return takes
    .filter((t) => ws.contains(t.video))
    .map((t) => ({
      take: t.take,
      video: ws.show(t.video),
      ...(t.lastFrame && ws.contains(t.lastFrame) ? { lastFrame: ws.show(t.lastFrame) } : {}),
      createdAt: t.createdAt,
      active: t.active,
    }));
}

export async function chooseTake(
  ws: Workspace,
  shownGraph: string,
  nodeId: string,
  take: number | 'new',
): Promise<number> {
  return problemsAsError(() => setActiveTake(ws.resolve(shownGraph), nodeId, take));
}

export async function approve(
  ws: Workspace,
  shownGraph: string,
  nodeId: string,
  take: number | undefined,
): Promise<number> {
  return problemsAsError(() => approveTake(ws.resolve(shownGraph), nodeId, take));
}

async function problemsAsError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ProblemError) {
      const first = e.problems[0];
      throw new ContractError(first?.code ?? 'take.error', first?.message ?? e.message, e.problems);
    }
    throw e;
  }
}
