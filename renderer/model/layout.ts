// Auto-layout for films, by ELK's layered algorithm (elkjs): wires run left to right, so a
// shot's last frame feeds the next shot's first frame across, never looping back; ports keep
// their order on their side (inputs left, outputs right); shots are offered to ELK in cut order,
// each preceded by what feeds it, so chains read left to right in the order the film is cut and
// a shot's inputs sit beside it. Pure: the ELK instance (worker or in-process) is the caller's.
import type { ELK, ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import { nodeKind } from '../../shared/nodes';
import type { FilmNode, Wire } from './flow';

const DEFAULT_SIZE = { width: 260, height: 180 };
/** Where ports sit when the canvas has not measured a node: a header, then one row per port. */
const PORT_TOP = 44;
const PORT_ROW = 24;
const GRID = 8;

export interface HandlePositions {
  /** Port name → centre relative to the node's top-left corner, as the canvas measured it. */
  inputs: Record<string, { x: number; y: number }>;
  outputs: Record<string, { x: number; y: number }>;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  // The canvas draws its own wires: ELK's cheapest routing, whose bends are never used.
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '36',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.componentComponent': '120',
  // Network simplex layering keeps wires short: an input lands in the column just before its shot.
  'elk.layered.layering.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // The order nodes are given in (cut order) decides ties between rows.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.separateConnectedComponents': 'true',
  // Fewer crossing-minimisation sweeps: films are mostly chains, and at 1,000 nodes the default
  // (7) costs seconds for crossings the cut order already avoids.
  'elk.layered.thoroughness': '1',
};

/**
 * Nodes in the order ELK should see them: for each final cut, its clips in cut order, each
 * after its own inputs (depth first, iteratively: a 1,000-shot chain must not overflow the stack);
 * then whatever no cut reaches, in document order.
 */
export function cutOrder(nodes: FilmNode[], edges: Wire[]): FilmNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inputs = new Map<string, Wire[]>();
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    (inputs.get(e.target) ?? inputs.set(e.target, []).get(e.target)!).push(e);
  }
  const portRank = (n: FilmNode, port: string | null | undefined) => {
    const i = nodeKind(n.data.kind)?.inputs.findIndex((p) => p.name === port) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sortedInputs = (n: FilmNode) =>
    (inputs.get(n.id) ?? [])
      .map((e, i) => ({ e, i }))
      .sort(
        (a, b) =>
          portRank(n, a.e.targetHandle) - portRank(n, b.e.targetHandle) ||
          (a.e.data?.order ?? a.i) - (b.e.data?.order ?? b.i) ||
          a.i - b.i,
      )
      .map(({ e }) => e.source);

  const out: FilmNode[] = [];
  const done = new Set<string>();
  const visit = (root: FilmNode) => {
    // Post-order without recursion; `entered` marks nodes whose inputs are already stacked, which
    // also stops a cycle (an invalid film, but layout must finish on it).
    const stack: { id: string; expanded: boolean }[] = [{ id: root.id, expanded: false }];
    const entered = new Set<string>();
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (done.has(top.id)) {
        stack.pop();
        continue;
      }
      if (top.expanded) {
        stack.pop();
        done.add(top.id);
        out.push(byId.get(top.id)!);
        continue;
      }
      top.expanded = true;
      entered.add(top.id);
      const srcs = sortedInputs(byId.get(top.id)!);
      for (let i = srcs.length - 1; i >= 0; i--) {
        const s = srcs[i]!;
        if (!done.has(s) && !entered.has(s)) stack.push({ id: s, expanded: false });
      }
    }
  };
  for (const n of nodes) if (n.data.kind === 'final_cut') visit(n);
  // Then chains no cut takes yet, from their last node back, in document order.
  const feeds = new Set(edges.map((e) => e.source));
  for (const n of nodes) if (!feeds.has(n.id)) visit(n);
  for (const n of nodes) visit(n);
  return out;
}

function sizeOf(n: FilmNode) {
  return {
    width: n.measured?.width ?? n.width ?? DEFAULT_SIZE.width,
    height: n.measured?.height ?? n.height ?? DEFAULT_SIZE.height,
  };
}

/** ELK's input: every node with its ports fixed where the canvas draws them. */
export function filmGraph(nodes: FilmNode[], edges: Wire[], handles?: Map<string, HandlePositions>): ElkNode {
  const ids = new Set(nodes.map((n) => n.id));
  const wires = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  // Ports a wire uses although the node's kind does not list them (an unknown kind) still exist.
  const used = new Map<string, { inputs: Set<string>; outputs: Set<string> }>();
  const usedOf = (id: string) =>
    used.get(id) ?? used.set(id, { inputs: new Set(), outputs: new Set() }).get(id)!;
  for (const e of wires) {
    usedOf(e.source).outputs.add(e.sourceHandle ?? '');
    usedOf(e.target).inputs.add(e.targetHandle ?? '');
  }
  const children: ElkNode[] = cutOrder(nodes, wires).map((n) => {
    const { width, height } = sizeOf(n);
    const def = nodeKind(n.data.kind);
    const ins = [...new Set([...(def?.inputs.map((p) => p.name) ?? []), ...(used.get(n.id)?.inputs ?? [])])];
    const outs = [
      ...new Set([...(def?.outputs.map((p) => p.name) ?? []), ...(used.get(n.id)?.outputs ?? [])]),
    ];
    const measured = handles?.get(n.id);
    const rowY = (i: number) => Math.min(height - 1, PORT_TOP + i * PORT_ROW + PORT_ROW / 2);
    const port = (side: 'in' | 'out', name: string, i: number): ElkPort => {
      const at = side === 'in' ? measured?.inputs[name] : measured?.outputs[name];
      return {
        id: portId(n.id, side, name),
        width: 1,
        height: 1,
        x: side === 'in' ? 0 : width - 1,
        y: at ? Math.max(0, Math.min(height - 1, at.y)) : rowY(i),
        layoutOptions: { 'elk.port.side': side === 'in' ? 'WEST' : 'EAST' },
      };
    };
    return {
      id: n.id,
      width,
      height,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: [...ins.map((p, i) => port('in', p, i)), ...outs.map((p, i) => port('out', p, i))],
    };
  });
  const elkEdges: ElkExtendedEdge[] = wires.map((e) => ({
    id: e.id,
    sources: [portId(e.source, 'out', e.sourceHandle ?? '')],
    targets: [portId(e.target, 'in', e.targetHandle ?? '')],
  }));
  return { id: 'film', layoutOptions: LAYOUT_OPTIONS, children, edges: elkEdges };
}

const portId = (node: string, side: 'in' | 'out', port: string) => `${node}\u0000${side}\u0000${port}`;

/** Where each node goes (top-left corners on the canvas's snap grid). */
export async function layoutPositions(
  elk: ELK,
  nodes: FilmNode[],
  edges: Wire[],
  handles?: Map<string, HandlePositions>,
): Promise<Map<string, { x: number; y: number }>> {
  const laid = await elk.layout(filmGraph(nodes, edges, handles));
  const snap = (v: number) => Math.round(v / GRID) * GRID;
  return new Map((laid.children ?? []).map((c) => [c.id, { x: snap(c.x ?? 0), y: snap(c.y ?? 0) }]));
}
