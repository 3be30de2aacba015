// Computes every node's content key in dependency order (see keys.ts for why content, not paths).
import { promises as fs } from 'node:fs';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { incomingEdges, topoOrder } from '../../shared/graph/topology';
import { nodeKind } from '../../shared/nodes/registry';
import { isRemoteUrl } from '../../shared/validate/media-path';
import { hashJson, sha256OfFile } from './keys';
import { projectInput } from './project-path';

/** Bump when the meaning of a key changes, so old cache entries are not mistaken for new ones. */
const KEY_SCHEMA = 1;

export async function computeNodeKeys(
  graph: Graph,
  graphDir: string,
  providerOf: (node: GraphNode) => string | undefined,
  /** A frozen node's kept output: its key replaces the computed one, whatever changed upstream. */
  pinned: (node: GraphNode) => Promise<string | undefined> = async () => undefined,
  opts: { allowOutside?: boolean } = {},
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const id of topoOrder(graph)) {
    const node = byId.get(id)!;
    const pin = node.frozen ? await pinned(node) : undefined;
    if (pin) {
      keys.set(id, pin);
      continue;
    }
    const def = nodeKind(node.type)!;
    const params = def.params.parse(node.params) as Record<string, unknown>;
    let content: unknown;
    if (typeof params.file === 'string') {
      if (isRemoteUrl(params.file)) content = { url: params.file };
      else {
        const abs = await projectInput(graphDir, params.file, { nodeId: id, field: 'file' }, opts);
        const stat = await fs.stat(abs);
        content = { sha256: await sha256OfFile(abs, stat) };
      }
    }
    // Where a file lives or where the film is written never changes what it contains.
    const { provider: _p, file: _f, sha256: _s, output: _o, ...rest } = params;
    const inputs: Record<string, string[]> = {};
    for (const port of def.inputs) {
      const edges = incomingEdges(graph, id, port.name);
      if (edges.length) inputs[port.name] = edges.map((e) => `${keys.get(e.source)}:${e.sourcePort}`);
    }
    keys.set(
      id,
      hashJson({
        v: KEY_SCHEMA,
        kind: node.type,
        params: rest,
        content,
        inputs,
        provider: node.type === 'shot' ? providerOf(node) : undefined,
        take: node.type === 'shot' ? (node.take ?? 1) : undefined,
      }),
    );
  }
  return keys;
}
