// The level of detail the canvas draws cards at, in its own store: it changes only when the zoom
// crosses the legibility threshold, so zooming re-renders no card until that happens.
import { create } from 'zustand';
import { detailAt, type Detail } from '../model/detail';

export const useDetail = create<{ detail: Detail }>(() => ({ detail: 'full' }));

/** Follows the canvas zoom; a no-op unless the level changes. */
export function followZoom(zoom: number): void {
  const detail = detailAt(zoom);
  if (useDetail.getState().detail !== detail) useDetail.setState({ detail });
}

export const selectDetail = (s: { detail: Detail }) => s.detail;
