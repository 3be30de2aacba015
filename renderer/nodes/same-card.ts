// When a card component may skip a render: xyflow hands each card its absolute position as props
// (positionAbsoluteX/Y), which change on every move of a drag, but no card draws from them (xyflow
// places the card's wrapper itself). Comparing everything else, the dragged card's content is not
// re-rendered per move; a change to any other prop (data, selection, size, dragging) still shows.
import type { NodeProps } from '@xyflow/react';

const PLACED = new Set(['positionAbsoluteX', 'positionAbsoluteY']);

export function sameCard<P extends Partial<NodeProps>>(a: Readonly<P>, b: Readonly<P>): boolean {
  const keys = Object.keys(a) as (keyof P & string)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => PLACED.has(k) || Object.is(a[k], b[k]));
}
