// The canvas's xyflow instance, for actions that need the viewport (fit view, centre, drop points).
import { getViewportForBounds, type ReactFlowInstance } from '@xyflow/react';
import type { FilmNode, Wire } from '../model/flow';

let flow: ReactFlowInstance<FilmNode, Wire> | null = null;
/**
 * An aim and a fit asked for before the canvas was up: a film opened from the page address can be
 * read before xyflow's onInit, and was then left at zoom 1 with a few cards drawn. Done at init.
 */
let pending: { aim?: FilmNode[]; fit?: boolean } = {};

export function setFlow(instance: ReactFlowInstance<FilmNode, Wire> | null): void {
  flow = instance;
  if (!instance) return;
  const { aim, fit } = pending;
  pending = {};
  if (aim) aimAt(aim);
  if (fit) fitView();
}

export function getFlow(): ReactFlowInstance<FilmNode, Wire> | null {
  return flow;
}

export function fitView(): void {
  if (!flow) pending.fit = true;
  else void flow.fitView({ padding: 0.15, duration: 200, maxZoom: 1.2 });
}

/** Centre of the visible canvas in flow coordinates, where palette clicks drop new nodes. */
export function viewCentre(): { x: number; y: number } {
  const el = document.querySelector('.react-flow');
  if (!flow || !el) return { x: 0, y: 0 };
  const r = el.getBoundingClientRect();
  return flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
}

/**
 * Points the view at where `nodes` will be before they are drawn, from their positions and a
 * typical size, so a big film is not first drawn at the wrong place and then redrawn.
 */
export function aimAt(nodes: FilmNode[]): void {
  if (!flow) pending.aim = nodes;
  const el = document.querySelector('.react-flow');
  if (!flow || !el || !nodes.length) return;
  const xs = nodes.map((n) => n.position.x);
  const ys = nodes.map((n) => n.position.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  const bounds = { x, y, width: Math.max(...xs) - x + 280, height: Math.max(...ys) - y + 240 };
  const r = el.getBoundingClientRect();
  void flow.setViewport(getViewportForBounds(bounds, r.width, r.height, 0.08, 1.2, 0.15));
}

/** Brings node `id` into view (same zoom) when it is not already wholly on screen, or always. */
export function revealNode(id: string, always = false): void {
  const el = document.querySelector('.react-flow');
  const n = flow?.getInternalNode(id);
  if (!flow || !el || !n) return;
  const pos = n.internals.positionAbsolute;
  const w = n.measured.width ?? 260;
  const h = n.measured.height ?? 300;
  const r = el.getBoundingClientRect();
  const a = flow.flowToScreenPosition(pos);
  const b = flow.flowToScreenPosition({ x: pos.x + w, y: pos.y + h });
  if (!always && a.x >= r.left && a.y >= r.top && b.x <= r.right && b.y <= r.bottom) return;
  // A node taller than the view shows its top (header and ports) rather than its middle.
  const zoom = flow.getZoom();
  const viewH = r.height / zoom;
  const y = h <= viewH * 0.9 ? pos.y + h / 2 : pos.y + viewH * 0.45;
  void flow.setCenter(pos.x + w / 2, y, { zoom, duration: 250 });
}
