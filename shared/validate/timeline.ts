// Timeline problems of every final cut that can be known without reading media: settings for clips
// that are not wired in, impossible trims and transitions (against the shots' requested durations)
// and a music bed outside the graph's folder. The engine adds what needs the files (validate-timeline.ts).
import type { Graph } from '../graph/schema';
import { finalCutParams } from '../nodes/final-cut';
import type { Problem } from '../problems';
import { timelineOf } from '../timeline';
import { isRemoteUrl, mediaPathProblem } from './media-path';

export function timelineProblems(
  graph: Graph,
  opts: { allowOutside?: boolean; lengths?: Record<string, number> } = {},
): Problem[] {
  const problems: Problem[] = [];
  for (const node of graph.nodes) {
    if (node.type !== 'final_cut') continue;
    const parsed = finalCutParams.safeParse(node.params);
    if (!parsed.success) continue; // reported as param problems by the structure check
    problems.push(...timelineOf(graph, node.id, opts.lengths).problems);
    const music = parsed.data.music;
    // A bed is mixed locally, never uploaded: it must be a file beside the graph, not a URL.
    const reason =
      music &&
      (isRemoteUrl(music.file)
        ? `"${music.file}" is a URL; a music bed must be an audio file in the graph's folder`
        : mediaPathProblem(music.file, opts.allowOutside ?? false));
    if (reason)
      problems.push({ code: 'media.outside', nodeId: node.id, field: 'music.file', message: reason });
  }
  return problems;
}
