// Graph → text with a stable key order and 2-space indent, so saved files diff well in git.
import type { Graph } from './schema';

const TOP_ORDER = ['format', 'version', 'name', 'settings', 'inputs', 'nodes', 'edges'];
const INPUT_ORDER = ['name', 'description', 'node', 'field', 'default'];
const NODE_ORDER = ['id', 'type', 'label', 'scene', 'position', 'frozen', 'take', 'params'];
const EDGE_ORDER = ['source', 'sourcePort', 'target', 'targetPort', 'order'];

function ordered(obj: Record<string, unknown>, first: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj).sort()) if (!(k in out) && obj[k] !== undefined) out[k] = sortKeys(obj[k]);
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return ordered(value as Record<string, unknown>, []);
  return value;
}

export function serializeGraph(graph: Graph): string {
  const doc = ordered(
    {
      ...graph,
      // Values under fixed-order keys are not sorted by `ordered`, so sort the nested objects here.
      settings: sortKeys(graph.settings),
      inputs: graph.inputs?.map((i) => ordered(i, INPUT_ORDER)),
      nodes: graph.nodes.map((n) =>
        ordered({ ...n, position: sortKeys(n.position), params: sortKeys(n.params) }, NODE_ORDER),
      ),
      edges: graph.edges.map((e) => ordered(e, EDGE_ORDER)),
    },
    TOP_ORDER,
  );
  return JSON.stringify(doc, null, 2) + '\n';
}
