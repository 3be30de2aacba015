// The map in the canvas's corner: every card a block of its kind's colour, the rest of the film
// dimmed outside the view, on one <canvas>. xyflow's MiniMap drew an SVG rect per card, each with
// its own store selector, re-run and repainted on every frame of a drag (about 3 ms a frame at
// 1,000 cards); this listens to xyflow's store once and redraws at most once per animation frame,
// and not at all when the map's pixels would not change.
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

/** The map in device pixels: per colour, each card's box (x, y, w, h) on whole pixels, and the view. */
interface Picture {
  width: number;
  height: number;
  radius: number;
  boxes: Map<string, number[]>;
  view: number[];
}

function picture({ frame, view, cards }: Drawn, dpr: number): Picture {
  const at = (p: Point) => {
    const m = toMap(frame, p);
    return { x: Math.round(m.x * dpr), y: Math.round(m.y * dpr) };
  };
  // Grouped by colour: one path and one fill per colour, whatever the number of cards.
  const boxes = new Map<string, number[]>();
  for (const c of cards) {
    const a = at(c);
    const b = at({ x: c.x + c.width, y: c.y + c.height });
    (boxes.get(c.colour) ?? boxes.set(c.colour, []).get(c.colour)!).push(
      a.x,
      a.y,
      Math.max(1, b.x - a.x),
      Math.max(1, b.y - a.y),
    );
  }
  const a = toMap(frame, view);
  const b = toMap(frame, { x: view.x + view.width, y: view.y + view.height });
  return {
    width: Math.round(MAP_SIZE.width * dpr),
    height: Math.round(MAP_SIZE.height * dpr),
    radius: RADIUS * frame.scale * dpr,
    boxes,
    view: [a.x * dpr, a.y * dpr, (b.x - a.x) * dpr, (b.y - a.y) * dpr],
  };
}

const sameNumbers = (a: number[] | undefined, b: number[] | undefined) =>
  a?.length === b?.length && !!a && a.every((v, i) => v === b![i]);

/**
 * Would `next` paint the same pixels as `last`? A dragged card moves less than a map pixel on most
 * frames of a drag at film scale; those frames leave the map as it is.
 */
function samePicture(last: Picture | undefined, next: Picture): boolean {
  if (!last || last.width !== next.width || last.height !== next.height || last.radius !== next.radius)
    return false;
  if (!sameNumbers(last.view, next.view) || last.boxes.size !== next.boxes.size) return false;
  for (const [colour, boxes] of next.boxes) if (!sameNumbers(last.boxes.get(colour), boxes)) return false;
  return true;
}

/** Paints the map, each card's edges on whole device pixels (as SVG's crispEdges did). */
function paint(canvas: HTMLCanvasElement, p: Picture): void {
  if (canvas.width !== p.width || canvas.height !== p.height) {
    canvas.width = p.width;
    canvas.height = p.height;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, p.width, p.height);
  for (const [colour, boxes] of p.boxes) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    for (let i = 0; i < boxes.length; i += 4) {
      if (p.radius >= 0.5) ctx.roundRect(boxes[i]!, boxes[i + 1]!, boxes[i + 2]!, boxes[i + 3]!, p.radius);
      else ctx.rect(boxes[i]!, boxes[i + 1]!, boxes[i + 2]!, boxes[i + 3]!);
    }
    ctx.fill();
  }
  const [vx, vy, vw, vh] = p.view as [number, number, number, number];
  ctx.fillStyle = MASK;
  ctx.beginPath();
  ctx.rect(0, 0, p.width, p.height);
  ctx.rect(vx, vy, vw, vh);
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
    let last: Picture | undefined;
    const draw = () => {
      pending = 0;
      const next = picture(layout(store.getState()), window.devicePixelRatio || 1);
      if (samePicture(last, next)) return;
      paint(canvas, next);
      last = next;
    };
    // Many store updates a frame (a drag, a pan) make one redraw, in the frame that shows them.
    const redraw = () => {
      pending ||= requestAnimationFrame(draw);
    };
    const unsubscribe = store.subscribe(redraw);
    // Browser zoom changes devicePixelRatio, and fires resize.
    addEventListener('resize', redraw);
    redraw();

    let pressed: Point | undefined;
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
      pressed = at(e);
      if (!onView(frame, view, pressed))
        moveTo(s, centredOn(toWorld(frame, pressed), s.transform[2], s.width, s.height));
    };
    const move = (e: PointerEvent) => {
      if (!pressed) return;
      const p = at(e);
      const s = store.getState();
      // The window follows the pointer: map pixels moved → flow pixels at the map's scale now.
      const { scale } = layout(s).frame;
      const [tx, ty, zoom] = s.transform;
      moveTo(s, {
        x: tx - ((p.x - pressed.x) / scale) * zoom,
        y: ty - ((p.y - pressed.y) / scale) * zoom,
        zoom,
      });
      pressed = p;
    };
    const up = () => {
      pressed = undefined;
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
