// Reusable films in the editor, end to end (issue 13): a real Chromium, the real web-mode server on
// 127.0.0.1, a template folder on disk and real video from the offline animatic provider. The
// editor opens on the start gallery, makes a film from a template, runs it with a changed input
// (the form, the engine's estimate, the result), then turns nodes into a sequence and drills in.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { probeMedia } from '../../electron/media/probe';
import type { WebServer } from '../../electron/web';
import { openEditor } from './editor-session';
import { screenshotter } from './browser';
import { storySteps } from './steps';
import { node } from './canvas';

let root: string;
let templates: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;

const OPENING = 'Wide shot: a red kite climbs over a grey sea at dawn.';
const ENDING = 'The kite string snaps; the kite drifts out of frame.';
const CHANGED = 'A child catches the kite string and laughs.';

/** A two-shot chain with two exposed inputs, as a template folder with a poster. */
async function makeTemplate(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const shot = {
    provider: 'animatic',
    duration: 4,
    resolution: '480p',
    ratio: '16:9',
    generate_audio: false,
  };
  const film = {
    format: 'shotgraph',
    version: 1,
    name: 'Kite chain',
    inputs: [
      { name: 'opening', node: 'prompt-1', field: 'text' },
      { name: 'ending', node: 'prompt-2', field: 'text', description: 'How the film ends' },
    ],
    nodes: [
      { id: 'prompt-1', type: 'prompt', position: { x: 0, y: 0 }, params: { text: OPENING } },
      { id: 'prompt-2', type: 'prompt', position: { x: 0, y: 300 }, params: { text: ENDING } },
      { id: 'shot-1', type: 'shot', position: { x: 380, y: 0 }, params: shot },
      { id: 'shot-2', type: 'shot', position: { x: 380, y: 300 }, params: shot },
      { id: 'final-cut', type: 'final_cut', position: { x: 760, y: 150 }, params: {} },
    ],
    edges: [
      { source: 'prompt-1', sourcePort: 'text', target: 'shot-1', targetPort: 'prompt' },
      { source: 'prompt-2', sourcePort: 'text', target: 'shot-2', targetPort: 'prompt' },
      { source: 'shot-1', sourcePort: 'last_frame', target: 'shot-2', targetPort: 'first_frame' },
      { source: 'shot-1', sourcePort: 'video', target: 'final-cut', targetPort: 'clips', order: 0 },
      { source: 'shot-2', sourcePort: 'video', target: 'final-cut', targetPort: 'clips', order: 1 },
    ],
  };
  writeFileSync(path.join(dir, 'film.json'), JSON.stringify(film, null, 2));
  const meta = {
    title: 'Kite chain',
    description: 'Two shots of a kite, the second starting on the first one’s last frame.',
    poster: 'poster.png',
  };
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(meta, null, 2));
  await runFfmpeg([
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180',
    '-frames:v',
    '1',
    '-y',
    path.join(dir, 'poster.png'),
  ]);
}

const step = storySteps(() => shoot);

const filmFile = () => path.join(root, 'films/kite-chain/film.json');

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-reuse-'));
  templates = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-templates-'));
  process.env.SHOTGRAPH_TEMPLATES_DIR = templates;
  await makeTemplate(path.join(templates, 'kite-chain'));
  ({ browser, server, page, errors } = await openEditor(root));
  // Accepts the suggested folder and names, as a user pressing Enter would.
  page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? d.defaultValue() : undefined));
  shoot = screenshotter(page, 'reuse');
  await page.goto(server.url);
  await page.locator('.conn.is-up').waitFor();
});

afterAll(async () => {
  delete process.env.SHOTGRAPH_TEMPLATES_DIR;
  await browser?.close();
  await server?.close();
  for (const dir of [root, templates]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reusable films (web mode, real browser)', () => {
  step('opens on the start gallery with the template, its poster and its inputs', async () => {
    const gallery = page.getByTestId('gallery');
    await gallery.waitFor();
    const card = page.getByTestId('template-kite-chain');
    await expect.poll(() => card.textContent()).toContain('Kite chain');
    expect(await card.textContent()).toContain('2 inputs: opening, ending');
    // The poster is the template's own picture, decoded by the browser.
    const width = await card.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth);
    expect(width).toBe(320);
    await shoot('gallery');
  });

  step('makes a film from the template: a project folder on disk, open on the canvas', async () => {
    await page.getByTestId('template-kite-chain').click();
    await page.getByTestId('gallery').waitFor({ state: 'detached' });
    for (const id of ['prompt-1', 'prompt-2', 'shot-1', 'shot-2', 'final-cut'])
      await node(page, id).waitFor();
    expect(await page.getByTestId('doc-title').textContent()).toContain('films/kite-chain/film.json');
    const saved = JSON.parse(readFileSync(filmFile(), 'utf8')) as { inputs: { name: string }[] };
    expect(saved.inputs.map((i) => i.name)).toEqual(['opening', 'ending']);
    await shoot('film-from-template');
  });

  step(
    'Run with… a changed input: the form, the estimate, the run and the finished film',
    async () => {
      await page.getByTestId('run-with').click();
      const form = page.getByTestId('app-mode');
      await form.waitFor();
      const ending = page.getByTestId('app-input-ending').locator('textarea');
      await expect.poll(() => ending.inputValue()).toBe(ENDING);
      expect(await page.getByTestId('app-input-opening').locator('textarea').inputValue()).toBe(OPENING);
      // Nothing rendered yet: both shots, their last frame and the cut are to render, for $0 offline.
      await expect.poll(() => page.getByTestId('app-estimate').textContent()).toContain('to render');
      await ending.fill(CHANGED);
      await expect.poll(() => page.getByTestId('app-run').textContent()).toBe('▶ Run with 1 change');
      await shoot('run-with-form');
      await page.getByTestId('app-run').click();
      const video = page.getByTestId('app-result');
      await video.waitFor({ timeout: 240_000 });
      // The result plays in the page: the browser decoded a film of two 4-second shots.
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : 0)))
        .toBeGreaterThan(7);
      const shown = (await page.locator('.app-result figcaption').textContent())!.trim();
      const info = await probeMedia(path.join(root, shown));
      expect(info.durationSec).toBeGreaterThan(7);
      await shoot('run-with-result');
      // The run used the value; the film itself is unchanged (the value was for this run only).
      const saved = JSON.parse(readFileSync(filmFile(), 'utf8')) as {
        nodes: { id: string; params: { text?: string } }[];
      };
      expect(saved.nodes.find((n) => n.id === 'prompt-2')!.params.text).toBe(ENDING);
      // The engine's estimate after the run: these values are cached, nothing to render.
      await expect.poll(() => page.getByTestId('app-estimate').textContent()).toContain('0 nodes to render');
      // Back to the default ending: only the second shot and the cut would render.
      await ending.fill(ENDING);
      await expect.poll(() => page.getByTestId('app-estimate').textContent()).toContain('2 nodes to render');
    },
    300_000,
  );

  step('makes a sequence of the first prompt and shot, drills into it and back out', async () => {
    await page.getByTestId('run-with-close').click();
    await page.getByTestId('app-mode').waitFor({ state: 'detached' });
    const status = page.getByTestId('film-total');
    // What the engine says is left to render, before and after: a sequence changes no shot's key.
    await expect.poll(() => status.textContent()).toContain('1 of 2 shots to render');
    await node(page, 'prompt-1').locator('.film-node__title').click();
    await node(page, 'shot-1')
      .locator('.film-node__title')
      .click({ modifiers: ['Shift'] });
    await page.getByTestId('make-sequence').click();
    const instance = node(page, 'sequence');
    await instance.waitFor();
    await expect.poll(() => node(page, 'shot-1').count()).toBe(0);
    expect(await instance.textContent()).toContain('2 nodes · 1 input');
    await expect.poll(() => status.textContent()).toContain('1 of 2 shots to render');
    await shoot('sequence-made');

    // This instance sets its own opening (the film input moved into the sequence with its prompt, and
    // now sets the instance's value: the film keeps it as an input).
    await page.getByTestId('sequence-inputs').locator('textarea').fill('A blue kite over a calm sea.');
    await instance.dblclick();
    await page.getByTestId('breadcrumb').waitFor();
    for (const id of ['prompt-1', 'shot-1']) await node(page, id).waitFor();
    expect(await node(page, 'final-cut').count()).toBe(0);
    await shoot('inside-sequence');
    await page.getByTestId('breadcrumb-film').click();
    await page.getByTestId('breadcrumb').waitFor({ state: 'detached' });
    await instance.waitFor();
    await node(page, 'final-cut').waitFor();

    await page.getByTestId('save').click();
    await expect
      .poll(
        () => (JSON.parse(readFileSync(filmFile(), 'utf8')) as { sequences?: unknown[] }).sequences?.length,
      )
      .toBe(1);
    const saved = JSON.parse(readFileSync(filmFile(), 'utf8')) as {
      inputs: { name: string }[];
      nodes: { id: string; type: string; params: { values?: Record<string, string> } }[];
      sequences: { nodes: { id: string }[]; inputs: { name: string }[] }[];
    };
    expect(saved.nodes.map((n) => n.id).sort()).toEqual(['final-cut', 'prompt-2', 'sequence', 'shot-2']);
    expect(saved.nodes.find((n) => n.id === 'sequence')!.params.values).toEqual({
      opening: 'A blue kite over a calm sea.',
    });
    expect(saved.sequences[0]!.nodes.map((n) => n.id)).toEqual(['prompt-1', 'shot-1']);
    expect(saved.inputs.map((i) => i.name)).toEqual(['opening', 'ending']);
  });

  step('Save as template puts the film, sequence and all, into the gallery', async () => {
    // The fixture of the same name goes first: the user's own templates are never overwritten.
    rmSync(path.join(templates, 'kite-chain'), { recursive: true, force: true });
    await page.getByTestId('save-as').click();
    await page.getByTestId('save-template').click();
    await expect.poll(() => existsSync(path.join(templates, 'kite-chain', 'film.json'))).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(templates, 'kite-chain', 'film.json'), 'utf8')) as {
      sequences: unknown[];
    };
    expect(saved.sequences).toHaveLength(1);
    await page.getByTestId('start').click();
    const card = page.getByTestId('template-kite-chain');
    await expect.poll(() => card.textContent()).toContain('yours · 2 inputs: opening, ending');
    await shoot('saved-as-template');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  step(
    'a batch from a CSV: one film per row, side by side, sharing the cache',
    async () => {
      await page.getByTestId('run-with').click();
      await page.getByTestId('batch').click();
      await page.getByTestId('batch-runs').waitFor();
      // Two rows share the sequence's opening shot: it renders once, then each ending.
      const csv = `ending\n"${CHANGED}"\n"The kite lands softly on the sand."\n`;
      await page
        .getByTestId('batch-file')
        .setInputFiles({ name: 'endings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await expect.poll(() => page.getByTestId('batch-csv').textContent()).toBe('CSV: endings.csv');
      await page.getByTestId('batch-run').click();
      for (const row of ['row-1', 'row-2']) await page.getByTestId(`batch-film-${row}`).waitFor();
      await shoot('batch-running');
      const results = page.getByTestId('batch-result');
      await expect.poll(() => results.count(), { timeout: 240_000 }).toBe(2);
      for (const row of ['row-1', 'row-2']) {
        const info = await probeMedia(path.join(root, 'films/kite-chain/batch', `${row}.mp4`));
        expect(info.durationSec).toBeGreaterThan(7);
      }
      await expect
        .poll(() => results.nth(1).evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : 0)))
        .toBeGreaterThan(7);
      expect(await page.getByTestId('batch-film-row-2').textContent()).toContain('The kite lands softly');
      // The shared cache: row 1 made the sequence's opening shot and its ending, row 2 only its ending.
      const made = page.getByTestId('batch-made');
      expect(await made.allTextContents()).toEqual([
        '2 shots generated, the rest from the cache',
        '1 shot generated, the rest from the cache',
      ]);
      await shoot('batch-done');
      await page.getByRole('button', { name: 'Back to the canvas' }).click();
    },
    300_000,
  );

  step('no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
