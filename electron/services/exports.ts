// The editor's Export menu: the same OTIO and storyboard-sheet files `shotgraph export` writes, put
// beside the graph file (`chase.otio`, `chase-storyboard.png`) from the graph as the editor has it.
import path from 'node:path';
import { ContractError } from '../../shared/contract';
import type { Graph } from '../../shared/graph/schema';
import { exportCut } from '../engine/export-cut';
import type { Workspace } from './workspace';

export type ExportFormat = 'otio' | 'storyboard-png' | 'storyboard-pdf';

const SUFFIX: Record<ExportFormat, string> = {
  otio: '.otio',
  'storyboard-png': '-storyboard.png',
  'storyboard-pdf': '-storyboard.pdf',
};

export async function exportFilm(
  ws: Workspace,
  shownGraph: string,
  graph: Graph,
  env: NodeJS.ProcessEnv,
  format: ExportFormat,
  cut?: string,
): Promise<{ file: string }> {
  const graphPath = ws.resolve(shownGraph);
  const out = path.join(
    path.dirname(graphPath),
    path.basename(graphPath).replace(/\.json$/i, '') + SUFFIX[format],
  );
  const result = await exportCut({
    graphPath,
    graph,
    env,
    ...(cut ? { node: cut } : {}),
    ...(format === 'otio' ? { otio: out } : { storyboard: out }),
  });
  if (!result.ok) {
    // The engine speaks to the command line; in the editor, running is one button away.
    const problems = result.problems.map((p) => ({
      ...p,
      message: p.message.replace('run `shotgraph render` first', 'run the film first'),
    }));
    throw new ContractError('export.problems', problems[0]?.message ?? 'nothing to export', problems);
  }
  return { file: ws.show(out) };
}
