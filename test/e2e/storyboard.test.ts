// The storyboard, timeline, takes, exports and gateway settings end to end, as a director drives
// them: a real Chromium, the real web-mode server, the sample three-shot chain rendered by the
// offline animatic, and the films checked with ffmpeg (SSIM, ffprobe).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTakes } from '../../electron/engine/takes';
import { startWebServer, type WebServer } from '../../electron/web';
import { closeEditor, openEditor } from './editor-session';
import { parseGraphText } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { durationOf, makeTone, ssimBetween } from '../helpers/media';
import { screenshotter } from './browser';
import { storySteps } from './steps';
import { node, pickFile, selectNode } from './canvas';

const KEY_VARS = [
  'ARK_API_KEY',
  'SEED2_API_KEY',
  'APIFRAME_API_KEY',
  'XINGCHAO_API_KEY',
  'INFERENCE_API_KEY',
];

let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;

const graphFile = () => path.join(root, 'chain.json');
const film = () => path.join(root, 'chain.mp4');
const savedGraph = (): Graph => {
  const parsed = parseGraphText(readFileSync(graphFile(), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.graph;
};
const cutOrder = (g: Graph) =>
  g.edges
    .filter((e) => e.target === 'final-cut' && e.targetPort === 'clips')
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => e.source);
/** Ids of the storyboard's cards in the order they are shown. */
const cards = () =>
  page
    .locator('[data-card]')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-card')}#${e.getAttribute('data-index')}`));
const statuses = () =>
  page
    .locator('.react-flow__node [data-status]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
const shotClip = async (id: string) => (await listTakes(graphFile(), id)).find((t) => t.active)!.video;

/** Gives the keyboard back to the editor (out of any field), as a click on empty space would. */
const focusEditor = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

/**
 * Runs the film with the keyboard and waits for the final cut to be made again (it is stale or new
 * before each run here, so "done" can only come from this run); unchanged shots come from the cache.
 */
async function runAll(): Promise<void> {
  // The engine's answer about the edit comes a moment after it (debounced, then asked over HTTP).
  await expect
    .poll(() => node(page, 'final-cut').getAttribute('data-status'), { timeout: 10_000 })
    .not.toBe('done');
  await focusEditor();
  await page.keyboard.press('Control+Enter');
  await expect
    .poll(() => node(page, 'final-cut').getAttribute('data-status'), { timeout: 90_000, interval: 250 })
    .toBe('done');
  expect((await statuses()).every((s) => s === 'done' || s === 'cached')).toBe(true);
  // The run ends after its last node: the continuity report is measured on the finished clips, and
  // on a busy machine that takes seconds; a run started meanwhile is refused as "already in progress".
  await expect
    .poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000 })
    .toBe('last run: succeeded');
}

async function centre(selector: string) {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

const step = storySteps(() => shoot);

beforeAll(async () => {
  for (const v of KEY_VARS) delete process.env[v]; // every shot renders on the free animatic
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-board-'));
  const sample = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../graphs/three-shot-chain.json'), 'utf8'),
  ) as Graph;
  for (const n of sample.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  writeFileSync(graphFile(), JSON.stringify(sample, null, 2));
  ({ browser, server, page, errors } = await openEditor(root));
  page.on('dialog', (d) => void d.accept());
  shoot = screenshotter(page, 'storyboard');
  await page.goto(server.url);
  await page.locator('.conn.is-up').waitFor();
  // The editor opens on the start gallery; these steps begin from a blank film.
  await page.getByTestId('gallery-blank').click();
});

afterAll(() => closeEditor({ browser, server }, root));

describe('storyboard and timeline (web mode, real browser)', () => {
  step(
    'opens the three-shot chain and renders it',
    async () => {
      await page.keyboard.press('Control+o');
      await pickFile(page, ['chain.json']);
      await node(page, 'final-cut').waitFor();
      await runAll();
      expect(await durationOf(film())).toBeCloseTo(12, 1);
    },
    120_000,
  );

  step('shows the shots as cards in film order, with posters, beside the canvas', async () => {
    await page.getByTestId('view-split').click();
    await page.getByTestId('storyboard').waitFor();
    expect(await cards()).toEqual(['shot-1#0', 'shot-2#1', 'shot-3#2']);
    for (const id of ['shot-1', 'shot-2', 'shot-3']) {
      const img = page.getByTestId(`card-${id}`).locator('.poster img');
      await expect
        .poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth))
        .toBeGreaterThan(0);
      await expect(page.getByTestId(`card-${id}`).getAttribute('data-status')).resolves.toBe('done');
    }
    const card = page.getByTestId('card-shot-1');
    await expect(card.textContent()).resolves.toMatch(/4\.0 s.*Lighthouse at dusk/s);
    await expect(card.textContent()).resolves.toMatch(/lighthouse on a rocky coast/);
    await expect(card.textContent()).resolves.toMatch(/take 1/);
    await expect(card.textContent()).resolves.toMatch(/free animatic/);
    await shoot('storyboard-split');
  });

  step('selecting a card selects its node on the canvas, and back', async () => {
    await page.getByTestId('card-shot-2').locator('.story-prompt').click();
    await expect.poll(() => page.getByTestId('inspector').locator('h2 .mono').textContent()).toBe('shot-2');
    await expect(node(page, 'shot-2').getAttribute('class')).resolves.toMatch(/is-selected/);
    await selectNode(page, 'shot-1');
    await expect.poll(() => page.getByTestId('card-shot-1').getAttribute('class')).toMatch(/is-selected/);
    await expect(page.getByTestId('card-shot-2').getAttribute('class')).resolves.not.toMatch(/is-selected/);
  });

  step('drags card 3 before card 1 with the mouse: the cut is reordered, undoably', async () => {
    const from = await centre('[data-testid="card-shot-3"] .story-poster');
    const to = await centre('[data-testid="card-shot-1"]');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y - 20, { steps: 4 });
    await page.mouse.move(to.box.x + 30, to.y, { steps: 12 });
    await expect.poll(() => page.getByTestId('card-shot-1').getAttribute('class')).toMatch(/drop-before/);
    await shoot('dragging-card-3');
    await page.mouse.up();
    await expect.poll(cards).toEqual(['shot-3#0', 'shot-1#1', 'shot-2#2']);
    await page.keyboard.press('Control+z');
    await expect.poll(cards).toEqual(['shot-1#0', 'shot-2#1', 'shot-3#2']);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(cards).toEqual(['shot-3#0', 'shot-1#1', 'shot-2#2']);
    await page.keyboard.press('Control+s');
    await expect.poll(() => cutOrder(savedGraph())).toEqual(['shot-3', 'shot-1', 'shot-2']);
    await shoot('reordered');
  });

  step(
    're-renders: the film now opens on shot 3',
    async () => {
      await runAll();
      const [shot3, shot1] = [await shotClip('shot-3'), await shotClip('shot-1')];
      // The film's first frames are shot 3's (shot 1's differ by about 0.12 in SSIM there).
      const same = await ssimBetween(film(), 0.5, shot3, 0.5);
      const other = await ssimBetween(film(), 0.5, shot1, 0.5);
      expect(same).toBeGreaterThan(0.95);
      expect(other).toBeLessThan(same - 0.05);
      // Shot 1 now starts at 4 s in the film.
      expect(await ssimBetween(film(), 6, shot1, 2)).toBeGreaterThan(0.95);
    },
    120_000,
  );

  step(
    'a 1 s crossfade set in the timeline makes the film 1 s shorter',
    async () => {
      const before = await durationOf(film());
      await page.getByTestId('toggle-timeline').click();
      await page.getByTestId('timeline').waitFor();
      await expect(page.getByTestId('tl-total').textContent()).resolves.toBe('Total 0:12');
      await page.getByTestId('tl-marker-shot-1').click();
      const editor = page.getByTestId('transition-editor');
      await editor.getByRole('radio', { name: 'Crossfade' }).click();
      await editor.getByLabel('Length (s)').fill('1');
      await expect.poll(() => page.getByTestId('tl-total').textContent()).toBe('Total 0:11');
      await shoot('timeline-crossfade');
      await editor.getByRole('button', { name: 'close transition' }).click();
      await page.keyboard.press('Control+s');
      await expect
        .poll(() => savedGraph().nodes.find((n) => n.id === 'final-cut')?.params.transitions)
        .toEqual({ 'shot-1': { type: 'crossfade', duration: 1 } });
      await runAll();
      const after = await durationOf(film());
      expect(before - after).toBeCloseTo(1, 1);
      expect(after).toBeCloseTo(11, 1);
    },
    120_000,
  );

  step('trims a clip by its handle and by numbers, and shows a timeline problem inline', async () => {
    // The out handle, dragged a quarter of the clip to the left: one second off a 4 s clip.
    const block = (await page.getByTestId('tl-clip-shot-2').boundingBox())!;
    const handle = await centre('[data-testid="tl-clip-shot-2"] .tl-handle.is-out');
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move(handle.x - block.width / 8, handle.y, { steps: 5 });
    await page.mouse.move(handle.x - block.width / 4, handle.y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('tl-total').textContent()).toBe('Total 0:10');
    await expect(page.getByTestId('clip-fields').getByLabel('Out (s)').inputValue()).resolves.toBe('3');
    await focusEditor();
    await page.keyboard.press('Control+z'); // the whole drag is one step
    await expect.poll(() => page.getByTestId('tl-total').textContent()).toBe('Total 0:11');
    const fields = page.getByTestId('clip-fields');
    await fields.getByLabel('Out (s)').fill('0.5');
    // A 1 s crossfade into shot-1 is fine, but shot-2 is now shorter than nothing around it needs…
    await expect.poll(() => page.getByTestId('tl-total').textContent()).toBe('Total 0:07.5');
    await page.getByTestId('tl-marker-shot-2').click();
    await page.getByTestId('transition-editor').getByRole('radio', { name: 'Fade to black' }).click();
    await expect.poll(() => page.getByTestId('tl-problems').textContent()).toMatch(/longer than "shot-2"/);
    await shoot('timeline-problem');
    await page.getByTestId('transition-editor').getByRole('button', { name: 'close transition' }).click();
    await focusEditor();
    await page.keyboard.press('Control+z'); // the fade
    await page.keyboard.press('Control+z'); // the trim
    await expect.poll(() => page.getByTestId('tl-total').textContent()).toBe('Total 0:11');
    await expect(page.getByTestId('tl-problems').count()).resolves.toBe(0);
  });

  step(
    'makes take 2 of a shot, then goes back to take 1 with one click',
    async () => {
      await page.getByTestId('takes-shot-2').click();
      const drawer = page.getByTestId('takes-drawer');
      await drawer.getByTestId('take-1').waitFor();
      await drawer.getByTestId('another-take').click();
      await expect.poll(() => savedGraph().nodes.find((n) => n.id === 'shot-2')?.take).toBe(2);
      const take2 = drawer.getByTestId('take-2').locator('.poster img');
      await expect
        .poll(() => take2.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), {
          timeout: 60_000,
        })
        .toBeGreaterThan(0);
      expect((await listTakes(graphFile(), 'shot-2')).map((t) => t.take)).toEqual([1, 2]);
      await expect(page.getByTestId('card-shot-2').textContent()).resolves.toMatch(/take 2 of 2/);
      await shoot('takes-side-by-side');
      await drawer.getByTestId('take-1').locator('button').click();
      await expect.poll(() => savedGraph().nodes.find((n) => n.id === 'shot-2')?.take).toBe(1);
      await expect.poll(() => page.getByTestId('card-shot-2').textContent()).toMatch(/take 1 of 2/);
      await expect.poll(() => page.getByTestId('card-shot-2').getAttribute('data-status')).toBe('cached');
      await expect(page.getByTestId('dirty').count()).resolves.toBe(0);
      await shoot('take-1-again');
      await drawer.getByRole('button', { name: 'close takes' }).click();
    },
    90_000,
  );

  step('adds a shot after card 1, chained by its last frame and next in the cut', async () => {
    await page.getByTestId('add-after-shot-3').click();
    await node(page, 'shot-4').waitFor();
    await node(page, 'prompt-4').waitFor();
    expect(await cards()).toEqual(['shot-3#0', 'shot-4#1', 'shot-1#2', 'shot-2#3']);
    await expect(page.getByTestId('card-shot-4').getAttribute('class')).resolves.toMatch(/is-selected/);
    await page.getByTestId('inspector').getByLabel('Prompt').fill('The beam sweeps across the fog bank.');
    await expect(page.getByTestId('card-shot-4').textContent()).resolves.toMatch(/beam sweeps/);
    await shoot('shot-added');
    await focusEditor();
    await page.keyboard.press('Control+z'); // the prompt text
    await page.keyboard.press('Control+z'); // the new shot
    await expect.poll(() => node(page, 'shot-4').count()).toBe(0);
    expect(await cards()).toEqual(['shot-3#0', 'shot-1#1', 'shot-2#2']);
  });

  step('the final cut’s inspector has proper controls, never "[object Object]"', async () => {
    await page.getByTestId('tl-music').click(); // the music row opens the final cut's settings
    await expect
      .poll(() => page.getByTestId('inspector').locator('h2 .mono').textContent())
      .toBe('final-cut');
    const inspector = page.getByTestId('inspector');
    await expect(inspector.textContent()).resolves.not.toMatch(/object Object/);
    expect(
      await inspector
        .locator('input[type="text"]')
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).not.toContain('[object Object]');
    await inspector.getByLabel('Target (LUFS)').fill('-16');
    await inspector.getByLabel('Codec').selectOption('h265');
    await expect
      .poll(() => savedGraph().nodes.find((n) => n.id === 'final-cut')?.params.loudness)
      .toBeUndefined(); // not saved yet
    // A music bed from a file: imported into the film's media folder, drawn under the timeline.
    await page
      .getByTestId('music-input-final-cut')
      .setInputFiles(await makeTone(path.join(root, 'theme.wav'), 3));
    await expect.poll(() => page.getByTestId('tl-music').textContent()).toMatch(/theme\.wav · -12 dB/);
    await inspector.getByLabel('Fade in (s)').fill('2');
    await expect(page.getByTestId('tl-music').textContent()).resolves.toMatch(/fades in 2 s/);
    expect(existsSync(path.join(root, 'media', 'theme.wav'))).toBe(true);
    await shoot('final-cut-inspector');
    await focusEditor();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Control+z'); // fade, music, codec, target
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
  });

  step('exports the cut as OTIO and as a storyboard sheet beside the film', async () => {
    await page.getByTestId('export').click();
    await page.getByTestId('export-otio').click();
    await expect.poll(() => page.getByTestId('toast').last().textContent()).toMatch(/chain\.otio/);
    const otio = JSON.parse(readFileSync(path.join(root, 'chain.otio'), 'utf8')) as {
      tracks: {
        children: {
          children: {
            OTIO_SCHEMA: string;
            metadata: { shotgraph: { node: string } };
            source_range: { duration: { value: number } };
          }[];
        }[];
      };
    };
    const clips = otio.tracks.children[0]!.children.filter((c) => c.OTIO_SCHEMA === 'Clip.2');
    expect(clips.map((c) => c.metadata.shotgraph.node)).toEqual(['shot-3', 'shot-1', 'shot-2']);
    expect(clips.reduce((a, c) => a + c.source_range.duration.value, 0)).toBe(11 * 24);
    await page.getByTestId('export').click();
    await page.getByTestId('export-png').click();
    await expect
      .poll(() => existsSync(path.join(root, 'chain-storyboard.png')), { timeout: 30_000 })
      .toBe(true);
    await page.getByTestId('export').click();
    await expect(page.getByTestId('exported').textContent()).resolves.toBe('chain-storyboard.png');
    await shoot('exported');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('export-otio').count()).resolves.toBe(0);
    await focusEditor();
  });

  step('gateway settings: film gateway, keys shown only as set / not set, capabilities', async () => {
    await page.getByTestId('gateway-pill').click();
    const dialog = page.getByTestId('gateway-settings');
    await dialog.waitFor();
    await expect(dialog.getByTestId('capabilities').textContent()).resolves.toMatch(
      /seed2\.io.*xingchaoyiqing.*inference\.sh/s,
    );
    const seed2 = dialog.getByTestId('key-seed2');
    await expect(seed2.getByTestId('key-status').textContent()).resolves.toBe('not set');
    await seed2.getByLabel('API key for seed2.io').fill('sk-e2e-secret-123456');
    await seed2.getByRole('button', { name: 'Store' }).click();
    await expect.poll(() => seed2.getByTestId('key-status').textContent()).toBe('set');
    await expect(seed2.getByLabel('API key for seed2.io').inputValue()).resolves.toBe('');
    await expect(page.content()).resolves.not.toContain('sk-e2e-secret');
    await dialog.getByTestId('film-gateway').selectOption('apiframe');
    await shoot('gateway-settings');
    await seed2.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => seed2.getByTestId('key-status').textContent()).toBe('not set');
    await dialog.getByRole('button', { name: 'close gateways' }).click();
    await expect(page.getByTestId('gateway-pill').textContent()).resolves.toBe('Apiframe');
    // A shot of the chain on seed2.io: its first frame is another shot's output, which seed2.io cannot take.
    await page.getByTestId('card-shot-2').locator('.story-prompt').click();
    await page.locator('#f-shot-2-provider').selectOption('seed2');
    await expect
      .poll(() => node(page, 'shot-2').getByTestId('node-issues').textContent())
      .toMatch(/seed2\.io/);
    await shoot('shot-gateway-flagged');
    await focusEditor();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => node(page, 'shot-2').getByTestId('node-issues').count()).toBe(0);
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
    const saved = readFileSync(graphFile(), 'utf8');
    expect(saved).not.toContain('sk-e2e');
    expect(savedGraph().settings?.provider).toBeUndefined();
  });

  step('groups cards by scene in the storyboard-only view', async () => {
    const scene = async (id: string, name: string) => {
      await page.getByTestId(`card-${id}`).locator('.story-prompt').click();
      await page.getByTestId('inspector').getByLabel('Scene').fill(name);
    };
    await scene('shot-3', 'The beam');
    await scene('shot-1', 'Dusk');
    await scene('shot-2', 'Dusk');
    await page.getByTestId('toggle-timeline').click();
    await page.getByTestId('view-board').click();
    await expect(page.getByTestId('canvas').count()).resolves.toBe(0);
    await expect.poll(() => page.locator('.board-scene h3').allTextContents()).toEqual(['The beam', 'Dusk']);
    expect(await cards()).toEqual(['shot-3#0', 'shot-1#1', 'shot-2#2']);
    await shoot('storyboard-by-scene');
    await page.getByTestId('view-split').click();
    await page.getByTestId('canvas').waitFor();
  });

  step('freezes a shot from its inspector, undoably, and saves it in the film', async () => {
    await page.getByTestId('card-shot-1').locator('.story-prompt').click();
    const freeze = page.getByTestId('inspector').getByLabel('Freeze');
    await freeze.check({ force: true });
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
    expect(savedGraph().nodes.find((n) => n.id === 'shot-1')?.frozen).toBe(true);
    await freeze.uncheck({ force: true });
    await page.keyboard.press('Control+s');
    await expect.poll(() => savedGraph().nodes.find((n) => n.id === 'shot-1')?.frozen).toBeUndefined();
  });

  step('raised no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
