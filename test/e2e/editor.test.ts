// The editor end to end, as a user drives it: a real Chromium, the real web-mode server on
// 127.0.0.1, real files in a temp workspace and real video from the offline animatic provider.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { startWebServer, type WebServer } from '../../electron/web';
import { closeEditor, openEditor } from './editor-session';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { parseGraphText } from '../../shared/graph/parse';
import { screenshotter } from './browser';
import { storySteps } from './steps';
import {
  addByDoubleClick,
  addBySpace,
  drawWire,
  lastToast,
  node,
  pickFile,
  selectNode,
  wireCount,
} from './canvas';

let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;

const FILM = 'films/chase.json';
const graphFile = () => path.join(root, FILM);
const savedGraph = () => {
  const parsed = parseGraphText(readFileSync(graphFile(), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.graph;
};
const shape = (g: ReturnType<typeof savedGraph>) => ({
  nodes: g.nodes
    .map((n) => ({ id: n.id, type: n.type, params: n.params }))
    .sort((a, b) => a.id.localeCompare(b.id)),
  edges: g.edges
    .map((e) => `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}#${e.order ?? ''}`)
    .sort(),
});

// Steps build on each other; after one fails the rest report that instead of timing out in turn.
const step = storySteps(() => shoot);

/** A spot of canvas no node ever covers in this test (nodes grow when their clips appear). */
const clickEmptyCanvas = () => page.mouse.click(1220, 110);

/** A real 640×360 PNG, drawn by ffmpeg. */
async function makeStill(file: string): Promise<void> {
  await runFfmpeg([
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360',
    '-frames:v',
    '1',
    '-y',
    file,
  ]);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-'));
  ({ browser, server, page, errors } = await openEditor(root));
  page.on('dialog', (d) => void d.accept());
  shoot = screenshotter(page, 'editor');
  await page.goto(server.url);
  await page.getByTestId('canvas').waitFor();
  await page.locator('.conn.is-up').waitFor();
  // The editor opens on the start gallery; these steps begin from a blank film.
  await page.getByTestId('gallery-blank').click();
});

afterAll(() => closeEditor({ browser, server }, root));

describe('editor (web mode, real browser)', () => {
  step('builds prompt → shot → shot → final cut with mouse and keyboard', async () => {
    await expect(page.locator('.react-flow__node').count()).resolves.toBe(0);
    await shoot('empty-canvas');

    await addByDoubleClick(page, 300, 200, 'prompt');
    await addBySpace(page, 660, 110, 'shot');
    await addBySpace(page, 660, 520, 'shot');
    await addByDoubleClick(page, 1000, 330, 'final');
    for (const id of ['prompt-1', 'shot-1', 'shot-2', 'final-cut-1']) await node(page, id).waitFor();
    await shoot('four-nodes');

    await node(page, 'prompt-1').locator('textarea').fill('A red kite over a grey sea, slow dolly in');
    await drawWire(page, ['prompt-1', 'text'], ['shot-1', 'prompt']);
    await drawWire(page, ['prompt-1', 'text'], ['shot-2', 'prompt']);
    await drawWire(page, ['shot-1', 'last_frame'], ['shot-2', 'first_frame']);
    await drawWire(page, ['shot-1', 'video'], ['final-cut-1', 'clips']);
    await drawWire(page, ['shot-2', 'video'], ['final-cut-1', 'clips']);
    await expect.poll(() => wireCount(page)).toBe(5);
    await shoot('wired');
  });

  step('refuses an invalid connection and says why', async () => {
    await drawWire(page, ['prompt-1', 'text'], ['shot-1', 'first_frame']);
    expect(await lastToast(page)).toMatch(/first frame takes image, not text/);
    await shoot('refused-type');
    await drawWire(page, ['shot-2', 'last_frame'], ['shot-1', 'first_frame']);
    expect(await lastToast(page)).toMatch(/loop|cycle/);
    await shoot('refused-cycle');
    expect(await wireCount(page)).toBe(5);
  });

  step('sets shot parameters in the inspector, with the validator’s limits', async () => {
    for (const id of ['shot-1', 'shot-2']) {
      await selectNode(page, id);
      const duration = page.locator(`#f-${id}-duration`);
      await duration.fill('20');
      await expect
        .poll(() => page.locator('[data-field="duration"] .field-error').textContent())
        .toMatch(/4 to 15/);
      await duration.fill('4');
      await page.locator(`#f-${id}-resolution`).selectOption('480p');
      await expect.poll(() => node(page, id).locator('.chips').textContent()).toContain('4 s');
    }
    await shoot('inspector');
  });

  step(
    'saves, runs with the animatic provider, and plays the final cut',
    async () => {
      await clickEmptyCanvas(); // empty canvas: keyboard focus back on the editor
      await page.keyboard.press('Control+s');
      await pickFile(page, [], 'films/chase');
      await expect.poll(() => existsSync(graphFile())).toBe(true);
      await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);

      await page.keyboard.press('Control+Enter');
      // Best effort, for the reviewer: a shot caught mid-render (runs can be quicker than a frame).
      await page
        .locator('[data-status="running"]')
        .first()
        .waitFor({ timeout: 30_000 })
        .then(
          () => shoot('running'),
          () => undefined,
        );
      await expect
        .poll(
          () =>
            page.locator('[data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
          { timeout: 150_000, interval: 500 },
        )
        .toEqual(['done', 'done', 'done', 'done']);
      // The run itself ends once the continuity report is measured on the finished clips.
      await expect
        .poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000 })
        .toBe('last run: succeeded');
      const duration = await page
        .getByTestId('final-cut-video')
        .evaluate(
          (v: HTMLVideoElement) =>
            new Promise<number>((resolve) =>
              v.readyState >= 1
                ? resolve(v.duration)
                : v.addEventListener('loadedmetadata', () => resolve(v.duration)),
            ),
        );
      expect(duration).toBeGreaterThan(7.8);
      expect(duration).toBeLessThan(8.2);
      await expect(page.getByTestId('clip-shot-1').count()).resolves.toBe(1);
      await shoot('ran');
    },
    240_000,
  );

  step('marks clips stale after an edit, and current again after undo', async () => {
    const status = (id: string) => node(page, id).getAttribute('data-status');
    await selectNode(page, 'shot-2');
    await page.locator('#f-shot-2-duration').fill('5');
    await expect.poll(() => status('shot-2')).toBe('stale');
    await expect.poll(() => status('final-cut-1')).toBe('stale');
    expect(await status('shot-1')).toBe('done');
    await shoot('stale');
    await clickEmptyCanvas();
    await page.keyboard.press('Control+z');
    await expect.poll(() => status('shot-2')).toBe('done');
    await expect.poll(() => status('final-cut-1')).toBe('done');
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
  });

  step('reopens the saved file after a reload and finds the same graph', async () => {
    const before = savedGraph();
    expect(shape(before).edges).toHaveLength(5);
    expect(before.nodes.find((n) => n.id === 'shot-1')?.params).toMatchObject({
      duration: 4,
      resolution: '480p',
    });
    await page.reload();
    await page.getByTestId('canvas').waitFor();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
    // A reloaded editor opens on the start gallery again; a click meant for the canvas would land on
    // whatever card is under it, so leave it the way a user would before opening a file.
    await page.getByTestId('gallery-blank').click();
    await clickEmptyCanvas();
    await page.keyboard.press('Control+o');
    await pickFile(page, ['films', 'chase.json']);
    await node(page, 'final-cut-1').waitFor();
    expect(await wireCount(page)).toBe(5);
    // Clips already made are found on disk and shown without running anything.
    await expect.poll(() => node(page, 'final-cut-1').getAttribute('data-status')).toBe('cached');
    await expect(page.getByTestId('final-cut-video').count()).resolves.toBe(1);
    await shoot('reopened');
    await clickEmptyCanvas();
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('toast').last().textContent()).toMatch(/Saved/);
    expect(shape(savedGraph())).toEqual(shape(before));
  });

  step('undo and redo round-trip structural edits and drags', async () => {
    const saved = shape(savedGraph());
    await selectNode(page, 'shot-2');
    await clickEmptyCanvas();
    await selectNode(page, 'shot-2');
    await page.keyboard.press('Delete');
    await expect.poll(() => node(page, 'shot-2').count()).toBe(0);
    expect(await wireCount(page)).toBe(2);
    const title = node(page, 'shot-1').locator('.film-node__title');
    const box = (await title.boundingBox())!;
    await page.mouse.move(box.x + 10, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + 80, box.y + 60, { steps: 6 });
    await page.mouse.up();
    await shoot('edited');
    await page.keyboard.press('Control+z'); // the drag
    await page.keyboard.press('Control+z'); // the delete
    await expect.poll(() => node(page, 'shot-2').count()).toBe(1);
    // The restored wires are drawn once their nodes are measured, a frame or more after the nodes.
    await expect.poll(() => wireCount(page)).toBe(5);
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => node(page, 'shot-2').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => wireCount(page)).toBe(5);
    await page.keyboard.press('Control+s');
    await expect.poll(() => JSON.stringify(shape(savedGraph()))).toBe(JSON.stringify(saved));
    await shoot('undone');
  });

  step('renders the editor’s file identically from the command-line engine', async () => {
    const report = await runGraph({ graphPath: graphFile() });
    expect(report.status).toBe('succeeded');
    // Same file, same content keys: every node is reused from the editor's run.
    expect(report.submissions).toBe(0);
    expect(Object.values(report.nodes).every((n) => n.cached)).toBe(true);
  });

  step('copies, pastes and duplicates with the keyboard', async () => {
    await selectNode(page, 'shot-2');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await node(page, 'shot-3').waitFor();
    await page.keyboard.press('Control+d');
    await node(page, 'shot-4').waitFor();
    await shoot('pasted');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
  });

  step('auto-layout (L) lays the chain left to right, in a worker, as one undo step', async () => {
    // shot-2 was placed under shot-1, so its first-frame wire looped back; after L it must not.
    const positions = () =>
      Object.fromEntries(savedGraph().nodes.map((n) => [n.id, n.position ?? { x: NaN, y: NaN }]));
    await page.keyboard.press('Control+s');
    await expect.poll(() => savedGraph().nodes.length).toBe(4);
    const before = positions();
    await clickEmptyCanvas();
    await page.keyboard.press('l');
    await expect
      .poll(async () => {
        const box = async (id: string) => (await node(page, id).boundingBox())!;
        const [p, a, b, c] = await Promise.all(['prompt-1', 'shot-1', 'shot-2', 'final-cut-1'].map(box));
        return p!.x + p!.width <= a!.x && a!.x + a!.width <= b!.x && b!.x + b!.width <= c!.x;
      })
      .toBe(true);
    await page.keyboard.press('Control+s');
    await expect.poll(() => positions()['shot-2']!.x).not.toBe(before['shot-2']!.x);
    const after = positions();
    expect(after['shot-1']!.x).toBeGreaterThan(after['prompt-1']!.x);
    expect(after['shot-2']!.x).toBeGreaterThan(after['shot-1']!.x);
    expect(after['final-cut-1']!.x).toBeGreaterThan(after['shot-2']!.x);
    await shoot('auto-layout');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+s');
    await expect.poll(() => JSON.stringify(positions())).toBe(JSON.stringify(before));
  });

  step('imports an image, shows its thumbnail, and offers recovery after the tab is lost', async () => {
    await page.getByTestId('palette-image').click();
    await node(page, 'image-1').waitFor();
    const png = path.join(root, 'still.png');
    await makeStill(png);
    await node(page, 'image-1').getByTestId('file-input-image-1').setInputFiles(png);
    const thumb = node(page, 'image-1').locator('img.media-thumb');
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(640);
    expect(readFileSync(path.join(root, 'films/media/still.png')).equals(readFileSync(png))).toBe(true);
    await shoot('image');
    // The tab dies with unsaved work: the autosaved copy must be offered on the next start.
    await expect
      .poll(
        () =>
          existsSync(path.join(root, '.shotgraph/editor/recovery')) &&
          readdirSync(path.join(root, '.shotgraph/editor/recovery')).length,
        { timeout: 20_000 },
      )
      .toBe(1);
    await page.reload();
    await page.getByTestId('recovery').waitFor();
    await shoot('recovery-offered');
    await page.getByTestId('recovery').getByRole('button', { name: 'Restore' }).click();
    await node(page, 'image-1').waitFor();
    expect(await page.getByTestId('dirty').count()).toBe(1);
    await shoot('recovered');
  });

  step('shows validation problems on their node before running', async () => {
    await page.getByTestId('palette-shot').click();
    await node(page, 'shot-3').waitFor();
    await clickEmptyCanvas();
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => node(page, 'shot-3').getByTestId('node-issues').textContent())
      .toMatch(/needs a prompt/);
    await expect(page.getByTestId('problems-panel').textContent()).resolves.toMatch(/shot-3/);
    expect(await lastToast(page)).toMatch(/Fix 1 problem before running/);
    expect(await node(page, 'shot-1').getAttribute('data-status')).not.toBe('running');
    await shoot('problems');
  });

  step('raised no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
