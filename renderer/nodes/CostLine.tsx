// A shot's cost as the engine estimates it given the cache (the same figure as `shotgraph
// estimate`): free when its clip is cached, the gateway's price otherwise.
import { gatewayLabel } from '../model/gateway';
import { useFilmStatus } from '../stores/film-status';

const usd = (n: number) => `$${n.toFixed(2)}`;

export function CostLine({ id, className, testId }: { id: string; className: string; testId: string }) {
  const facts = useFilmStatus((s) => s.nodes[id]);
  const cost = facts?.cost;
  if (!cost || !facts.provider) {
    return (
      <div className={className} data-testid={testId}>
        …
      </div>
    );
  }
  const on = gatewayLabel(facts.provider);
  const made = facts.state === 'cached' || facts.state === 'frozen';
  const text =
    facts.provider === 'animatic'
      ? `free animatic · ≈ ${usd(cost.arkUsd ?? 0)} on Ark`
      : made
        ? `${facts.state} · $0${cost.known ? ` (≈ ${usd(cost.listUsd)} to render again)` : ''}`
        : cost.known
          ? `≈ ${usd(cost.usd)} on ${on}`
          : `price set by ${on}`;
  return (
    <div
      className={className}
      title={cost.basis}
      data-testid={testId}
      data-usd={cost.usd}
      data-known={cost.known}
    >
      {text}
    </div>
  );
}

/** The film's total as the engine estimates it: what a render of the whole film would spend now. */
export function FilmCost() {
  const total = useFilmStatus((s) => s.totalUsd);
  const known = useFilmStatus((s) => s.known);
  const toRun = useFilmStatus((s) => s.toRun.length);
  const unpriced = useFilmStatus((s) => s.unpriced.length);
  const shots = useFilmStatus((s) => Object.values(s.nodes).filter((n) => n.cost).length);
  const shotsToRun = useFilmStatus((s) => s.toRun.filter((id) => s.nodes[id]?.cost).length);
  const budget = useFilmStatus((s) => s.budget);
  if (!known) return null;
  return (
    <span
      className={budget.ok ? 'film-cost' : 'film-cost over-budget'}
      data-testid="film-total"
      data-usd={total}
      data-budget-ok={budget.ok}
      title={budget.message ?? 'What rendering the film now would spend; cached shots cost nothing'}
    >
      {toRun === 0
        ? 'all rendered · $0'
        : `≈ ${usd(total)} · ${shotsToRun} of ${shots} shot${shots === 1 ? '' : 's'} to render`}
      {unpriced ? ` · ${unpriced} price unknown` : ''}
      {budget.limitUsd !== null
        ? ` · budget $${budget.limitUsd.toFixed(2)}${budget.ok ? '' : ': refused'}`
        : ''}
    </span>
  );
}
