// The keyframe card in a real browser (web mode): the frames a run made, and the Approve button of a
// gated keyframe, which has the host record the approval in the saved graph file (takes.approve).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { startWebServer, type WebServer } from '../../electron/web';
import { closeEditor, openEditor } from './editor-session';
import type { Graph } from '../../shared/graph/schema';

import { node, selectNode } from './canvas';

const REPO = path.resolve(import.meta.dirname, '../..');
let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
const film = () => path.join(root, 'film.json');
const saved = () => JSON.parse(readFileSync(film(), 'utf8')) as Graph;

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (/_API_KEY$/.test(k)) delete process.env[k];
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-keyframes-'));
  cpSync(path.join(REPO, 'graphs/media'), path.join(root, 'media'), { recursive: true });
  const g = JSON.parse(readFileSync(path.join(REPO, 'graphs/keyframes-film.json'), 'utf8')) as Graph;
  g.nodes.find((n) => n.id === 'kf-close')!.needsApproval = true;
  writeFileSync(film(), JSON.stringify(g, null, 2));
  // The keyframes only (offline stills): what the card shows and what may be approved.
  const made = await runGraph({ graphPath: film(), until: 'kf-close', provider: 'animatic' });
  expect(made.status).toBe('succeeded');
  ({ browser, server, page, errors } = await openEditor(root));
  await page.goto(`${server.url}&open=film.json`, { timeout: 180_000 });
  await node(page, 'kf-close').waitFor();
}, 240_000);

afterAll(() => closeEditor({ browser, server }, root));

describe('keyframe card (web mode, real browser)', () => {
  it('shows the set it made and approves the take into the saved file', async () => {
    const card = node(page, 'kf-close');
    // Both frames of the set, loaded as real images.
    for (const port of ['image', 'frame_2']) {
      const img = page.getByTestId(`frame-kf-close-${port}`);
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1280);
    }
    // Only the gated keyframe has a gate.
    expect(await page.getByTestId('approve-kf-open').count()).toBe(0);
    const button = page.getByTestId('approve-kf-close');
    await expect.poll(() => button.isEnabled()).toBe(true);
    expect(await button.textContent()).toBe('Approve take 1');
    await button.click();
    await expect.poll(() => saved().nodes.find((n) => n.id === 'kf-close')!.approved).toEqual({ take: 1 });
    await expect.poll(() => card.getByTestId('approval-kf-close').textContent()).toBe('take 1 approved');
    // The inspector's switch makes another keyframe a gate: its card now asks for approval.
    await selectNode(page, 'kf-open');
    // The checkbox itself is hidden behind its styled track: click the label, as a user does.
    await page.locator('label[for="gate-kf-open"]').click();
    await expect.poll(() => page.getByTestId('approve-kf-open').textContent()).toBe('Approve take 1');
    expect(errors).toEqual([]);
  }, 120_000);
});
