// Where the nodes being dragged are, frame by frame. Kept apart from the document so a drag
// touches only the dragged cards (nodes/MovingCards.tsx): the storyboard, inspector, status bar
// and every other document subscriber hear of the move once, when it is dropped
// (docs/architecture.md §8).
import type { XYPosition } from '@xyflow/react';
import { create } from 'zustand';

export interface DragState {
  /** Node id → position while the drag lasts; empty otherwise. */
  moving: ReadonlyMap<string, XYPosition>;
}

export const NOT_MOVING: ReadonlyMap<string, XYPosition> = new Map();

export const useDrag = create<DragState>(() => ({ moving: NOT_MOVING }));
