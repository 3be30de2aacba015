// The film map's geometry (components/FilmMap.tsx): where the canvas's cards and view fall on the
// small map in the corner, and back. It frames the film as xyflow's MiniMap did, so the map looks
// and sits the same: the cards' bounds grown to take in the view, fitted to the map with 5 map
// pixels to spare and centred.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** World → map: a map pixel is `world * scale + (x, y)`. */
export interface MapFrame {
  scale: number;
  x: number;
  y: number;
}

/** The map's size in CSS pixels, xyflow's MiniMap default. */
export const MAP_SIZE = { width: 200, height: 150 } as const;

/** Map pixels kept free around the framed film. */
const SPARE = 5;

/** The part of the canvas in view (flow coordinates) for xyflow's `[x, y, zoom]` over a pane. */
export function viewRect(transform: readonly [number, number, number], width: number, height: number): Rect {
  const [tx, ty, zoom] = transform;
  // 0 - t, not -t: a view at the origin is at 0, not -0.
  return { x: (0 - tx) / zoom, y: (0 - ty) / zoom, width: width / zoom, height: height / zoom };
}

export function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/**
 * How the map shows the film: the cards' bounds (none for an empty film) and the view, fitted in a
 * `size` map with SPARE pixels around, centred on the axis with room left over.
 */
export function mapFrame(
  cards: Rect | undefined,
  view: Rect,
  size: { width: number; height: number } = MAP_SIZE,
): MapFrame {
  const shown = cards ? union(cards, view) : view;
  // xyflow's MiniMap: its viewBox is the shown rect padded to the map's proportions plus SPARE
  // pixels a side, then fitted ("meet") into the map.
  const s = Math.max(shown.width / size.width, shown.height / size.height) || 1;
  const boxW = s * (size.width + 2 * SPARE);
  const boxH = s * (size.height + 2 * SPARE);
  const scale = Math.min(size.width / boxW, size.height / boxH);
  const cx = shown.x + shown.width / 2;
  const cy = shown.y + shown.height / 2;
  return { scale, x: size.width / 2 - cx * scale, y: size.height / 2 - cy * scale };
}

export const toMap = (f: MapFrame, p: Point): Point => ({ x: p.x * f.scale + f.x, y: p.y * f.scale + f.y });
export const toWorld = (f: MapFrame, p: Point): Point => ({
  x: (p.x - f.x) / f.scale,
  y: (p.y - f.y) / f.scale,
});

/** The viewport at `zoom` over a `width`×`height` pane with world point `p` in its middle. */
export function centredOn(p: Point, zoom: number, width: number, height: number) {
  return { x: width / 2 - p.x * zoom, y: height / 2 - p.y * zoom, zoom };
}

/** Is map point `p` inside the view's rectangle on the map? (A press there drags the view.) */
export function onView(f: MapFrame, view: Rect, p: Point): boolean {
  const w = toWorld(f, p);
  return w.x >= view.x && w.x <= view.x + view.width && w.y >= view.y && w.y <= view.y + view.height;
}

/**
 * The zoom after a wheel turn over the map, as xyflow's MiniMap zooms: `deltaY` in pixels
 * (deltaMode 0), lines (1) or pages (2); each 500 px of wheel halves or doubles the zoom, ten times
 * faster for a trackpad pinch on macOS (a wheel event with Ctrl held).
 */
export function wheelZoom(zoom: number, deltaY: number, deltaMode: number, macPinch = false): number {
  const perUnit = deltaMode === 1 ? 0.05 : deltaMode ? 1 : 0.002;
  return zoom * Math.pow(2, -deltaY * perUnit * (macPinch ? 10 : 1));
}

/** Each kind's colour on the map (as on xyflow's MiniMap before it); unknown kinds grey. */
const COLOURS: Record<string, string> = {
  prompt: '#e8b64c',
  image: '#4aa8ff',
  video: '#b07cff',
  audio: '#36d399',
  shot: '#ff7a59',
  final_cut: '#f2f2f2',
};

export const cardColour = (kind: string): string => COLOURS[kind] ?? '#666';
