// Save as ▾ in the top bar: the film under another name, or the film as one of your templates.
import { useCallback, useRef, useState } from 'react';
import { saveFilm } from '../actions/files';
import { saveAsTemplate } from '../actions/templates';
import { useDismiss } from './useDismiss';

export function SaveAsMenu() {
  const [open, setOpen] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);
  useDismiss(
    open,
    useCallback(() => setOpen(false), []),
    anchor,
  );
  const pick = (action: () => Promise<unknown>) => {
    setOpen(false);
    void action();
  };
  return (
    <div className="menu-anchor" ref={anchor}>
      <button className="tb" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="save-as">
        Save as ▾
      </button>
      {open && (
        <ul className="menu">
          <li>
            <button onClick={() => pick(() => saveFilm(true))}>
              <span>Save as…</span>
              <span className="muted">another file (Ctrl+Shift+S)</span>
            </button>
          </li>
          <li>
            <button onClick={() => pick(saveAsTemplate)} data-testid="save-template">
              <span>Save as template…</span>
              <span className="muted">start new films from this one, from the gallery</span>
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}
