// What the editor's status bar says about a run the engine reports (web mode, real browser, offline):
// a run stopped at an approval gate ends "waiting for approval", naming the gate, not failed; once
// approved, a run says "measuring continuity" after its last node and before it ends.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../electron/web';
import { closeEditor, openEditor } from './editor-session';
import type { Graph } from '../../shared/graph/schema';
import { node, selectNode } from './canvas';

const REPO = path.resolve(import.meta.dirname, '../..');
let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
const film = () => path.join(root, 'continuity-film.json');
const saved = () => JSON.parse(readFileSync(film(), 'utf8')) as Graph;
const status = () => page.getByTestId('run-status').textContent();
/** Every text the run status showed, in order (kept by the page, so no state is missed between polls). */
const seen = () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (/_API_KEY$/.test(k)) delete process.env[k];
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-run-status-'));
  cpSync(path.join(REPO, 'graphs/media'), path.join(root, 'media'), { recursive: true });
  const g = JSON.parse(readFileSync(path.join(REPO, 'graphs/continuity-film.json'), 'utf8')) as Graph;
  g.nodes.find((n) => n.id === 'kf-open')!.needsApproval = true;
  writeFileSync(film(), JSON.stringify(g, null, 2));
  ({ browser, server, page, errors } = await openEditor(root));
  await page.goto(`${server.url}&open=continuity-film.json`, { timeout: 180_000 });
  await node(page, 'shot-2').waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    const el = document.querySelector('[data-testid="run-status"]')!;
    const note = () => {
      const t = el.textContent ?? '';
      if (w.seen.at(-1) !== t) w.seen.push(t);
    };
    new MutationObserver(note).observe(el, { childList: true, characterData: true, subtree: true });
    note();
  });
}, 240_000);

afterAll(() => closeEditor({ browser, server }, root));

describe('run status (web mode, real browser)', () => {
  it('a run held at a gate ends "waiting for approval" and names the gate', async () => {
    await page.getByTestId('run').click();
    await expect.poll(status, { timeout: 120_000 }).toBe('last run: waiting for approval');
    const toasts = await page.getByTestId('toast').allTextContents();
    expect(toasts.join('\n')).toContain('Waiting for approval of "kf-open" (take 1)');
    expect(toasts.join('\n')).not.toMatch(/run failed/i);
  }, 150_000);

  it('approved, a run shows "measuring continuity" after its last node, then ends', async () => {
    await page.getByTestId('approve-kf-open').click();
    await expect.poll(() => saved().nodes.find((n) => n.id === 'kf-open')!.approved).toEqual({ take: 1 });
    // The first two shots of the chain: one seam to measure.
    await selectNode(page, 'shot-2');
    await page.locator('.run-group').getByRole('button', { name: 'Run to here' }).click();
    await expect.poll(status, { timeout: 180_000 }).toBe('last run: succeeded');
    const texts = await seen();
    const measuring = texts.findIndex((t) => /^running · measuring continuity · \d+\/\d+ nodes$/.test(t));
    expect(measuring, texts.join(' | ')).toBeGreaterThan(-1);
    // Shown once every node of the run was done, and gone when the run ended.
    const [done, total] = /(\d+)\/(\d+) nodes/.exec(texts[measuring]!)!.slice(1);
    expect(done).toBe(total);
    expect(texts.lastIndexOf('last run: succeeded')).toBeGreaterThan(measuring);
    expect(errors).toEqual([]);
  }, 240_000);
});
