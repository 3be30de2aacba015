// A film's own budget (graph settings, set in the editor) is held by every run of it, and the
// editor's status shows the verdict the run then gets: one rule (electron/engine/budget.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filmBudget } from '../../electron/engine/budget';
import { filmStatus } from '../../electron/engine/film-status';
import { runGraph } from '../../electron/engine/run';
import type { Graph } from '../../shared/graph/schema';
import { copySamples } from '../helpers/cli';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

let gw: MockGateway;
let env: NodeJS.ProcessEnv;
let dir: string;
let file: string;
const KEY = `budget-${Math.random().toString(36).slice(2)}-key-0000`;

const read = (): Graph => JSON.parse(readFileSync(file, 'utf8')) as Graph;
const settings = (s: Graph['settings']) => {
  const g = read();
  g.settings = s;
  writeFileSync(file, JSON.stringify(g, null, 2));
};

async function verdict() {
  const r = await filmStatus({ graphPath: file, env });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.status.budget;
}

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, apiKey: KEY });
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
  env = { ...clean, ARK_BASE_URL: gw.url, ARK_API_KEY: KEY, XINGCHAO_API_KEY: KEY };
  dir = copySamples('shotgraph-film-budget-');
  file = path.join(dir, 'three-shot-chain.json');
});
afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a film's own budget", () => {
  it('run options override the film; the film applies when the run says nothing', () => {
    const g = { ...read(), settings: { budgetUsd: 3, allowUnpriced: true } };
    expect(filmBudget(g)).toEqual({ budgetUsd: 3, allowUnpriced: true });
    expect(filmBudget(g, { budgetUsd: 10 })).toEqual({ budgetUsd: 10, allowUnpriced: true });
    expect(filmBudget(g, { allowUnpriced: false })).toEqual({ budgetUsd: 3 });
    expect(filmBudget({ ...g, settings: {} })).toEqual({});
  });

  it('over its budget: the status says so, and a run is refused with the same words and pays nothing', async () => {
    settings({ provider: 'ark', budgetUsd: 0.5 });
    const v = await verdict();
    expect(v).toMatchObject({ limitUsd: 0.5, ok: false });
    expect(v.message).toMatch(/over the budget of \$0\.50/);
    const report = await runGraph({ graphPath: file, env });
    expect(report.status).toBe('invalid');
    expect(report.problems.map((p) => p.message)).toContain(v.message);
    expect(gw.stats().creates).toBe(0);
  });

  it('within its budget: ok, and --budget on the run still wins', async () => {
    settings({ provider: 'ark', budgetUsd: 100 });
    expect(await verdict()).toEqual({ limitUsd: 100, allowUnpriced: false, ok: true });
    const refused = await runGraph({ graphPath: file, env, budgetUsd: 0.5 });
    expect(refused.status).toBe('invalid');
    expect(gw.stats().creates).toBe(0);
  });

  it('unpriced gateway: refused under the budget until the film allows unpriced shots', async () => {
    settings({ provider: 'xingchao', budgetUsd: 100 });
    const v = await verdict();
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/publishes? no price/);
    settings({ provider: 'xingchao', budgetUsd: 100, allowUnpriced: true });
    expect(await verdict()).toMatchObject({ ok: true, allowUnpriced: true });
  });
});
