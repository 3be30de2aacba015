// Which wires a big film draws: only those whose bounds touch the part of the canvas in view, with a
// margin, so opening and panning a 1,000-node film builds a few hundred paths, not three thousand.
// The view is snapped to a grid as coarse as the margin: panning re-culls only when the view has
// moved far enough to need wires that were not drawn, not on every frame.

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Films with more wires than this are culled; smaller ones draw every wire. */
export const CULL_ABOVE = 150;

/** Screen pixels of canvas beyond each side of the view whose wires are drawn too. */
export const MARGIN_PX = 400;

/**
 * The part of the canvas (flow coordinates) worth drawing for a viewport `[x, y, zoom]` over a
 * `width`×`height` pane: the view and a margin around it, snapped outwards to a grid of half the
 * margin so that small pans give the same box (and the same wires).
 */
export function viewBox(transform: readonly [number, number, number], width: number, height: number): Box {
  const [tx, ty, zoom] = transform;
  const k = zoom > 0 ? zoom : 1;
  const step = MARGIN_PX / 2;
  const snap = (v: number, dir: -1 | 1) => (dir < 0 ? Math.floor(v / step) : Math.ceil(v / step)) * step;
  const sx0 = snap(-MARGIN_PX / 2 - tx, -1) - MARGIN_PX / 2;
  const sy0 = snap(-MARGIN_PX / 2 - ty, -1) - MARGIN_PX / 2;
  const sx1 = snap(width + MARGIN_PX / 2 - tx, 1) + MARGIN_PX / 2;
  const sy1 = snap(height + MARGIN_PX / 2 - ty, 1) + MARGIN_PX / 2;
  return { x0: sx0 / k, y0: sy0 / k, x1: sx1 / k, y1: sy1 / k };
}

/**
 * A wire's bounds from its two cards' boxes: a bezier leaving a right-hand port and entering a
 * left-hand one bulges sideways past its ends when it runs backwards, by at most half its run.
 */
export function wireBox(source: Box, target: Box): Box {
  const bulge = Math.max(0, (source.x1 - target.x0) / 2) + 60;
  return {
    x0: Math.min(source.x0, target.x0) - bulge,
    y0: Math.min(source.y0, target.y0),
    x1: Math.max(source.x1, target.x1) + bulge,
    y1: Math.max(source.y1, target.y1),
  };
}

export const touches = (a: Box, b: Box): boolean =>
  a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;

/**
 * The wires to draw, in their order: all of them for a small film; for a big one those whose cards'
 * bounds (`boxOf`, undefined for a card not placed yet) touch `view`.
 */
export function wiresInView<W extends { source: string; target: string }>(
  wires: W[],
  boxOf: (nodeId: string) => Box | undefined,
  view: Box | undefined,
): W[] {
  if (wires.length <= CULL_ABOVE || !view) return wires;
  return wires.filter((w) => {
    const s = boxOf(w.source);
    const t = boxOf(w.target);
    return !!s && !!t && touches(wireBox(s, t), view);
  });
}
