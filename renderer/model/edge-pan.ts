// Where a card dragged on the canvas makes the view pan: within 40 px of the pane's edges, or past
// them, as xyflow's auto-pan reckons it (calcAutoPan in @xyflow/system: pane-relative pixels, a
// strict inequality on each side). nodes/EdgePan.tsx lets xyflow's pan loop run only there.

/** xyflow's auto-pan band, in screen pixels from each edge of the pane. */
export const PAN_BAND = 40;

/** Would xyflow pan the view with the pointer at `p` (pane-relative) over a `size` pane? */
export function inPanBand(p: { x: number; y: number }, size: { width: number; height: number }): boolean {
  return p.x < PAN_BAND || p.y < PAN_BAND || p.x > size.width - PAN_BAND || p.y > size.height - PAN_BAND;
}
