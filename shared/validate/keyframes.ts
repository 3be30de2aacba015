// Checks of keyframes and seams that need no files (docs/architecture.md §4): a keyframe's size for
// its model, a set that fits one Seedream request, frames wired that the set does not make, and a
// shot's declared seam against what is wired into its first frame.
import type { Graph, GraphNode } from '../graph/schema';
import { edgesInto } from '../graph/topology';
import { frameNumber, keyframeParams } from '../nodes/keyframe';
import { shotParams } from '../nodes/registry';
import type { Problem } from '../problems';
import { SEEDREAM_MAX_IMAGES, seedreamSizeIssue } from '../seedance/seedream';

export function keyframeProblems(graph: Graph): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const refs = new Map<string, number>();
  for (const e of graph.edges)
    if (e.targetPort === 'reference_images') refs.set(e.target, (refs.get(e.target) ?? 0) + 1);

  for (const node of graph.nodes) {
    if (node.type !== 'keyframe') continue;
    const parsed = keyframeParams.safeParse(node.params);
    if (!parsed.success) continue; // the param check names the field
    const p = parsed.data;
    const sizeIssue = seedreamSizeIssue(p.model, p.size);
    if (sizeIssue)
      problems.push({ code: 'keyframe.size', nodeId: node.id, field: 'size', message: sizeIssue });
    const inputs = refs.get(node.id) ?? 0;
    if (inputs + p.count > SEEDREAM_MAX_IMAGES) {
      problems.push({
        code: 'keyframe.count',
        nodeId: node.id,
        field: 'count',
        message: `${inputs} reference image${inputs === 1 ? '' : 's'} and ${p.count} frames make ${inputs + p.count}; one Seedream request holds at most ${SEEDREAM_MAX_IMAGES} images in and out`,
      });
    }
  }

  graph.edges.forEach((e, i) => {
    const src = byId.get(e.source);
    if (src?.type !== 'keyframe') return;
    const n = frameNumber(e.sourcePort);
    const parsed = keyframeParams.safeParse(src.params);
    if (n === undefined || !parsed.success || n <= parsed.data.count) return;
    problems.push({
      code: 'keyframe.frame',
      nodeId: src.id,
      field: `edges[${i}]`,
      message: `"${e.target}" takes frame ${n} of a set of ${parsed.data.count}; raise count to ${n} or wire an earlier frame`,
    });
  });

  const into = edgesInto(graph);
  for (const node of graph.nodes) if (node.type === 'shot') problems.push(...seamProblems(into, byId, node));
  return problems;
}

function seamProblems(
  into: ReturnType<typeof edgesInto>,
  byId: Map<string, GraphNode>,
  shot: GraphNode,
): Problem[] {
  const parsed = shotParams.safeParse(shot.params);
  if (!parsed.success) return [];
  const seam = parsed.data.seam;
  const first = into(shot.id, 'first_frame')[0];
  const source = first ? byId.get(first.source) : undefined;
  if (seam === 'keyframe' && source?.type !== 'keyframe') {
    return [
      {
        code: 'shot.seam',
        nodeId: shot.id,
        field: 'seam',
        message: source
          ? `the seam is "keyframe" but its first frame comes from ${source.type} "${source.id}"; wire a keyframe's image into first_frame`
          : 'the seam is "keyframe" but no keyframe is wired into first_frame',
      },
    ];
  }
  if (seam === 'free' && first) {
    return [
      {
        code: 'shot.seam',
        nodeId: shot.id,
        field: 'seam',
        message: `the seam is "free" but "${first.source}" is wired into first_frame; remove that wire or choose the seam "${source?.type === 'keyframe' ? 'keyframe' : 'last-frame'}"`,
      },
    ];
  }
  if (seam === 'last-frame' && source?.type === 'keyframe') {
    return [
      {
        code: 'shot.seam',
        nodeId: shot.id,
        field: 'seam',
        message: `its first frame is keyframe "${source.id}", not a last frame; set the seam to "keyframe"`,
      },
    ];
  }
  return [];
}
