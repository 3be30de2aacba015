// The selected shot's takes side by side: every render of it is kept, one is active. One click makes
// another take active; "Another take" renders a new one (the earlier ones stay).
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { activeTake, anotherTake, chooseTake, loadTakes } from '../../actions/takes';
import { useTakes, type Take } from '../../stores/takes';
import { useDocument, type DocumentState } from '../../stores/document';
import { useRun, type RunState } from '../../stores/run';
import { useUi, type UiState } from '../../stores/ui';
import { Poster } from './Poster';

const selectOpen = (s: UiState) => s.takesOpen;
const selectShot = (s: DocumentState) => {
  const picked = s.nodes.filter((n) => n.selected);
  const n = picked.length === 1 && picked[0]!.data.kind === 'shot' ? picked[0]! : undefined;
  return {
    id: n?.id ?? '',
    label: n?.data.label ?? '',
    take: n ? activeTake(n.data.extra) : 1,
    path: s.path ?? '',
  };
};
const selectRun = (s: RunState) => ({ phase: s.phase, finishedAt: s.finishedAt });
const NO_TAKES: Take[] = [];
const selectTakes = (id: string) => (s: { byNode: Record<string, Take[]> }) => s.byNode[id] ?? NO_TAKES;

export function TakesDrawer() {
  const open = useUi(selectOpen);
  const shot = useDocument(useShallow(selectShot));
  const run = useRun(useShallow(selectRun));
  const takes = useTakes(selectTakes(shot.id));
  useEffect(() => {
    if (open && shot.id && shot.path) void loadTakes(shot.id);
  }, [open, shot.id, shot.path, shot.take, run.finishedAt]);
  if (!open) return null;
  const close = () => useUi.setState({ takesOpen: false });
  const busy = run.phase !== 'idle';
  return (
    <section className="takes-drawer" aria-label="Takes" data-testid="takes-drawer">
      <header>
        <h3>
          Takes
          {shot.id && (
            <>
              {' '}
              of <b>{shot.label || shot.id}</b> <span className="mono muted">{shot.id}</span>
            </>
          )}
        </h3>
        <span className="grow" />
        {shot.id && (
          <button
            className="btn"
            disabled={busy}
            onClick={() => void anotherTake(shot.id)}
            title="Render this shot again as a new take; the earlier takes are kept"
            data-testid="another-take"
          >
            ↻ Another take
          </button>
        )}
        <button className="icon-btn" onClick={close} aria-label="close takes">
          ×
        </button>
      </header>
      {!shot.id && <p className="muted">Select a shot to see its takes.</p>}
      {shot.id && takes.length === 0 && (
        <p className="muted">No takes yet: run the film (or “Run to here” on this shot) to make the first.</p>
      )}
      {shot.id && takes.length > 0 && (
        <ol className="takes">
          {takes.map((t) => {
            const active = t.take === shot.take;
            return (
              <li key={t.take} className={active ? 'is-active' : ''} data-testid={`take-${t.take}`}>
                <button
                  className="take-pick"
                  disabled={active || busy}
                  onClick={() => void chooseTake(shot.id, t.take)}
                  title={active ? 'This take is in the film' : `Use take ${t.take} in the film`}
                >
                  <Poster path={t.video} />
                  <span className="take-name">
                    Take {t.take}
                    {active ? (
                      <span className="take-active">in the film</span>
                    ) : (
                      <span className="take-use">Use</span>
                    )}
                  </span>
                  <span className="take-time muted">{new Date(t.createdAt).toLocaleString()}</span>
                </button>
              </li>
            );
          })}
          {shot.take > Math.max(0, ...takes.map((t) => t.take)) && (
            <li className="is-active is-pending" data-testid={`take-${shot.take}`}>
              <div className="take-pick">
                <Poster path={undefined} empty={busy ? 'rendering…' : 'not rendered yet'} />
                <span className="take-name">
                  Take {shot.take}
                  <span className="take-active">in the film</span>
                </span>
              </div>
            </li>
          )}
        </ol>
      )}
    </section>
  );
}
