// A final cut's clips as files, from what is already on disk: shots from the project cache (under
// the keys the current graph would render them with), video nodes from their files. Makes nothing
// and calls no gateway; a clip that was never rendered is a problem naming its shot.
import { ProblemError, type Problem } from '../../shared/problems';
import { incomingEdges } from '../../shared/graph/topology';
import { isRemoteMedia } from '../../shared/validate/media-path';
import { probeMedia } from '../media/probe';
import { projectInput } from './project-path';
import type { Plan } from './plan';

export interface CutClip {
  nodeId: string;
  file: string;
  /** Length of the picture in seconds. */
  seconds: number;
}

export type CutClips = { ok: true; clips: CutClip[] } | { ok: false; problems: Problem[] };

export async function cachedCutClips(plan: Plan, cutId: string, signal?: AbortSignal): Promise<CutClips> {
  const byId = new Map(plan.graph.nodes.map((n) => [n.id, n]));
  const problems: Problem[] = [];
  const clips: CutClip[] = [];
  for (const edge of incomingEdges(plan.graph, cutId, 'clips')) {
    const node = byId.get(edge.source)!;
    let file: string | undefined;
    if (node.type === 'video' && typeof node.params.file === 'string') {
      if (isRemoteMedia(node.params.file)) {
        problems.push({
          code: 'export.remote',
          nodeId: node.id,
          field: 'file',
          message:
            'a clip at a URL or an asset id cannot be exported offline; download it into the graph folder',
        });
        continue;
      }
      try {
        file = await projectInput(
          plan.paths.graphDir,
          node.params.file,
          { nodeId: node.id, field: 'file' },
          { allowOutside: plan.allowOutside },
        );
      } catch (e) {
        if (!(e instanceof ProblemError)) throw e;
        problems.push(...e.problems);
        continue;
      }
    } else {
      const hit = await plan.cache.lookup(plan.keys.get(node.id)!);
      file = hit?.outputs[edge.sourcePort];
      if (!file) {
        problems.push({
          code: 'export.not-rendered',
          nodeId: node.id,
          field: edge.sourcePort,
          message: 'this clip was never rendered with the current settings; run `shotgraph render` first',
        });
        continue;
      }
    }
    const info = await probeMedia(file, signal);
    const v = info.video;
    const seconds = v?.frames && v.fps ? v.frames / v.fps : info.durationSec;
    clips.push({ nodeId: node.id, file, seconds });
  }
  return problems.length ? { ok: false, problems } : { ok: true, clips };
}
