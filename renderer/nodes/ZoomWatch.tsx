// Inside the canvas: hands xyflow's zoom to the detail store as it changes, synchronously, so a
// film opened zoomed out is first drawn with light cards, never in full and then again.
import { useStoreApi } from '@xyflow/react';
import { useLayoutEffect } from 'react';
import { followZoom } from '../stores/detail';

export function ZoomWatch() {
  const store = useStoreApi();
  useLayoutEffect(() => {
    followZoom(store.getState().transform[2]);
    return store.subscribe((s, prev) => {
      if (s.transform[2] !== prev.transform[2]) followZoom(s.transform[2]);
    });
  }, [store]);
  return null;
}
