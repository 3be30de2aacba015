// Export ▾ in the top bar: the film for an editing suite (OTIO) or for review on paper.
import { useCallback, useRef, useState } from 'react';
import { exportFilm, type ExportKind } from '../actions/exports';
import { useUi, type UiState } from '../stores/ui';
import { useDismiss } from './useDismiss';

const selectExported = (s: UiState) => s.exported;

const ITEMS: { kind: ExportKind; name: string; blurb: string }[] = [
  { kind: 'otio', name: 'OpenTimelineIO (.otio)', blurb: 'continue the cut in DaVinci Resolve or Premiere' },
  { kind: 'png', name: 'Storyboard sheet (.png)', blurb: 'poster frames with prompts and lengths' },
  { kind: 'pdf', name: 'Storyboard sheet (.pdf)', blurb: 'the same sheet, ready to print' },
];

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const exported = useUi(selectExported);
  const anchor = useRef<HTMLDivElement>(null);
  useDismiss(
    open,
    useCallback(() => setOpen(false), []),
    anchor,
  );
  const run = async (kind: ExportKind) => {
    setOpen(false);
    setBusy(true);
    await exportFilm(kind);
    setBusy(false);
  };
  return (
    <div className="menu-anchor" ref={anchor}>
      <button
        className="tb"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        disabled={busy}
        title="Export the final cut from the clips already rendered"
        data-testid="export"
      >
        {busy ? 'Exporting…' : 'Export ▾'}
      </button>
      {open && (
        <ul className="menu">
          {ITEMS.map((i) => (
            <li key={i.kind}>
              <button onClick={() => void run(i.kind)} data-testid={`export-${i.kind}`}>
                <span>{i.name}</span>
                <span className="muted">{i.blurb}</span>
              </button>
            </li>
          ))}
          <li className="muted menu-note">
            {exported ? (
              <>
                Last written:{' '}
                <span className="mono" data-testid="exported">
                  {exported}
                </span>
              </>
            ) : (
              'Written beside the film file, from the clips already rendered.'
            )}
          </li>
        </ul>
      )}
    </div>
  );
}
