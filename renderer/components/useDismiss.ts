// A menu closes when the pointer goes down outside it or Escape is pressed, as menus everywhere do.
import { useEffect, type RefObject } from 'react';

export function useDismiss(open: boolean, close: () => void, inside: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!open) return;
    const down = (e: PointerEvent) => {
      if (!inside.current?.contains(e.target as Node)) close();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('pointerdown', down, true);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('pointerdown', down, true);
      window.removeEventListener('keydown', key);
    };
  }, [open, close, inside]);
}
