// Structural edits of the film: every one is a single undoable step.
import { nodeKind, NODE_KINDS } from '../../shared/nodes';
import { copySelection, materialise, type Clip } from '../model/clipboard';
import { portOf, wireRefusal, type WireRequest } from '../model/connect';
import { wireId, type FilmNode, type Wire } from '../model/flow';
import { withoutInputsOn } from '../model/inputs';
import { newNodeParams } from '../model/gateway';
import { nextNodeId } from '../model/ids';
import { edit, useDocument } from '../stores/document';
import { wireContext } from '../stores/library';
import { toast } from '../stores/ui';
import { viewCentre } from './viewport';

export function addNode(kind: string, position?: { x: number; y: number }): string {
  const def = nodeKind(kind);
  if (!def) throw new Error(`unknown node kind ${kind}`);
  const { nodes } = useDocument.getState();
  const id = nextNodeId(
    kind,
    nodes.map((n) => n.id),
  );
  const at = position ?? freeSpot(nodes, viewCentre());
  const node: FilmNode = {
    id,
    type: kind,
    position: { x: Math.round(at.x), y: Math.round(at.y) },
    data: { kind, params: newNodeParams(kind, useDocument.getState().extra), extra: {} },
    selected: true,
  };
  edit((s) => ({ nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] }));
  return id;
}

/** Palette clicks land near the centre of the view, in the first gap free of other nodes. */
function freeSpot(nodes: FilmNode[], centre: { x: number; y: number }) {
  const w = 300;
  const h = 230;
  const start = { x: centre.x - 130, y: centre.y - 90 };
  const hits = (p: { x: number; y: number }) =>
    nodes.some((n) => {
      const nw = n.measured?.width ?? 260;
      const nh = n.measured?.height ?? 180;
      return (
        p.x < n.position.x + nw + 24 &&
        n.position.x < p.x + w - 24 &&
        p.y < n.position.y + nh + 24 &&
        n.position.y < p.y + h - 24
      );
    });
  for (let ring = 0; ring < 8; ring++) {
    for (let row = 0; row <= ring; row++) {
      const p = { x: start.x + (ring - row) * w, y: start.y + row * h };
      if (!hits(p)) return p;
    }
  }
  return { x: start.x + 40, y: start.y + 40 };
}

/** Draws a wire, or refuses it and says why. Returns whether it was drawn. */
export function connect(w: WireRequest): boolean {
  const { nodes, edges } = useDocument.getState();
  const ctx = wireContext();
  const reason = wireRefusal(nodes, edges, w, ctx);
  if (reason) {
    toast(`Can't connect ${w.source}.${w.sourcePort} → ${w.target}.${w.targetPort}: ${reason}`, 'error');
    return false;
  }
  const src = nodes.find((n) => n.id === w.source)!;
  const dst = nodes.find((n) => n.id === w.target)!;
  const port = portOf(dst, 'inputs', w.targetPort, ctx);
  const siblings = edges.filter((e) => e.target === w.target && e.targetHandle === w.targetPort);
  const order = port?.multi ? Math.max(-1, ...siblings.map((e, i) => e.data?.order ?? i)) + 1 : undefined;
  const wire: Wire = {
    id: wireId(w.source, w.sourcePort, w.target, w.targetPort),
    source: w.source,
    target: w.target,
    sourceHandle: w.sourcePort,
    targetHandle: w.targetPort,
    data: {
      extra: {},
      portType: portOf(src, 'outputs', w.sourcePort, ctx)?.type,
      ...(order !== undefined ? { order } : {}),
    },
  };
  edit((s) => ({ edges: [...s.edges, wire] }));
  return true;
}

/** The first port of `kind` that can take (or give) a wire of `type`, for wiring from search. */
export function compatiblePort(kind: string, type: string, side: 'input' | 'output'): string | undefined {
  const def = NODE_KINDS[kind as keyof typeof NODE_KINDS];
  return (side === 'input' ? def?.inputs : def?.outputs)?.find((p) => p.type === type)?.name;
}

export function deleteSelection(): void {
  const { nodes, edges } = useDocument.getState();
  const gone = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
  const wires = edges.filter((e) => e.selected || gone.has(e.source) || gone.has(e.target));
  if (!gone.size && !wires.length) return;
  const dropped = new Set(wires.map((e) => e.id));
  // Inputs that point at a deleted node go with it, in the same undo step (the engine would flag
  // them as dangling): the film's own, or the open sequence's when the canvas shows one.
  edit((s) => ({
    nodes: s.nodes.filter((n) => !gone.has(n.id)),
    edges: s.edges.filter((e) => !dropped.has(e.id)),
    ...withoutInputsOn(s.extra, s.scope, gone),
  }));
}

export function selectAll(): void {
  useDocument.setState((s) => ({ nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })) }));
}

export function selectOnly(id: string): void {
  useDocument.setState((s) => ({
    nodes: s.nodes.map((n) => (Boolean(n.selected) === (n.id === id) ? n : { ...n, selected: n.id === id })),
  }));
}

export function pasteClip(clip: Clip, offset = { x: 48, y: 48 }): void {
  const { nodes } = useDocument.getState();
  const made = materialise(clip, nodes, offset);
  edit((s) => ({
    nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...made.nodes],
    edges: [...s.edges, ...made.edges],
  }));
}

export function duplicateSelection(): void {
  const { nodes, edges } = useDocument.getState();
  const clip = copySelection(nodes, edges);
  if (clip) pasteClip(clip);
}

export function setParam(id: string, key: string, value: unknown): void {
  edit(
    (s) => ({
      nodes: s.nodes.map((n) => {
        if (n.id !== id) return n;
        const params = { ...n.data.params };
        if (value === undefined) delete params[key];
        else params[key] = value;
        return { ...n, data: { ...n.data, params } };
      }),
    }),
    `param:${id}:${key}`,
  );
}

export function setParams(id: string, patch: Record<string, unknown>): void {
  edit((s) => ({
    nodes: s.nodes.map((n) =>
      n.id === id ? { ...n, data: { ...n.data, params: { ...n.data.params, ...patch } } } : n,
    ),
  }));
}

export function setLabel(id: string, label: string): void {
  edit(
    (s) => ({
      nodes: s.nodes.map((n) =>
        n.id === id ? { ...n, data: { ...n.data, ...(label ? { label } : { label: undefined }) } } : n,
      ),
    }),
    `label:${id}`,
  );
}

export function renameFilm(name: string): void {
  edit(() => ({ name }), 'film-name');
}

/** Moves a clip of a multi-input port (final cut order) one place earlier or later. */
export function moveWire(wire: string, delta: -1 | 1): void {
  const { edges } = useDocument.getState();
  const w = edges.find((e) => e.id === wire);
  if (!w) return;
  const siblings = edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.target === w.target && e.targetHandle === w.targetHandle)
    .sort((a, b) => (a.e.data?.order ?? a.i) - (b.e.data?.order ?? b.i) || a.i - b.i)
    .map(({ e }) => e.id);
  const from = siblings.indexOf(wire);
  const to = from + delta;
  if (to < 0 || to >= siblings.length) return;
  [siblings[from], siblings[to]] = [siblings[to]!, siblings[from]!];
  const rank = new Map(siblings.map((id, i) => [id, i]));
  edit((s) => ({
    edges: s.edges.map((e) =>
      rank.has(e.id) ? { ...e, data: { extra: {}, ...e.data, order: rank.get(e.id)! } } : e,
    ),
  }));
}

/** A shot's scene on the storyboard; empty takes it out of any scene. */
export function setScene(id: string, scene: string): void {
  edit(
    (s) => ({
      nodes: s.nodes.map((n) => {
        if (n.id !== id) return n;
        const { scene: _old, ...extra } = n.data.extra;
        return { ...n, data: { ...n.data, extra: scene ? { ...extra, scene } : extra } };
      }),
    }),
    `scene:${id}`,
  );
}

/** Freezes a shot: the engine keeps its current clip whatever changes upstream (issue 4). */
/** Marks a keyframe or shot as a gate: paid work after it waits for an approved take. */
export function setNeedsApproval(id: string, gate: boolean): void {
  edit((s) => ({
    nodes: s.nodes.map((n) => {
      if (n.id !== id) return n;
      const { needsApproval: _old, approved: _approved, ...extra } = n.data.extra;
      return { ...n, data: { ...n.data, extra: gate ? { ...n.data.extra, needsApproval: true } : extra } };
    }),
  }));
}

export function setFrozen(id: string, frozen: boolean): void {
  edit((s) => ({
    nodes: s.nodes.map((n) => {
      if (n.id !== id) return n;
      const { frozen: _old, ...extra } = n.data.extra;
      return { ...n, data: { ...n.data, extra: frozen ? { ...extra, frozen: true } : extra } };
    }),
  }));
}
