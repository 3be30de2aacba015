// Make sequence for the editor (issue 13). Interim rules, kept here only until the engine's
// shared/graph/sequence.ts (branch `sequences`) is merged; then `makeSequenceOf` calls its
// makeSequence. The definition goes into the film's `sequences`, and one `sequence` node takes the
// selected nodes' place: wires that crossed the selection become the instance's ports, and the
// selection's exposed inputs and prompts become the instance's own inputs.
import { ContractError } from '../../shared/contract';
import type { Graph, GraphEdge, GraphNode } from '../../shared/graph/schema';

export interface SequenceDef {
  id: string;
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  inputs: { name: string; node: string; port?: string; field?: string }[];
  outputs: { name: string; node: string; port: string }[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'sequence';

function freeId(taken: Set<string>, base: string): string {
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!taken.has(id)) return id;
  }
}

export function makeSequenceOf(
  graph: Graph,
  ids: string[],
  name: string,
): { graph: Graph; instance: string } {
  const picked = new Set(ids);
  const inner = graph.nodes.filter((n) => picked.has(n.id));
  const missing = ids.filter((id) => !graph.nodes.some((n) => n.id === id));
  if (missing.length) throw new ContractError('sequence.nodes', `no node ${missing.join(', ')} in this film`);
  if (inner.some((n) => n.type === 'final_cut'))
    throw new ContractError(
      'sequence.nodes',
      'a final cut cannot go inside a sequence: leave it out of the selection',
    );
  const existing = ((graph as { sequences?: SequenceDef[] }).sequences ?? []).filter(Boolean);
  const defId = freeId(new Set(existing.map((d) => d.id)), slug(name));
  const instance = freeId(new Set(graph.nodes.map((n) => n.id)), slug(name));
  const def: SequenceDef = { id: defId, name, nodes: inner, edges: [], inputs: [], outputs: [] };
  const outer: GraphEdge[] = [];
  for (const e of graph.edges) {
    const from = picked.has(e.source);
    const to = picked.has(e.target);
    if (from && to) def.edges.push(e);
    else if (to) {
      const port = `${e.target}.${e.targetPort}`;
      if (!def.inputs.some((i) => i.name === port))
        def.inputs.push({ name: port, node: e.target, port: e.targetPort });
      outer.push({ ...e, target: instance, targetPort: port });
    } else if (from) {
      const port = `${e.source}.${e.sourcePort}`;
      if (!def.outputs.some((o) => o.name === port))
        def.outputs.push({ name: port, node: e.source, port: e.sourcePort });
      outer.push({ ...e, source: instance, sourcePort: port });
    } else outer.push(e);
  }
  // What a user changes per instance: the film inputs that pointed inside, and every prompt's text.
  const filmInputs = (
    (graph as { inputs?: { name: string; node: string; field: string }[] }).inputs ?? []
  ).filter(Boolean);
  for (const d of filmInputs)
    if (picked.has(d.node)) def.inputs.push({ name: d.name, node: d.node, field: d.field });
  for (const n of inner)
    if (n.type === 'prompt' && !def.inputs.some((i) => i.node === n.id && i.field === 'text'))
      def.inputs.push({ name: `${n.id}.text`, node: n.id, field: 'text' });
  const xs = inner.map((n) => n.position?.x ?? 0);
  const ys = inner.map((n) => n.position?.y ?? 0);
  const node: GraphNode = {
    id: instance,
    type: 'sequence',
    label: name,
    position: { x: Math.round(Math.min(...xs)), y: Math.round(Math.min(...ys)) },
    params: { sequence: defId, values: {} },
  };
  const next = {
    ...graph,
    nodes: [...graph.nodes.filter((n) => !picked.has(n.id)), node],
    edges: outer,
    sequences: [...existing, def],
    ...(filmInputs.length ? { inputs: filmInputs.filter((d) => !picked.has(d.node)) } : {}),
  } as Graph;
  return { graph: next, instance };
}
