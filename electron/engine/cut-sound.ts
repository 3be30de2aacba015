// Each clip's sound is measured as the clip arrives (media/clip-sound.ts), like its continuity
// figures: while a run waits on its gateways, not all at once before the final cut's pass. The cut
// then pools the film's loudness from figures already known (media/pooled-loudness.ts).
import type { NodeOutput } from '../../shared/events';
import { incomingEdges } from '../../shared/graph/topology';
import type { Graph } from '../../shared/graph/schema';
import { finalCutParams } from '../../shared/nodes/registry';
import { measureCutSoundAhead } from '../media/final-cut';

export class CutSoundAhead {
  /** `node\0port` of every clip joined by a final cut that normalises loudness without a music bed. */
  private readonly clips = new Set<string>();
  private readonly started: Promise<void>[] = [];

  constructor(
    graph: Graph,
    private readonly outputs: ReadonlyMap<string, NodeOutput>,
    private readonly signal?: AbortSignal,
  ) {
    for (const n of graph.nodes) {
      if (n.type !== 'final_cut') continue;
      const params = finalCutParams.safeParse(n.params);
      // A music bed is mixed under the whole film: its loudness is measured on the mix instead.
      if (!params.success || !params.data.loudness.enabled || params.data.music) continue;
      for (const e of incomingEdges(graph, n.id, 'clips')) this.clips.add(`${e.source}\0${e.sourcePort}`);
    }
  }

  /** `nodeId` has its outputs: start measuring those a final cut joins. */
  nodeDone(nodeId: string): void {
    if (this.signal?.aborted) return;
    for (const [port, file] of Object.entries(this.outputs.get(nodeId) ?? {})) {
      if (typeof file === 'string' && this.clips.has(`${nodeId}\0${port}`))
        this.started.push(measureCutSoundAhead(file, this.signal));
    }
  }

  /** Every measurement started has ended (they never fail: the cut measures what is missing). */
  async drain(): Promise<void> {
    await Promise.all(this.started);
  }
}
