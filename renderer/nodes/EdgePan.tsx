// Inside the canvas: a card dragged to the pane's edge pans the view, as ever, but xyflow's pan loop
// runs only while the pointer is in the band where it pans (model/edge-pan.ts). Left to itself the
// loop asks for an animation frame on every frame of every drag, wherever the pointer is, and each
// of those frames runs the page's whole rendering lifecycle for nothing: about 6,000 empty frames in
// the editor bench's 120-move uncapped drag, and 2–3 ms of main-thread CPU per move on a 1,000-card
// film at 60 Hz. xyflow reads `autoPanOnNodeDrag` from its store on each move and each loop frame,
// so the flag is switched there, as the pointer enters or leaves the band; the canvas starts it off.
import { useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';
import { inPanBand } from '../model/edge-pan';

export function EdgePan() {
  const store = useStoreApi();
  useEffect(() => {
    // The pane's box when the press began, as xyflow takes it for the drag.
    let pane: DOMRect | undefined;
    const set = (on: boolean) => {
      if (store.getState().autoPanOnNodeDrag !== on) store.setState({ autoPanOnNodeDrag: on });
    };
    const down = () => {
      pane = store.getState().domNode?.getBoundingClientRect();
    };
    // Before xyflow's own handler for the same move (pointer events come before mouse events).
    const move = (e: PointerEvent) => {
      if (pane && e.buttons) set(inPanBand({ x: e.clientX - pane.left, y: e.clientY - pane.top }, pane));
    };
    const up = () => {
      pane = undefined;
      set(false);
    };
    addEventListener('pointerdown', down, true);
    addEventListener('pointermove', move, true);
    addEventListener('pointerup', up, true);
    addEventListener('pointercancel', up, true);
    return () => {
      removeEventListener('pointerdown', down, true);
      removeEventListener('pointermove', move, true);
      removeEventListener('pointerup', up, true);
      removeEventListener('pointercancel', up, true);
    };
  }, [store]);
  return null;
}
