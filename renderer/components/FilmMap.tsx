// The map in the canvas's corner: every card a block of its kind's colour, the rest of the film
// dimmed outside the view, on one <canvas>. xyflow's MiniMap drew an SVG rect per card, each with
// its own store selector, re-run and repainted on every frame of a drag (about 3 ms a frame at
// 1,000 cards); this listens to xyflow's store once and redraws at most once per animation frame.
// Press on the view's window and drag to pan, press elsewhere to centre the view there, wheel to
// zoom. Geometry: model/film-map.ts.
import { Panel, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import {
  cardColour,
  centredOn,
  MAP_SIZE,
  mapFrame,
  onView,
  toMap,
  toWorld,
  viewRect,
  wheelZoom,
  type MapFrame,
  type Point,
  type Rect,
} from '../model/film-map';
import type { FilmNode, Wire } from '../model/flow';

type Flow = ReactFlowState<FilmNode, Wire>;

/** Outside the view, the film is dimmed by this (the colours xyflow's MiniMap was given). */
const MASK = 'rgba(10,12,16,0.72)';
/** Card corners, in flow pixels, as xyflow's MiniMap rounded them. */
const RADIUS = 5;
const MAC = typeof navigator !== 'undefined' && navigator.userAgent.includes('Mac');

interface Drawn {
  frame: MapFrame;
  view: Rect;
  cards: { x: number; y: number; width: number; height: number; colour: string }[];
}

/** Where everything goes on the map for the flow as it is now. */
function layout(s: Flow): Drawn {
  const view = viewRect(s.transform, s.width, s.height);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const cards: Drawn['cards'] = [];
  for (const n of s.nodeLookup.values()) {
    if (n.hidden) continue;
    const { x, y } = n.internals.positionAbsolute;
    const width = n.measured.width ?? n.width ?? n.initialWidth ?? 0;
    const height = n.measured.height ?? n.height ?? n.initialHeight ?? 0;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + width);
    y1 = Math.max(y1, y + height);
    // A card not measured yet is not drawn (as on xyflow's MiniMap), but counts in the bounds.
    if (width && height)
      cards.push({ x, y, width, height, colour: cardColour(n.internals.userNode.data.kind) });
  }
  const bounds = x0 <= x1 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
  return { frame: mapFrame(bounds, view), view, cards };
}

/** Paints the map in device pixels, each card's edges on whole pixels (as SVG's crispEdges did). */
function paint(canvas: HTMLCanvasElement, { frame, view, cards }: Drawn): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(MAP_SIZE.width * dpr);
  const h = Math.round(MAP_SIZE.height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, w, h);
  const px = (p: Point) => {
    const m = toMap(frame, p);
    return { x: Math.round(m.x * dpr), y: Math.round(m.y * dpr) };
  };
  const radius = RADIUS * frame.scale * dpr;
  // One path per colour: a handful of fills, whatever the number of cards.
  const byColour = new Map<string, Drawn['cards']>();
  for (const c of cards) (byColour.get(c.colour) ?? byColour.set(c.colour, []).get(c.colour)!).push(c);
  for (const [colour, list] of byColour) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    for (const c of list) {
      const a = px(c);
      const b = px({ x: c.x + c.width, y: c.y + c.height });
      const cw = Math.max(1, b.x - a.x);
      const ch = Math.max(1, b.y - a.y);
      if (radius >= 0.5) ctx.roundRect(a.x, a.y, cw, ch, radius);
      else ctx.rect(a.x, a.y, cw, ch);
    }
    ctx.fill();
  }
  const a = toMap(frame, view);
  const b = toMap(frame, { x: view.x + view.width, y: view.y + view.height });
  ctx.fillStyle = MASK;
  ctx.beginPath();
  ctx.rect(0, 0, w, h);
  ctx.rect(a.x * dpr, a.y * dpr, (b.x - a.x) * dpr, (b.y - a.y) * dpr);
  ctx.fill('evenodd');
}

/** Moves the view to viewport `to`, as xyflow's MiniMap did (kept inside any translate extent). */
function moveTo(s: Flow, to: { x: number; y: number; zoom: number }): void {
  void s.panZoom?.setViewportConstrained(
    to,
    [
      [0, 0],
      [s.width, s.height],
    ],
    s.translateExtent,
  );
}

export function FilmMap() {
  const store = useStoreApi<FilmNode, Wire>();
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let pending = 0;
    const draw = () => {
      pending = 0;
      paint(canvas, layout(store.getState()));
    };
    // Many store updates a frame (a drag, a pan) make one redraw, in the frame that shows them.
    const redraw = () => {
      pending ||= requestAnimationFrame(draw);
    };
    const unsubscribe = store.subscribe(redraw);
    // Browser zoom changes devicePixelRatio, and fires resize.
    addEventListener('resize', redraw);
    redraw();

    let last: Point | undefined;
    const at = (e: PointerEvent | WheelEvent): Point => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      const s = store.getState();
      const { frame, view } = layout(s);
      last = at(e);
      if (!onView(frame, view, last))
        moveTo(s, centredOn(toWorld(frame, last), s.transform[2], s.width, s.height));
    };
    const move = (e: PointerEvent) => {
      if (!last) return;
      const p = at(e);
      const s = store.getState();
      // The window follows the pointer: map pixels moved → flow pixels at the map's scale now.
      const { scale } = layout(s).frame;
      const [tx, ty, zoom] = s.transform;
      moveTo(s, { x: tx - ((p.x - last.x) / scale) * zoom, y: ty - ((p.y - last.y) / scale) * zoom, zoom });
      last = p;
    };
    const up = () => {
      last = undefined;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const s = store.getState();
      void s.panZoom?.scaleTo(wheelZoom(s.transform[2], e.deltaY, e.deltaMode, MAC && e.ctrlKey));
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    canvas.addEventListener('wheel', wheel, { passive: false });
    return () => {
      unsubscribe();
      removeEventListener('resize', redraw);
      cancelAnimationFrame(pending);
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      canvas.removeEventListener('wheel', wheel);
    };
  }, [store]);

  return (
    <Panel position="bottom-right" className="react-flow__minimap film-map" data-testid="rf__minimap">
      <canvas
        ref={ref}
        role="img"
        aria-label="Mini Map"
        data-testid="film-map"
        style={{ width: MAP_SIZE.width, height: MAP_SIZE.height }}
      />
    </Panel>
  );
}
