// Budget means budget: the one rule every run and the editor apply (electron/engine/budget.ts).
import { describe, expect, it } from 'vitest';
import { budgetVerdict } from '../../electron/engine/budget';
import type { GraphEstimate, ShotEstimate } from '../../electron/engine/estimate';
import { estimateCost } from '../../shared/seedance/pricing';

/** A shot's estimate from the real price table, as estimatePlan builds it. */
function shot(nodeId: string, provider: string, cached = false): ShotEstimate {
  const cost = estimateCost({
    provider,
    model: 'seedance-2.0',
    resolution: '720p',
    ratio: '16:9',
    duration: 5,
    hasVideoInput: false,
  });
  return {
    ...cost,
    nodeId,
    provider,
    model: 'seedance-2.0',
    resolution: '720p',
    ratio: '16:9',
    cached,
    usd: cached ? 0 : cost.usd,
    listUsd: cost.usd,
  };
}

function estimate(...shots: ShotEstimate[]): GraphEstimate {
  return {
    shots,
    totalUsd: Math.round(shots.reduce((a, s) => a + s.usd, 0) * 1e4) / 1e4,
    unknownPrices: shots.filter((s) => !s.known && !s.cached).length,
  };
}

const chain = (provider: string) =>
  estimate(shot('shot-1', provider), shot('shot-2', provider), shot('shot-3', provider));

describe('budgetVerdict', () => {
  it('without a budget lets anything run, naming the shots whose price is unknown', () => {
    expect(budgetVerdict(chain('xingchao'), {})).toEqual({
      ok: true,
      unpriced: ['shot-1', 'shot-2', 'shot-3'],
    });
    expect(budgetVerdict(chain('ark'), {})).toEqual({ ok: true, unpriced: [] });
  });

  it('refuses a run over the budget and says by how much', () => {
    const v = budgetVerdict(chain('ark'), { budgetUsd: 1 });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.reason).toBe('over');
    expect(v.problem).toMatchObject({ code: 'run.budget', field: 'budget' });
    expect(v.problem.message).toMatch(/\$2\.29 for 3 shots, over the budget of \$1\.00/);
    expect(budgetVerdict(chain('ark'), { budgetUsd: 5 }).ok).toBe(true);
  });

  it('refuses unpriced shots under any budget unless allowed, naming them and the gateway', () => {
    for (const provider of ['xingchao', 'apiframe']) {
      const v = budgetVerdict(chain(provider), { budgetUsd: 100 });
      expect(v.ok).toBe(false);
      if (v.ok) continue;
      expect(v.reason).toBe('unpriced');
      expect(v.problem).toMatchObject({ code: 'run.budget-unpriced', field: 'budget' });
      expect(v.problem.message).toContain(`"shot-1", "shot-2" and "shot-3" run on ${provider}`);
      expect(v.problem.message).toContain('--allow-unpriced');
      expect(budgetVerdict(chain(provider), { budgetUsd: 100, allowUnpriced: true })).toEqual({
        ok: true,
        unpriced: ['shot-1', 'shot-2', 'shot-3'],
      });
    }
  });

  it('a budget of $0 refuses every paid shot, priced or not, even with allowUnpriced', () => {
    expect(budgetVerdict(chain('ark'), { budgetUsd: 0 }).ok).toBe(false);
    const v = budgetVerdict(chain('xingchao'), { budgetUsd: 0, allowUnpriced: true });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problem.message).toMatch(/budget of \$0\.00 allows no paid shot/);
    // The animatic is free, and so is a cached shot on any gateway.
    expect(budgetVerdict(chain('animatic'), { budgetUsd: 0 }).ok).toBe(true);
    const cached = estimate(shot('shot-1', 'xingchao', true), shot('shot-2', 'ark', true));
    expect(budgetVerdict(cached, { budgetUsd: 0 })).toEqual({ ok: true, unpriced: [] });
  });

  it('counts only the shots still to make, and the mix of gateways in its message', () => {
    const mixed = estimate(
      shot('a', 'xingchao', true),
      shot('b', 'apiframe'),
      shot('c', 'xingchao'),
      shot('d', 'ark'),
    );
    const v = budgetVerdict(mixed, { budgetUsd: 10 });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.unpriced).toEqual(['b', 'c']);
    expect(v.problem.message).toContain('"b" and "c" run on apiframe, xingchao, which publish no price');
    // Allowed, the priced part still has to fit.
    expect(budgetVerdict(mixed, { budgetUsd: 0.5, allowUnpriced: true }).ok).toBe(false);
    expect(budgetVerdict(mixed, { budgetUsd: 1, allowUnpriced: true }).ok).toBe(true);
  });
});
