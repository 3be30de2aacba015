// Cards under a drag, placed straight in xyflow's node lookup. The canvas used to hand every move
// to React as a new nodes array, and xyflow rebuilt its lookup of every card from it (~3.5 ms a
// move at 1,000 cards, docs/architecture.md §8). Now only the dragged cards' entries are replaced,
// the way xyflow's own updateNodeInternals does it: the entry changes, the store is told once, and
// each card's wrapper, its wires (node-watch.ts) and the map (FilmMap.tsx) read the new entry.
import type { InternalNode, XYPosition } from '@xyflow/react';

type Lookup<N extends InternalNode = InternalNode> = Map<string, N>;

/**
 * Puts each moving card where the drag has it: a new entry for each card that moved, the rest
 * untouched. The absolute position keeps its offset from the position (a parent, an origin), as
 * xyflow's drag moves both together. Returns whether any entry was replaced.
 */
export function placeMoving<N extends InternalNode>(
  lookup: Lookup<N>,
  moving: ReadonlyMap<string, XYPosition>,
): boolean {
  let placed = false;
  for (const [id, at] of moving) {
    const card = lookup.get(id);
    if (!card || (card.position.x === at.x && card.position.y === at.y)) continue;
    const abs = card.internals.positionAbsolute;
    lookup.set(id, {
      ...card,
      position: at,
      dragging: true,
      internals: {
        ...card.internals,
        positionAbsolute: { x: abs.x + at.x - card.position.x, y: abs.y + at.y - card.position.y },
      },
    });
    placed = true;
  }
  return placed;
}
