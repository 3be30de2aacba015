// The continuity report on the storyboard (issue 14 item 5): a real Chromium on the real web-mode
// server renders the three-shot chain on the offline animatic; each chained card then shows the
// figures the engine measured — the seam's SSIM and the sharpness against the chain's first shot,
// flagged where the engine warned — the same numbers the run wrote into the project's history.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/web';
import { closeEditor, openEditor } from './editor-session';
import type { ContinuityReport } from '../../shared/continuity';
import type { Graph } from '../../shared/graph/schema';
import { screenshotter } from './browser';
import { node, pickFile } from './canvas';

let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;

/** The continuity report of the last run, once the engine has written its end into the history. */
function lastReport(): ContinuityReport | undefined {
  const lines = readFileSync(path.join(root, '.shotgraph/history.jsonl'), 'utf8').trim().split('\n');
  const end = lines
    .map((l) => JSON.parse(l) as { type: string; continuity?: ContinuityReport })
    .filter((e) => e.type === 'run-end')
    .at(-1);
  return end?.continuity;
}

beforeAll(async () => {
  for (const v of Object.keys(process.env)) if (v.endsWith('_API_KEY')) delete process.env[v];
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-continuity-'));
  const sample = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../graphs/three-shot-chain.json'), 'utf8'),
  ) as Graph;
  for (const n of sample.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  writeFileSync(path.join(root, 'chain.json'), JSON.stringify(sample, null, 2));
  ({ browser, server, page, errors } = await openEditor(root));
  shoot = screenshotter(page, 'continuity');
  await page.goto(server.url);
  await page.locator('.conn.is-up').waitFor();
}, 180_000);

afterAll(() => closeEditor({ browser, server }, root));

describe('continuity on the storyboard (web mode, real browser)', () => {
  it('after a run, chained cards show the engine’s seam SSIM and sharpness, flagged where it warned', async () => {
    await page.keyboard.press('Control+o');
    await pickFile(page, ['chain.json']);
    await node(page, 'final-cut').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => node(page, 'final-cut').getAttribute('data-status'), { timeout: 240_000, interval: 250 })
      .toBe('done');
    await page.getByTestId('view-split').click();
    await page.getByTestId('storyboard').waitFor();

    // The report is measured after the final cut, then ends the run.
    await expect.poll(() => lastReport(), { timeout: 120_000 }).toBeDefined();
    const report = lastReport()!;
    expect(report.seams.map((s) => s.to)).toEqual(['shot-2', 'shot-3']);
    // The chain's first shot has no seam into it and is its own yardstick: no badge.
    await expect(page.getByTestId('continuity-shot-1').count()).resolves.toBe(0);
    const chain = report.chains[0]!;
    // The sample's shots are animatic stand-ins: the engine shows their sharpness, never judges it.
    expect(chain.standIn).toBe(true);
    expect(chain.warning).toBeUndefined();
    for (const id of ['shot-2', 'shot-3']) {
      const seam = report.seams.find((s) => s.to === id)!;
      const ratio = chain.shots.find((s) => s.nodeId === id)!.ratio;
      const badge = page.getByTestId(`continuity-${id}`);
      const flagged = !!seam.warning || !!chain.shots.find((s) => s.nodeId === id)!.soft;
      await expect
        .poll(() => badge.textContent())
        .toBe(`${flagged ? '⚠ ' : ''}seam ${seam.ssim.toFixed(2)} · ${Math.round(ratio * 100)}% sharp`);
      await expect(badge.getAttribute('class')).resolves.toMatch(
        flagged ? /is-warning/ : /^story-continuity\s*$/,
      );
      if (!flagged) await expect(badge.getAttribute('title')).resolves.toContain('animatic stand-ins');
    }
    await shoot('badges');
    expect(errors).toEqual([]);
  }, 300_000);
});
