// Timeline problems of every final cut that can be known without reading media: settings for clips
// that are not wired in, impossible trims and transitions (against the shots' requested durations),
// a music bed or an output the project-path rule refuses, and clips at a URL (the cut is made
// locally, so ffmpeg would have to fetch them). The engine adds what needs the files
// (validate-timeline.ts, validate-output.ts).
import type { Graph } from '../graph/schema';
import { finalCutParams } from '../nodes/final-cut';
import type { Problem } from '../problems';
import { timelineOf } from '../timeline';
import { isRemoteMedia, isRemoteUrl, mediaPathIssue, outputPathIssue } from './media-path';
import { quoted } from './quoted';

export function timelineProblems(
  graph: Graph,
  opts: {
    allowOutside?: boolean;
    trustedMediaOrigins?: readonly string[];
    lengths?: Record<string, number>;
  } = {},
): Problem[] {
  const problems: Problem[] = [];
  const paths = {
    allowOutside: opts.allowOutside ?? false,
    ...(opts.trustedMediaOrigins ? { trustedOrigins: opts.trustedMediaOrigins } : {}),
  };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const node of graph.nodes) {
    if (node.type !== 'final_cut') continue;
    const parsed = finalCutParams.safeParse(node.params);
    if (!parsed.success) continue; // reported as param problems by the structure check
    problems.push(...timelineOf(graph, node.id, opts.lengths).problems);
    const music = parsed.data.music;
    // A bed is mixed locally, never uploaded: it must be a file beside the graph, not a URL.
    const issue =
      music &&
      (isRemoteMedia(music.file)
        ? {
            code: 'media.outside',
            message: `${quoted(music.file)} is ${isRemoteUrl(music.file) ? 'a URL' : 'an asset id'}; a music bed must be an audio file in the graph's folder`,
          }
        : mediaPathIssue(music.file, paths));
    if (issue)
      problems.push({ code: issue.code, nodeId: node.id, field: 'music.file', message: issue.message });
    const output = parsed.data.output;
    const outIssue = output === undefined ? undefined : outputPathIssue(output, paths);
    if (outIssue)
      problems.push({ code: outIssue.code, nodeId: node.id, field: 'output', message: outIssue.message });
    for (const edge of graph.edges) {
      if (edge.target !== node.id || edge.targetPort !== 'clips') continue;
      const clip = byId.get(edge.source);
      const file = clip?.type === 'video' ? clip.params.file : undefined;
      // A URL the policy refuses is reported once, by the structure check.
      if (typeof file !== 'string' || !isRemoteUrl(file) || mediaPathIssue(file, paths)) continue;
      problems.push({
        code: 'media.url',
        nodeId: edge.source,
        field: 'file',
        message: `${quoted(file)} is a URL, but the final cut "${node.id}" is made on this computer; download the clip into the graph's folder`,
      });
    }
  }
  return problems;
}
