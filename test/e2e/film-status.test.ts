// One brain (issue 12): in every state of a film, what the editor shows is what the engine will do.
// A real Chromium on the real web-mode server, a film priced on Ark (the mock gateway on 127.0.0.1)
// with SHOTGRAPH_MEDIA_HOST configured in the server's environment; in each state the editor's film
// total and per-shot costs must equal `shotgraph estimate --json` (the CLI, in a child process) and
// the shots and cut it shows as to-be-made must equal the engine's plan (preparePlan + the cache).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphEstimate } from '../../electron/engine/estimate';
import { preparePlan } from '../../electron/engine/plan';
import { startWebServer, type WebServer } from '../../electron/web';
import { openEditor } from './editor-session';
import type { Graph } from '../../shared/graph/schema';
import { runCli } from '../helpers/cli';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { screenshotter } from './browser';
import { storySteps } from './steps';
import { node, pickFile, selectNode } from './canvas';

const REPO = path.resolve(import.meta.dirname, '../..');
const SHOTS = ['shot-1', 'shot-2', 'shot-3'];
const MAKERS = ['final-cut', ...SHOTS]; // sorted, as the sets compared below are
const KEY = `e2e-status-${Math.random().toString(36).slice(2)}-0000`;

let root: string;
let gw: MockGateway;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;
const film = () => path.join(root, 'chain.json');

const step = storySteps(() => shoot);

/** The engine's answer, asked independently of the editor: the CLI's estimate and the plan. */
async function engine(): Promise<{ estimate: GraphEstimate; toMake: string[] }> {
  const res = await runCli(['estimate', film(), '--json']);
  expect(res.code, res.stderr).toBe(0);
  const estimate = JSON.parse(res.stdout) as GraphEstimate;
  const planned = await preparePlan({ graphPath: film() });
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  const toMake: string[] = [];
  for (const n of planned.plan.nodes) {
    if (!MAKERS.includes(n.id)) continue;
    if (!(await planned.plan.cache.lookup(planned.plan.keys.get(n.id)!))) toMake.push(n.id);
  }
  return { estimate, toMake: toMake.sort() };
}

/** What the editor shows: film total, each shot's cost, and which shots and cut it would make. */
async function editor() {
  const total = Number(await page.getByTestId('film-total').getAttribute('data-usd'));
  const costs: Record<string, number> = {};
  for (const id of SHOTS)
    costs[id] = Number(await node(page, id).getByTestId('cost').getAttribute('data-usd'));
  const toMake: string[] = [];
  for (const id of MAKERS) {
    const status = await node(page, id).getAttribute('data-status');
    if (status === 'stale' || status === 'idle') toMake.push(id);
  }
  return { total, costs, toMake: toMake.sort() };
}

/** Saves (so the CLI reads what the editor has), then waits for the editor to show the engine's answer. */
async function agree(state: string): Promise<{ total: number; toMake: string[] }> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Control+s');
  await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
  const want = await engine();
  const expected = {
    total: want.estimate.totalUsd,
    costs: Object.fromEntries(want.estimate.shots.map((s) => [s.nodeId, s.usd])),
    toMake: want.toMake,
  };
  await expect.poll(editor, { timeout: 30_000, message: state }).toEqual(expected);
  await shoot(state);
  return { total: expected.total, toMake: expected.toMake };
}

async function runAndWait(keys: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(keys);
  await expect
    .poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 })
    .toMatch(/running/);
  await expect
    .poll(() => page.getByTestId('run-status').textContent(), { timeout: 180_000 })
    .toBe('last run: succeeded');
}

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 30, runningMs: 120, apiKey: KEY });
  for (const k of Object.keys(process.env)) if (/_API_KEY$/.test(k)) delete process.env[k];
  // The server and the CLI share this environment: Ark is the default gateway, on the mock.
  Object.assign(process.env, {
    ARK_API_KEY: KEY,
    ARK_BASE_URL: gw.url,
    SHOTGRAPH_POLL_MS: '30,100',
    SHOTGRAPH_MEDIA_HOST: 'https://bucket.example/films',
  });
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-one-brain-'));
  cpSync(path.join(REPO, 'graphs/media'), path.join(root, 'media'), { recursive: true });
  const g = JSON.parse(readFileSync(path.join(REPO, 'graphs/three-shot-chain.json'), 'utf8')) as Graph;
  for (const n of g.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  writeFileSync(film(), JSON.stringify(g, null, 2));
  ({ browser, server, page, errors } = await openEditor(root));
  page.on('dialog', (d) => void d.accept());
  shoot = screenshotter(page, 'film-status');
  await page.goto(`${server.url}&open=chain.json`);
  await node(page, 'final-cut').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await gw?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the editor shows what the engine will do (web mode, real browser)', () => {
  const seen: { state: string; total: number; toMake: string[] }[] = [];
  const record = async (state: string) => seen.push({ state, ...(await agree(state)) });

  step('fresh: every shot at its Ark price, everything to make', async () => {
    await record('fresh');
    expect(seen.at(-1)!.total).toBeGreaterThan(0);
    expect(seen.at(-1)!.toMake).toEqual(MAKERS);
  });

  step('a budget below the estimate: the editor shows the refusal a run would get', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // Nothing selected: the film's own inspector.
    await page.locator('.react-flow__pane').click({ position: { x: 8, y: 8 } });
    await page.locator('#film-budget').fill('0.1');
    await expect
      .poll(() => page.getByTestId('budget-verdict').textContent())
      .toMatch(/over the budget of \$0\.10/);
    expect(await page.getByTestId('film-total').getAttribute('data-budget-ok')).toBe('false');
    await page.locator('#film-budget').fill('');
    await expect.poll(() => page.getByTestId('budget-verdict').count()).toBe(0);
    expect(await page.getByTestId('film-total').getAttribute('data-budget-ok')).toBe('true');
    expect(gw.stats().creates).toBe(0);
  });

  step(
    'one shot cached: it costs $0, the total drops by its price',
    async () => {
      await selectNode(page, 'shot-1');
      await runAndWait('Control+Shift+Enter');
      await record('one-shot-cached');
      expect(seen.at(-1)!.toMake).toEqual(['final-cut', 'shot-2', 'shot-3']);
    },
    240_000,
  );

  step(
    'all cached: $0, nothing to make',
    async () => {
      await runAndWait('Control+Enter');
      await record('all-cached');
      expect(seen.at(-1)!).toMatchObject({ total: 0, toMake: [] });
      expect(gw.stats().creates).toBe(3);
    },
    240_000,
  );

  step('prompt edited: that shot, the ones chained on it and the cut are to make', async () => {
    await selectNode(page, 'prompt-2');
    await page
      .getByTestId('inspector')
      .locator('textarea')
      .first()
      .fill('The keeper steps out, lantern held high.');
    await record('prompt-edited');
    expect(seen.at(-1)!.toMake).toEqual(['final-cut', 'shot-2', 'shot-3']);
  });

  step(
    'gateway changed: a chained shot on seed2.io, priced by seed2.io, not flagged with a media host',
    async () => {
      await selectNode(page, 'shot-3');
      await page.locator('#f-shot-3-provider').selectOption('seed2');
      await page.locator('#f-shot-3-resolution').selectOption('720p'); // seed2.io renders 720p only
      await record('gateway-changed');
      await expect(node(page, 'shot-3').getByTestId('cost').textContent()).resolves.toMatch(/seed2\.io/);
      // SHOTGRAPH_MEDIA_HOST is set on the server: the engine renders this, so the editor must not flag it.
      expect(await node(page, 'shot-3').getByTestId('node-issues').count()).toBe(0);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Control+z'); // the resolution
      await page.keyboard.press('Control+z'); // the gateway
    },
  );

  step('music bed added: only the cut is to make', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z'); // the prompt edit too: every shot cached again
    await selectNode(page, 'final-cut');
    await page.getByTestId('music-input-final-cut').setInputFiles(path.join(root, 'media/theme.mp3'));
    await expect.poll(() => page.getByTestId('music-bed').textContent()).toMatch(/theme/);
    await record('music-bed-added');
    expect(seen.at(-1)!).toMatchObject({ total: 0, toMake: ['final-cut'] });
  });

  step(
    'music bed rendered, page reloaded, film reopened: the cut is cached, not stale',
    async () => {
      await runAndWait('Control+Enter');
      await record('music-bed-rendered');
      await page.reload();
      await node(page, 'final-cut').waitFor();
      await expect.poll(() => node(page, 'final-cut').getAttribute('data-status')).toBe('cached');
      await record('reopened');
      expect(seen.at(-1)!).toMatchObject({ total: 0, toMake: [] });
      expect(gw.stats().creates).toBe(3); // the undone edits never paid for anything
    },
    240_000,
  );

  step('agreed in every state, and raised no errors in the page', async () => {
    expect(seen.map((s) => s.state)).toEqual([
      'fresh',
      'one-shot-cached',
      'all-cached',
      'prompt-edited',
      'gateway-changed',
      'music-bed-added',
      'music-bed-rendered',
      'reopened',
    ]);
    console.log(
      seen.map((s) => `${s.state}: $${s.total} · to make ${s.toMake.join(' ') || 'nothing'}`).join('\n'),
    );
    expect(errors).toEqual([]);
  });
});
