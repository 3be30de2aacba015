// Builds a provider's ShotRequest from a shot node and the outputs wired into it, in port order,
// so "image 1" in a prompt means the first image the user wired.
import type { NodeOutput } from '../../shared/events';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { incomingEdges } from '../../shared/graph/topology';
import { shotParams } from '../../shared/nodes/registry';
import { isRemoteMedia } from '../../shared/validate/media-path';
import type { MediaRef, ShotRequest, ShotSlate } from '../providers/types';

function ref(value: string): MediaRef {
  return isRemoteMedia(value) ? { url: value } : { path: value };
}

export function buildShotRequest(
  graph: Graph,
  node: GraphNode,
  key: string,
  outputs: Map<string, NodeOutput>,
): ShotRequest {
  const params = shotParams.parse(node.params);
  const inputs = (port: string): string[] =>
    incomingEdges(graph, node.id, port).map((e) => {
      const value = outputs.get(e.source)?.[e.sourcePort];
      if (value === undefined) throw new Error(`input "${port}" from "${e.source}" has no output yet`);
      return value;
    });
  const [firstFrame] = inputs('first_frame');
  const [lastFrame] = inputs('last_frame');
  return {
    nodeId: node.id,
    key,
    prompt: inputs('prompt').join('\n').trim(),
    ...(firstFrame ? { firstFrame: ref(firstFrame) } : {}),
    ...(lastFrame ? { lastFrame: ref(lastFrame) } : {}),
    referenceImages: inputs('reference_images').map(ref),
    referenceVideos: inputs('reference_videos').map(ref),
    referenceAudios: inputs('reference_audios').map(ref),
    model: params.model,
    duration: params.duration,
    ratio: params.ratio,
    resolution: params.resolution,
    generateAudio: params.generate_audio,
    seed: params.seed,
    watermark: params.watermark,
    slate: slateOf(graph, node),
  };
}

/** Scene, number in the cut and label for the animatic's slate; outside the key (see ShotSlate). */
export function slateOf(graph: Graph, node: GraphNode): ShotSlate {
  let shot: number | undefined;
  for (const cut of graph.nodes) {
    if (cut.type !== 'final_cut') continue;
    const at = incomingEdges(graph, cut.id, 'clips').findIndex((e) => e.source === node.id);
    if (at >= 0) {
      shot = at + 1;
      break;
    }
  }
  return {
    ...(node.scene?.trim() ? { scene: node.scene.trim() } : {}),
    ...(shot !== undefined ? { shot } : {}),
    ...(node.label?.trim() ? { label: node.label.trim() } : {}),
  };
}
