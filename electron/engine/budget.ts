// Budget means budget: one rule for whether a run may start under a spending limit, used by every
// run (CLI, editor, web mode) and shown by the editor before the user presses Run. A shot whose
// gateway publishes no price cannot be counted, so a budget refuses it unless the user says
// otherwise; a budget of $0 refuses every paid shot, priced or not.
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import type { GraphEstimate } from './estimate';

export interface BudgetOptions {
  /** The limit in US dollars; undefined means no budget was set. */
  budgetUsd?: number;
  /** Let shots with no published price run under a budget (they count as $0). */
  allowUnpriced?: boolean;
}

export type BudgetVerdict =
  | {
      ok: true;
      /** Shots this run would pay for at a price nobody publishes (shown as "price unknown"). */
      unpriced: string[];
    }
  | { ok: false; reason: 'over' | 'unpriced'; unpriced: string[]; problem: Problem };

/**
 * The budget a run of `graph` is held to: what the user passed for this run, else what the film
 * itself says (its settings, set in the editor). One rule for the CLI, the editor and web mode.
 */
export function filmBudget(graph: Graph, run: BudgetOptions = {}): BudgetOptions {
  const budgetUsd = run.budgetUsd ?? graph.settings?.budgetUsd;
  const allowUnpriced = run.allowUnpriced ?? graph.settings?.allowUnpriced;
  return {
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(allowUnpriced ? { allowUnpriced: true } : {}),
  };
}

export function budgetVerdict(estimate: GraphEstimate, opts: BudgetOptions): BudgetVerdict {
  const toRun = estimate.shots.filter((s) => !s.cached);
  const unpriced = toRun.filter((s) => !s.known).map((s) => s.nodeId);
  const budget = opts.budgetUsd;
  if (budget === undefined) return { ok: true, unpriced };

  if (unpriced.length && (!opts.allowUnpriced || budget === 0)) {
    const gateways = [...new Set(toRun.filter((s) => !s.known).map((s) => s.provider))];
    const which = `${list(unpriced)} ${unpriced.length === 1 ? 'runs' : 'run'} on ${gateways.join(', ')}, which ${gateways.length === 1 ? 'publishes' : 'publish'} no price`;
    const message =
      budget === 0
        ? `a budget of $0.00 allows no paid shot, and ${which}; nothing was submitted`
        : `${which}, so a budget of $${budget.toFixed(2)} cannot be kept; pass --allow-unpriced to run ${unpriced.length === 1 ? 'it' : 'them'} anyway (not counted against the budget); nothing was submitted`;
    return {
      ok: false,
      reason: 'unpriced',
      unpriced,
      problem: { code: 'run.budget-unpriced', field: 'budget', message },
    };
  }

  if (estimate.totalUsd > budget) {
    const paid = toRun.filter((s) => s.usd > 0).length;
    return {
      ok: false,
      reason: 'over',
      unpriced,
      problem: {
        code: 'run.budget',
        field: 'budget',
        message: `this run would cost about $${estimate.totalUsd.toFixed(2)} for ${paid} shot${paid === 1 ? '' : 's'}, over the budget of $${budget.toFixed(2)}; nothing was submitted`,
      },
    };
  }
  return { ok: true, unpriced };
}

function list(ids: string[]): string {
  const quoted = ids.map((id) => `"${id}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
