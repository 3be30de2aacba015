// The cast's media on disk, checked like media nodes (validate-media.ts: the project-path rule, then
// what ffprobe says a Seedance input must be), each problem naming the member's field.
import { castField } from '../../shared/cast';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { isRemoteUrl } from '../../shared/validate/media-path';
import { validateMedia, type MediaCheckOptions } from './validate-media';

export async function validateCastMedia(
  graph: Graph,
  graphDir: string,
  opts: Omit<MediaCheckOptions, 'skip'> & { skip?: ReadonlySet<string> } = {},
): Promise<Problem[]> {
  // Each file becomes a stand-in media node whose id says where it came from.
  const nodes: GraphNode[] = [];
  const where = new Map<string, { field: string; name: string }>();
  (graph.cast ?? []).forEach((member, i) => {
    const files: [string, 'image' | 'audio', string][] = member.images.map((f, j) => [
      f,
      'image',
      `images[${j}]`,
    ]);
    if (member.voice) files.push([member.voice, 'audio', 'voice']);
    for (const [file, type, part] of files) {
      const field = castField(i, part);
      if (isRemoteUrl(file) || opts.skip?.has(field)) continue;
      nodes.push({ id: field, type, params: { file } });
      where.set(field, { field, name: member.name });
    }
  });
  if (!nodes.length) return [];
  const found = await validateMedia({ ...graph, nodes, edges: [] }, graphDir, {
    ...(opts.allowOutside !== undefined ? { allowOutside: opts.allowOutside } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return found.map((p) => {
    const at = p.nodeId ? where.get(p.nodeId) : undefined;
    if (!at) return p;
    const { nodeId: _n, ...rest } = p;
    return { ...rest, field: at.field, message: `@${at.name}: ${p.message}` };
  });
}
