// The film's spending limit (its settings, saved in the file) and the engine's verdict on it: the
// same rule every run of the film is held to (electron/engine/budget.ts). Nothing is judged here.
import { setAllowUnpriced, setFilmBudget } from '../../actions/settings';
import { useDocument } from '../../stores/document';
import { useFilmStatus } from '../../stores/film-status';

const settingsOf = (s: { extra: Record<string, unknown> }) =>
  (s.extra.settings as { budgetUsd?: number; allowUnpriced?: boolean } | undefined) ?? {};

export function FilmBudget() {
  const limit = useDocument((s) => settingsOf(s).budgetUsd);
  const allowUnpriced = useDocument((s) => settingsOf(s).allowUnpriced === true);
  const verdict = useFilmStatus((s) => s.budget);
  const known = useFilmStatus((s) => s.known);
  return (
    <div className="field" data-testid="film-budget">
      <label htmlFor="film-budget">Budget (USD)</label>
      <input
        id="film-budget"
        type="number"
        min={0}
        step={0.5}
        placeholder="no limit"
        value={limit ?? ''}
        onChange={(e) => {
          const v = e.target.value.trim();
          const n = Number(v);
          setFilmBudget(v === '' || !Number.isFinite(n) || n < 0 ? null : n);
        }}
      />
      <label className="check">
        <input type="checkbox" checked={allowUnpriced} onChange={(e) => setAllowUnpriced(e.target.checked)} />{' '}
        Let shots run on gateways that publish no price
      </label>
      {known && !verdict.ok && (
        <p className="problem" role="alert" data-testid="budget-verdict">
          {verdict.message}
        </p>
      )}
    </div>
  );
}
