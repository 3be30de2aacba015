// The final cut as the renderer will lay it out (shared/timeline.ts), recomputed when the film
// changes. Clip lengths: a shot's requested duration, else the probed length of its clip (a video
// node's file, an "auto" shot's render) once a poster of it has been fetched.
import { useMemo } from 'react';
import type { Graph } from '../../../shared/graph/schema';
import { timelineOf, type Timeline } from '../../../shared/timeline';
import { currentGraph } from '../../actions/files';
import { orderedWires } from '../../model/film';
import { useDocument, type DocumentState } from '../../stores/document';
import { knownSeconds, usePosters } from '../../stores/posters';
import { nodeOutputs } from '../../nodes/useNodeStatus';
import { useFilmStatus } from '../../stores/film-status';
import { useRun } from '../../stores/run';

const selectRevision = (s: { revision: number }) => s.revision;
const selectPosters = (s: { byClip: object }) => s.byClip;
const selectRuns = (s: { nodes: object }) => s.nodes;
const selectStatus = (s: { nodes: object }) => s.nodes;

/**
 * The film as a graph, converted once per change of the document's content: a big film has a cut
 * card per film on the canvas, and each converting the whole document again made opening it (and
 * every run event) quadratic.
 */
let converted: { from: DocumentState; graph: Graph } | undefined;
const CONTENT = ['nodes', 'edges', 'name', 'extra', 'scope'] as const;

function filmGraph(s: DocumentState): Graph {
  if (converted && CONTENT.every((k) => converted!.from[k] === s[k])) return converted.graph;
  converted = { from: s, graph: currentGraph() };
  return converted.graph;
}

export function useCutTimeline(cut: string | null): Timeline | null {
  const revision = useDocument(selectRevision);
  const posters = usePosters(selectPosters);
  const runs = useRun(selectRuns);
  const known = useFilmStatus(selectStatus);
  return useMemo(() => {
    const s = useDocument.getState();
    if (!cut || !s.nodes.some((n) => n.id === cut && n.data.kind === 'final_cut')) return null;
    const lengths: Record<string, number> = {};
    for (const w of orderedWires(s.edges, cut, 'clips')) {
      const n = s.nodes.find((x) => x.id === w.source);
      if (!n) continue;
      const seconds =
        n.data.kind === 'video'
          ? knownSeconds(n.data.params.file as string | undefined, s.path)
          : n.data.kind === 'shot' && typeof n.data.params.duration !== 'number'
            ? knownSeconds(nodeOutputs(n.id, 'shot')?.video)
            : undefined;
      if (seconds !== undefined) lengths[n.id] = seconds;
    }
    return timelineOf(filmGraph(s), cut, lengths);
    // revision, posters, runs and the film status are read through getState: they are listed so
    // that a new revision or a newly known clip length lays the cut out again.
  }, [cut, revision, posters, runs, known]);
}
