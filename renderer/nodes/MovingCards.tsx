// Inside the canvas: each frame of a drag, the dragged cards go from the drag store (stores/drag.ts)
// straight into xyflow's node lookup (moving-cards.ts), so the canvas does not re-render and xyflow
// does not rebuild its lookup of every card per move. The drop writes the document, which hands
// xyflow the moved nodes as usual.
import { useStoreApi } from '@xyflow/react';
import { useLayoutEffect } from 'react';
import { useDrag } from '../stores/drag';
import { placeMoving } from './moving-cards';

export function MovingCards() {
  const store = useStoreApi();
  useLayoutEffect(
    () =>
      useDrag.subscribe(({ moving }) => {
        // One store update for all the moved cards, as xyflow's updateNodeInternals does.
        if (placeMoving(store.getState().nodeLookup, moving)) store.setState({});
      }),
    [store],
  );
  return null;
}
