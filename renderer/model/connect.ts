// Whether a new wire may be drawn, and if not, why — decided by the same shared rules the
// validator applies to a saved file (type, cardinality, cycle, Seedance mode exclusivity).
import { GRAPH_VERSION, type Graph, type GraphEdge } from '../../shared/graph/schema';
import { findCycles } from '../../shared/graph/topology';
import {
  SEQUENCE_KIND,
  SEQUENCE_SEP,
  sequencePorts,
  type SequenceLibrary,
} from '../../shared/graph/sequence';
import { inputPort, maxInputs, nodeKind, outputPort, type PortDef } from '../../shared/nodes';
import { validateStructure } from '../../shared/validate/structure';
import type { FilmNode, Wire } from './flow';
import { defLookup } from './scope';

export interface WireRequest {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** Problem codes a single new wire can introduce (`sequence.invalid`: a port an instance lacks). */
const WIRE_RULES = new Set([
  'edge.type',
  'edge.unknown-port',
  'port.too-many',
  'shot.mode',
  'sequence.invalid',
]);

/**
 * The sequences the wire's nodes may use: the film's own definitions and the library files the host
 * has read. A sequence instance is judged flattened, by the same rules as a saved file.
 */
export interface WireContext {
  sequences?: unknown[];
  library?: SequenceLibrary;
}

/** A node's port on one side: from the registry, or from its definition for a sequence instance. */
export function portOf(
  node: FilmNode,
  side: 'inputs' | 'outputs',
  port: string,
  ctx: WireContext = {},
): PortDef | undefined {
  if (node.data.kind !== SEQUENCE_KIND)
    return side === 'inputs' ? inputPort(node.data.kind, port) : outputPort(node.data.kind, port);
  const lookup = lookupOf(ctx);
  const def = lookup(String(node.data.params.sequence ?? ''));
  return def && sequencePorts(def, lookup)[side].find((p) => p.name === port);
}

/** A node's ports on one side, in the order its card shows them. */
export function portsOf(node: FilmNode, side: 'inputs' | 'outputs', ctx: WireContext = {}): PortDef[] {
  if (node.data.kind !== SEQUENCE_KIND) return nodeKind(node.data.kind)?.[side] ?? [];
  const lookup = lookupOf(ctx);
  const def = lookup(String(node.data.params.sequence ?? ''));
  return def ? sequencePorts(def, lookup)[side] : [];
}

/**
 * A light card (zoomed out, model/detail.ts) has one drop zone per side instead of a handle per
 * port; a wire started from or dropped on a zone lands on a port of that side (landWire).
 */
export const DROP_ZONE = { inputs: '@in', outputs: '@out' } as const;

export const isDropZone = (port: string): boolean => port === DROP_ZONE.inputs || port === DROP_ZONE.outputs;

export type Landing = { wire: WireRequest; refusal?: undefined } | { wire?: undefined; refusal: string };

/**
 * Where a wire lands: as asked, or, on a drop zone, on the first port of that side (in card order)
 * that the wire rules (wireRefusal) accept, so a zoomed-out drop wires what a drop on that port
 * would. Refused: the reason for the first port that takes the wire's type, else for the first.
 */
export function landWire(nodes: FilmNode[], edges: Wire[], w: WireRequest, ctx: WireContext = {}): Landing {
  if (!isDropZone(w.sourcePort) && !isDropZone(w.targetPort)) {
    const refusal = wireRefusal(nodes, edges, w, ctx);
    return refusal ? { refusal } : { wire: w };
  }
  const src = nodes.find((n) => n.id === w.source);
  const dst = nodes.find((n) => n.id === w.target);
  if (!src || !dst) return { refusal: 'that node no longer exists' };
  const side = (node: FilmNode, dir: 'inputs' | 'outputs', port: string) =>
    isDropZone(port) ? portsOf(node, dir, ctx) : [portOf(node, dir, port, ctx) ?? { name: port }];
  let first: string | undefined;
  let sameType: string | undefined;
  for (const inp of side(dst, 'inputs', w.targetPort))
    for (const out of side(src, 'outputs', w.sourcePort)) {
      const req = { ...w, sourcePort: out.name, targetPort: inp.name };
      const refusal = wireRefusal(nodes, edges, req, ctx);
      if (!refusal) return { wire: req };
      first ??= refusal;
      if ('type' in out && 'type' in inp && out.type === inp.type) sameType ??= refusal;
    }
  return { refusal: sameType ?? first ?? `${dst.id} has no input for this wire` };
}

const lookupOf = (ctx: WireContext) => defLookup({ sequences: ctx.sequences }, ctx.library ?? new Map());

export function wireRefusal(
  nodes: FilmNode[],
  edges: Wire[],
  w: WireRequest,
  ctx: WireContext = {},
): string | undefined {
  if (w.source === w.target) return 'a node cannot feed itself';
  const src = nodes.find((n) => n.id === w.source);
  const dst = nodes.find((n) => n.id === w.target);
  if (!src || !dst) return 'that node no longer exists';
  for (const n of [src, dst]) {
    if (n.data.kind === SEQUENCE_KIND) {
      const ref = String(n.data.params.sequence ?? '');
      if (!lookupOf(ctx)(ref)) return `the sequence ${ref} has not been read, so its ports are not known yet`;
    } else if (!nodeKind(n.data.kind)) return 'unknown node kinds cannot be wired';
  }
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
  const out = portOf(src, 'outputs', w.sourcePort, ctx);
  const inp = portOf(dst, 'inputs', w.targetPort, ctx);
  if (out && inp && out.type === inp.type && maxInputs(inp) === 1) {
    const taken = edges.some((e) => e.target === w.target && e.targetHandle === w.targetPort);
    if (taken)
      return `${inp.label} already has an input; a ${dst.data.kind === 'shot' ? 'shot' : 'node'} takes one ${inp.label} (remove the wire first)`;
  }
  const local = localProblems(nodes, edges, w.target, ctx);
  const after = localProblems(nodes, [...edges, asWire(w)], w.target, ctx);
  const added = after.find((p) => !local.some((q) => q.code === p.code && q.message === p.message));
  // Shared messages start with the edge ("a.text → b.first_frame: …"); the toast already names it.
  if (added) return added.message.replace(/^(\S+ → \S+|edge #\d+): /, '');
  const withWire = graphOf(nodes, [...edges.map(toGraphEdge), w as GraphEdge]);
  const cycle = findCycles(withWire).find((c) => c.includes(w.source) && c.includes(w.target));
  if (cycle)
    return `this wire would close a loop: ${[...cycle, cycle[0]].join(' → ')}; a shot cannot depend on itself`;
  return undefined;
}

/**
 * Wire rules for one node, checked on just that node and its inputs (cheap on big graphs). A sequence
 * instance is flattened first, so a wire into its port is judged at the inner port it reaches.
 */
function localProblems(nodes: FilmNode[], edges: Wire[], target: string, ctx: WireContext) {
  const incoming = edges.filter((e) => e.target === target);
  const ids = new Set([target, ...incoming.map((e) => e.source)]);
  const g = graphOf(
    nodes.filter((n) => ids.has(n.id)),
    incoming.map(toGraphEdge),
    ctx.sequences,
  );
  const inside = `${target}${SEQUENCE_SEP}`;
  return validateStructure(g, ctx.library ? { library: ctx.library } : {}).filter(
    (p) =>
      WIRE_RULES.has(p.code) &&
      (p.nodeId === target ||
        !!p.nodeId?.startsWith(inside) ||
        p.code === 'edge.type' ||
        p.code === 'sequence.invalid'),
  );
}

function graphOf(nodes: FilmNode[], edges: GraphEdge[], sequences?: unknown[]): Graph {
  return {
    format: 'shotgraph',
    version: GRAPH_VERSION,
    name: '',
    nodes: nodes.map((n) => ({ id: n.id, type: n.data.kind, params: n.data.params })),
    edges,
    ...(sequences ? { sequences } : {}),
  } as Graph;
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
