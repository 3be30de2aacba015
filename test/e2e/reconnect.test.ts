// Runs outlive connections (issue 12 §4): a real Chromium on the real web-mode server, a film on
// the mock Ark gateway slow enough to interrupt. The WebSocket is cut mid-run, then the page is
// reloaded mid-run: each time the editor reconnects by itself, re-attaches to the running render,
// shows its progress and its end — and no shot is paid for twice.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/web';
import { openEditor } from './editor-session';
import type { Graph } from '../../shared/graph/schema';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { screenshotter } from './browser';
import { storySteps } from './steps';
import { node, selectNode } from './canvas';

const REPO = path.resolve(import.meta.dirname, '../..');
const KEY = `e2e-reconnect-${Math.random().toString(36).slice(2)}-0000`;

let root: string;
let gw: MockGateway;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;

const runStatus = () => page.getByTestId('run-status').textContent();
/** "running · 3/7 nodes" → 3. */
const finished = async () => Number(/(\d+)\/\d+ nodes/.exec((await runStatus()) ?? '')?.[1] ?? -1);

const step = storySteps(() => shoot);

/** Starts the whole film and waits until its first shot is under way at the gateway. */
async function startRun(): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Control+Enter');
  await expect
    .poll(() => node(page, 'shot-1').getAttribute('data-status'), { timeout: 60_000 })
    .toBe('running');
}

/** The run's end as the editor shows it: status bar, the cut made by this run, the toast. */
async function expectEnd(): Promise<void> {
  await expect.poll(runStatus, { timeout: 180_000 }).toBe('last run: succeeded');
  await expect.poll(() => node(page, 'final-cut').getAttribute('data-status')).toBe('done');
  for (const id of ['shot-1', 'shot-2', 'shot-3'])
    expect(['done', 'cached']).toContain(await node(page, id).getAttribute('data-status'));
}

beforeAll(async () => {
  // Slow enough that a run takes several seconds per shot.
  gw = await startMockGateway({ kind: 'ark', queuedMs: 1500, runningMs: 3000, apiKey: KEY });
  for (const k of Object.keys(process.env)) if (/_API_KEY$/.test(k)) delete process.env[k];
  Object.assign(process.env, { ARK_API_KEY: KEY, ARK_BASE_URL: gw.url, SHOTGRAPH_POLL_MS: '200,400' });
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-reconnect-'));
  cpSync(path.join(REPO, 'graphs/media'), path.join(root, 'media'), { recursive: true });
  const g = JSON.parse(readFileSync(path.join(REPO, 'graphs/three-shot-chain.json'), 'utf8')) as Graph;
  for (const n of g.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  writeFileSync(path.join(root, 'chain.json'), JSON.stringify(g, null, 2));
  ({ browser, server, page, errors } = await openEditor(root));
  page.on('dialog', (d) => void d.accept());
  shoot = screenshotter(page, 'reconnect');
  await page.goto(`${server.url}&open=chain.json`);
  await node(page, 'final-cut').waitFor();
  await page.locator('.conn.is-up').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await gw?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('runs outlive connections (web mode, real browser)', () => {
  step(
    'the WebSocket is cut mid-run: the editor reconnects, follows the run and sees its end',
    async () => {
      // Tasks stay running at the gateway until the editor has re-attached, so a slow machine cannot
      // let the run end while the connection is down (the test is about following a live run).
      gw.hold(['running']);
      await startRun();
      const before = await finished();
      server.dropSockets();
      await page.locator('.conn.is-down').waitFor();
      await shoot('connection-lost');
      await page.locator('.conn.is-up').waitFor({ timeout: 30_000 });
      // Re-attached: still "running", and progress keeps coming after the cut.
      await expect.poll(runStatus).toMatch(/^running/);
      gw.hold([]);
      await expect.poll(finished, { timeout: 120_000 }).toBeGreaterThan(before);
      await shoot('reconnected');
      await expectEnd();
      expect(gw.stats().creates).toBe(3);
      await shoot('ended-after-reconnect');
    },
    300_000,
  );

  step(
    'the page is reloaded mid-run: the reopened film shows the running render and its end',
    async () => {
      await selectNode(page, 'prompt-1');
      await page
        .getByTestId('inspector')
        .locator('textarea')
        .first()
        .fill('Wide shot: the lighthouse at night.');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Control+s');
      await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
      gw.hold(['running']);
      await startRun();
      await page.reload();
      await node(page, 'final-cut').waitFor();
      // Nothing of the run is in the new page until it re-attaches to it on the host.
      await expect.poll(runStatus, { timeout: 30_000 }).toMatch(/^running · \d+\/\d+ nodes/);
      await expect
        .poll(async () =>
          ['queued', 'running'].includes((await node(page, 'final-cut').getAttribute('data-status')) ?? ''),
        )
        .toBe(true);
      await shoot('reattached-after-reload');
      gw.hold([]);
      await expectEnd();
      expect(gw.stats().creates).toBe(6); // three shots again for the new prompt, never one more
      await shoot('ended-after-reload');
    },
    300_000,
  );

  step('raised no errors in the page', async () => {
    // A reload drops in-flight calls; a page error would be a bug, a refused call is not.
    expect(errors.filter((e) => !/lost the connection|cannot reach the Shotgraph server/.test(e))).toEqual(
      [],
    );
  });
});
