// Editing around sequences, end to end (issue 13): a real Chromium against the real web-mode server
// on 127.0.0.1 and real files. A film uses a library sequence (`lib/opening.sequence.json`): its card
// shows the ports the file declares, a wire is drawn from one of them (and a wrong one refused by the
// shared rules), the library sequence opens read-only with its file named, and deleting a node takes
// the film input on it, restored by undo. The saved film is checked by the engine (`shotgraph validate`).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { WebServer } from '../../electron/web';
import { closeEditor, openEditor } from './editor-session';
import { runCli } from '../helpers/cli';
import { screenshotter } from './browser';
import { drawWire, handle, lastToast, node, pickFile, selectNode, wireCount } from './canvas';
import { storySteps } from './steps';

let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;

const SHOT = { provider: 'animatic', duration: 4, resolution: '480p', ratio: '16:9', generate_audio: false };
const ENDING = 'The kite lands softly on the sand.';

/** The opening, kept in a library file any film of the project can use. */
const LIBRARY = {
  id: 'opening',
  name: 'Opening',
  nodes: [
    {
      id: 'p',
      type: 'prompt',
      position: { x: 0, y: 0 },
      params: { text: 'A red kite climbs over the sea.' },
    },
    { id: 's', type: 'shot', position: { x: 380, y: 0 }, params: SHOT },
  ],
  edges: [{ source: 'p', sourcePort: 'text', target: 's', targetPort: 'prompt' }],
  inputs: [{ name: 'line', node: 'p', field: 'text' }],
  outputs: [
    { name: 'clip', node: 's', port: 'video' },
    { name: 'end', node: 's', port: 'last_frame' },
  ],
};

/** A film using it; its second shot is not yet chained to the opening's last frame. */
const FILM = {
  format: 'shotgraph',
  version: 2,
  name: 'Kite with a library opening',
  inputs: [{ name: 'ending', node: 'prompt-2', field: 'text' }],
  nodes: [
    {
      id: 'opening',
      type: 'sequence',
      label: 'Opening',
      position: { x: 0, y: 0 },
      params: { sequence: 'lib/opening.sequence.json', values: {} },
    },
    { id: 'prompt-2', type: 'prompt', position: { x: 0, y: 360 }, params: { text: ENDING } },
    { id: 'shot-2', type: 'shot', position: { x: 420, y: 300 }, params: SHOT },
    { id: 'final-cut', type: 'final_cut', position: { x: 840, y: 120 }, params: {} },
  ],
  edges: [
    { source: 'prompt-2', sourcePort: 'text', target: 'shot-2', targetPort: 'prompt' },
    { source: 'opening', sourcePort: 'clip', target: 'final-cut', targetPort: 'clips', order: 0 },
    { source: 'shot-2', sourcePort: 'video', target: 'final-cut', targetPort: 'clips', order: 1 },
  ],
};

const step = storySteps(() => shoot);
const filmFile = () => path.join(root, 'kite.json');
const libraryFile = () => path.join(root, 'lib', 'opening.sequence.json');
const saved = () =>
  JSON.parse(readFileSync(filmFile(), 'utf8')) as {
    inputs?: { name: string }[];
    nodes: { id: string }[];
    edges: { source: string; sourcePort: string; target: string; targetPort: string }[];
  };

/** Saves with the keyboard and waits until the file on disk says `done`. */
async function save(done: (film: ReturnType<typeof saved>) => boolean): Promise<void> {
  await page.getByTestId('save').click();
  await expect.poll(() => done(saved())).toBe(true);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-sequence-edit-'));
  mkdirSync(path.join(root, 'lib'));
  writeFileSync(libraryFile(), JSON.stringify(LIBRARY, null, 2));
  writeFileSync(filmFile(), JSON.stringify(FILM, null, 2));
  ({ browser, server, page, errors } = await openEditor(root));
  shoot = screenshotter(page, 'sequence-edit');
  await page.goto(server.url);
  await page.locator('.conn.is-up').waitFor();
}, 180_000);

afterAll(() => closeEditor({ browser, server }, root));

describe('editing around sequences (web mode, real browser)', () => {
  step('a library instance shows the ports its file declares, typed by the inner ports', async () => {
    await page.keyboard.press('Control+o');
    await pickFile(page, ['kite.json']);
    const card = node(page, 'opening');
    await card.waitFor();
    await expect
      .poll(() => card.textContent())
      .toContain('library lib/opening.sequence.json · 2 nodes · 1 input');
    // "end" leads to the inner shot's last frame: an image port; "clip" to its video. Before the file
    // is read the card only knows the wired port's name, untyped.
    const end = handle(page, 'opening', 'end', 'source');
    await expect.poll(() => end.getAttribute('data-porttype')).toBe('image');
    expect(await handle(page, 'opening', 'clip', 'source').getAttribute('data-porttype')).toBe('video');
    await shoot('library-card');
  });

  step(
    'a wire from a sequence port is drawn; one of the wrong type is refused by the shared rule',
    async () => {
      const before = await wireCount(page);
      await drawWire(page, ['opening', 'clip'], ['shot-2', 'first_frame']);
      expect(await lastToast(page)).toContain('first frame takes image, not video');
      expect(await wireCount(page)).toBe(before);
      await drawWire(page, ['opening', 'end'], ['shot-2', 'first_frame']);
      await expect.poll(() => wireCount(page)).toBe(before + 1);
      await save((f) => f.edges.some((e) => e.source === 'opening' && e.sourcePort === 'end'));
      expect(saved().edges).toContainEqual({
        source: 'opening',
        sourcePort: 'end',
        target: 'shot-2',
        targetPort: 'first_frame',
      });
      // The engine reads the library file and accepts the film as the editor saved it.
      const validate = await runCli(['validate', filmFile()]);
      expect(validate.code, validate.stderr).toBe(0);
      await shoot('wired-from-sequence');
    },
  );

  step('drills into the library sequence: its nodes, read-only, its file named, and back out', async () => {
    const library = readFileSync(libraryFile(), 'utf8');
    await node(page, 'opening').dblclick();
    const crumb = page.getByTestId('breadcrumb');
    await crumb.waitFor();
    for (const id of ['p', 's']) await node(page, id).waitFor();
    expect(await node(page, 'final-cut').count()).toBe(0);
    expect(await page.getByTestId('breadcrumb-library').textContent()).toMatch(
      /Read-only: kept in lib\/opening\.sequence\.json and shared by every film that uses it/,
    );
    await shoot('inside-library-sequence');
    // An edit inside is refused, saying why; the node stays.
    await selectNode(page, 'p');
    await page.keyboard.press('Delete');
    expect(await lastToast(page)).toContain('shared by every film that uses it');
    expect(await node(page, 'p').count()).toBe(1);
    // Escape leads back out, as the breadcrumb's film name does.
    await page.keyboard.press('Escape');
    await crumb.waitFor({ state: 'detached' });
    await node(page, 'final-cut').waitFor();
    expect(readFileSync(libraryFile(), 'utf8')).toBe(library);
  });

  step(
    'Copy into this film: the instance gets its own editable copy; the library file is untouched',
    async () => {
      const library = readFileSync(libraryFile(), 'utf8');
      await node(page, 'opening').dblclick();
      await page.getByTestId('copy-into-film').click();
      await page.getByTestId('breadcrumb-library').waitFor({ state: 'detached' });
      await page.getByTestId('breadcrumb').waitFor();
      const text = node(page, 'p').locator('textarea');
      await text.fill('A blue kite, only in this film.');
      await page.getByTestId('breadcrumb-film').click();
      await page.getByTestId('breadcrumb').waitFor({ state: 'detached' });
      await save((f) => Array.isArray((f as { sequences?: unknown[] }).sequences));
      const film = saved() as unknown as {
        nodes: { id: string; params: { sequence?: string } }[];
        sequences: { id: string; nodes: { id: string; params: { text?: string } }[] }[];
      };
      expect(film.nodes.find((n) => n.id === 'opening')!.params.sequence).toBe('opening');
      expect(film.sequences[0]!.nodes.find((n) => n.id === 'p')!.params.text).toBe(
        'A blue kite, only in this film.',
      );
      expect(readFileSync(libraryFile(), 'utf8')).toBe(library);
      const validate = await runCli(['validate', filmFile()]);
      expect(validate.code, validate.stderr).toBe(0);
      await shoot('copied-into-film');
    },
  );

  step('deleting a node takes the film input on it in one step; undo brings both back', async () => {
    await selectNode(page, 'prompt-2');
    await page.keyboard.press('Delete');
    await expect.poll(() => node(page, 'prompt-2').count()).toBe(0);
    await save((f) => !f.nodes.some((n) => n.id === 'prompt-2'));
    expect(saved().inputs ?? []).toEqual([]);
    await shoot('deleted-with-input');
    await page.keyboard.press('Control+z');
    await node(page, 'prompt-2').waitFor();
    await save((f) => f.nodes.some((n) => n.id === 'prompt-2'));
    expect(saved().inputs).toEqual([{ name: 'ending', node: 'prompt-2', field: 'text' }]);
    // Run with… lists it again: the host's typed list of the film's inputs.
    await page.getByTestId('run-with').click();
    await expect
      .poll(() => page.getByTestId('app-input-ending').locator('textarea').inputValue())
      .toBe(ENDING);
    await page.getByTestId('run-with-close').click();
  });

  step('no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
