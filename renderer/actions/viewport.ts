// The canvas's xyflow instance, for actions that need the viewport (fit view, centre, drop points).
import { getViewportForBounds, type ReactFlowInstance } from '@xyflow/react';
import type { FilmNode, Wire } from '../model/flow';

let flow: ReactFlowInstance<FilmNode, Wire> | null = null;

export function setFlow(instance: ReactFlowInstance<FilmNode, Wire> | null): void {
  flow = instance;
}

export function getFlow(): ReactFlowInstance<FilmNode, Wire> | null {
  return flow;
}

export function fitView(): void {
  void flow?.fitView({ padding: 0.15, duration: 200, maxZoom: 1.2 });
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
