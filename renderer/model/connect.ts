// Whether a new wire may be drawn, and if not, why — decided by the same shared rules the
// validator applies to a saved file (type, cardinality, cycle, Seedance mode exclusivity).
import { GRAPH_VERSION, type Graph, type GraphEdge } from '../../shared/graph/schema';
import { findCycles } from '../../shared/graph/topology';
import { inputPort, maxInputs, nodeKind, outputPort } from '../../shared/nodes';
import { validateStructure } from '../../shared/validate/structure';
import type { FilmNode, Wire } from './flow';

export interface WireRequest {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** Problem codes a single new wire can introduce. */
const WIRE_RULES = new Set(['edge.type', 'edge.unknown-port', 'port.too-many', 'shot.mode']);

export function wireRefusal(nodes: FilmNode[], edges: Wire[], w: WireRequest): string | undefined {
  if (w.source === w.target) return 'a node cannot feed itself';
  const src = nodes.find((n) => n.id === w.source);
  const dst = nodes.find((n) => n.id === w.target);
  if (!src || !dst) return 'that node no longer exists';
  if (!nodeKind(src.data.kind) || !nodeKind(dst.data.kind)) return 'unknown node kinds cannot be wired';
  if (
    edges.some(
      (e) =>
        e.source === w.source &&
        e.sourceHandle === w.sourcePort &&
        e.target === w.target &&
        e.targetHandle === w.targetPort,
    )
  ) {
    return 'these ports are already wired';
  }
  const out = outputPort(src.data.kind, w.sourcePort);
  const inp = inputPort(dst.data.kind, w.targetPort);
  if (out && inp && out.type === inp.type && maxInputs(inp) === 1) {
    const taken = edges.some((e) => e.target === w.target && e.targetHandle === w.targetPort);
    if (taken)
      return `${inp.label} already has an input; a ${dst.data.kind === 'shot' ? 'shot' : 'node'} takes one ${inp.label} (remove the wire first)`;
  }
  const local = localProblems(nodes, edges, w.target);
  const after = localProblems(nodes, [...edges, asWire(w)], w.target);
  const added = after.find((p) => !local.some((q) => q.code === p.code && q.message === p.message));
  // Shared messages start with the edge ("a.text → b.first_frame: …"); the toast already names it.
  if (added) return added.message.replace(/^\S+ → \S+: /, '');
  const withWire = graphOf(nodes, [...edges.map(toGraphEdge), w as GraphEdge]);
  const cycle = findCycles(withWire).find((c) => c.includes(w.source) && c.includes(w.target));
  if (cycle)
    return `this wire would close a loop: ${[...cycle, cycle[0]].join(' → ')}; a shot cannot depend on itself`;
  return undefined;
}

/** Wire rules for one node, checked on just that node and its inputs (cheap on big graphs). */
function localProblems(nodes: FilmNode[], edges: Wire[], target: string) {
  const incoming = edges.filter((e) => e.target === target);
  const ids = new Set([target, ...incoming.map((e) => e.source)]);
  const g = graphOf(
    nodes.filter((n) => ids.has(n.id)),
    incoming.map(toGraphEdge),
  );
  return validateStructure(g).filter(
    (p) => WIRE_RULES.has(p.code) && (p.nodeId === target || p.code === 'edge.type'),
  );
}

function graphOf(nodes: FilmNode[], edges: GraphEdge[]): Graph {
  return {
    format: 'shotgraph',
    version: GRAPH_VERSION,
    name: '',
    nodes: nodes.map((n) => ({ id: n.id, type: n.data.kind, params: n.data.params })),
    edges,
  };
}

function toGraphEdge(e: Wire): GraphEdge {
  return {
    source: e.source,
    sourcePort: e.sourceHandle ?? '',
    target: e.target,
    targetPort: e.targetHandle ?? '',
  };
}

function asWire(w: WireRequest): Wire {
  return {
    id: 'new',
    source: w.source,
    target: w.target,
    sourceHandle: w.sourcePort,
    targetHandle: w.targetPort,
  };
}
