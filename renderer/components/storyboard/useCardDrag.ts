// Dragging a card to a new place in the cut, with the pointer (mouse, pen or touch). A press that
// goes nowhere is a click and selects the card. Drop places come from the cards on screen: before
// or after the nearest cut card, by which half of it the pointer is over.
import { useCallback, useState, type PointerEvent, type RefObject } from 'react';
import { placeInCut, selectCard } from '../../actions/storyboard';

export interface CardDrag {
  id: string;
  x: number;
  y: number;
  /** Insert before the cut's clip at this index (the count of clips: at the end); null: nowhere. */
  target: number | null;
}

const THRESHOLD_PX = 6;
const REACH_PX = 160;
const EDGE_PX = 48;

export function useCardDrag(cut: string | null, body: RefObject<HTMLElement | null>) {
  const [drag, setDrag] = useState<CardDrag | null>(null);
  const onPointerDown = useCallback(
    (e: PointerEvent, id: string) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest('button, a, input, textarea, select, video'))
        return;
      const start = { x: e.clientX, y: e.clientY };
      let moved = false;
      let target: number | null = null;
      const move = (ev: globalThis.PointerEvent) => {
        if (!moved && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) < THRESHOLD_PX) return;
        moved = true;
        ev.preventDefault();
        target = cut && body.current ? dropIndex(body.current, ev.clientX, ev.clientY) : null;
        if (body.current) autoScroll(body.current, ev.clientY);
        setDrag({ id, x: ev.clientX, y: ev.clientY, target });
      };
      const finish = (commit: boolean) => () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        window.removeEventListener('pointercancel', cancel);
        setDrag(null);
        if (!commit) return;
        if (!moved) selectCard(id);
        else if (cut && target !== null) placeInCut(cut, id, target);
      };
      const up = finish(true);
      const cancel = finish(false);
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
      window.addEventListener('pointercancel', cancel);
    },
    [cut, body],
  );
  return { drag, onPointerDown };
}

function dropIndex(body: HTMLElement, x: number, y: number): number | null {
  const cards = [...body.querySelectorAll<HTMLElement>('[data-card]')].filter(
    (el) => Number(el.dataset.index) >= 0,
  );
  if (!cards.length) {
    const zone = body.querySelector('[data-cut-zone]')?.getBoundingClientRect();
    return zone && x >= zone.left && x <= zone.right && y >= zone.top && y <= zone.bottom ? 0 : null;
  }
  let best: { el: HTMLElement; r: DOMRect } | null = null;
  let bestDistance = Infinity;
  for (const el of cards) {
    const r = el.getBoundingClientRect();
    const dx = x < r.left ? r.left - x : x > r.right ? x - r.right : 0;
    const dy = y < r.top ? r.top - y : y > r.bottom ? y - r.bottom : 0;
    const d = Math.hypot(dx, dy);
    if (d < bestDistance) {
      bestDistance = d;
      best = { el, r };
    }
  }
  if (!best || bestDistance > REACH_PX) return null;
  const i = Number(best.el.dataset.index);
  return x < best.r.left + best.r.width / 2 ? i : i + 1;
}

/** Scrolls the board while a card is held near its top or bottom edge. */
function autoScroll(body: HTMLElement, y: number): void {
  const r = body.getBoundingClientRect();
  if (y < r.top + EDGE_PX) body.scrollBy(0, -16);
  else if (y > r.bottom - EDGE_PX) body.scrollBy(0, 16);
}
