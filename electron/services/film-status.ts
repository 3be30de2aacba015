// film.status for the editor: the engine's answer with its files as the editor shows paths. An
// unsaved film is checked against the workspace folder (where its media would be found).
import path from 'node:path';
import type { FilmStatusView } from '../../shared/contract';
import type { Graph } from '../../shared/graph/schema';
import { filmStatus } from '../engine/film-status';
import type { Workspace } from './workspace';

export async function filmStatusFor(
  ws: Workspace,
  shownPath: string | null,
  graph: Graph,
  env: NodeJS.ProcessEnv,
): Promise<FilmStatusView> {
  const graphPath = shownPath ? ws.resolve(shownPath) : path.join(ws.root, 'untitled.json');
  const result = await filmStatus({ graphPath, graph, env });
  if (!result.ok) {
    // A film that cannot be read has no verdict of its own: its problems already refuse any run.
    const budget = { limitUsd: null, allowUnpriced: false, ok: true };
    return {
      nodes: {},
      problems: result.problems,
      totalUsd: 0,
      unpriced: [],
      toRun: [],
      provider: '',
      budget,
      cast: [],
    };
  }
  const { status } = result;
  const nodes: FilmStatusView['nodes'] = {};
  for (const [id, facts] of Object.entries(status.nodes)) {
    const outputs: Record<string, string> = {};
    // A clip outside the workspace could not be played by the editor anyway.
    for (const [port, file] of Object.entries(facts.outputs))
      if (ws.contains(file)) outputs[port] = ws.show(file);
    const { cost, ...rest } = facts;
    nodes[id] = {
      ...rest,
      outputs,
      ...(cost
        ? {
            cost: {
              usd: cost.usd,
              listUsd: cost.listUsd,
              known: cost.known,
              basis: cost.basis,
              seconds: cost.seconds,
              ...(cost.tokens !== undefined ? { tokens: cost.tokens } : {}),
              ...(cost.credits !== undefined ? { credits: cost.credits } : {}),
              ...(cost.arkUsd !== undefined ? { arkUsd: cost.arkUsd } : {}),
            },
          }
        : {}),
    };
  }
  return { ...status, nodes };
}
