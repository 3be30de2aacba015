// The cast panel in a real browser (web mode, production build): graphs/continuity-film.json's two
// members with the shots the engine says call them in; a member added, named, given a kind, a
// reference image picked from the project's media and one imported, a voice sample and an asset id;
// a rename that carries the prompts' @mentions with it; a removal the engine then flags and undo
// brings back. What is saved is checked in the file itself.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../electron/web';
import { closeEditor, openEditor } from './editor-session';
import type { CastMember } from '../../shared/cast';
import type { Graph } from '../../shared/graph/schema';
import { screenshotter } from './browser';
import { node } from './canvas';

const REPO = path.resolve(import.meta.dirname, '../..');
let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;
const film = () => path.join(root, 'continuity-film.json');
const saved = () => JSON.parse(readFileSync(film(), 'utf8')) as Graph & { cast: CastMember[] };

/** The shots a member's card lists (the engine's answer), in order. */
const usedIn = (i: number) =>
  page
    .getByTestId(`cast-uses-${i}`)
    .locator('[data-shot]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-shot')));
const names = () =>
  page
    .locator('[data-testid^="cast-member-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-member')));

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (/_API_KEY$/.test(k)) delete process.env[k];
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-cast-'));
  cpSync(path.join(REPO, 'graphs/media'), path.join(root, 'media'), { recursive: true });
  cpSync(path.join(REPO, 'graphs/continuity-film.json'), film());
  ({ browser, server, page, errors } = await openEditor(root));
  shoot = screenshotter(page, 'cast-panel');
  await page.goto(`${server.url}&open=continuity-film.json`, { timeout: 180_000 });
  await node(page, 'shot-5').waitFor();
}, 240_000);

afterAll(() => closeEditor({ browser, server }, root));

describe('cast panel (web mode, real browser)', () => {
  it("lists the cast with the engine's shots per member and its pictures", async () => {
    await page.getByTestId('cast-open').click();
    await page.getByTestId('cast-panel').waitFor();
    await expect.poll(names).toEqual(['Mira', 'Harbour']);
    await expect.poll(() => usedIn(0)).toEqual(['shot-3', 'shot-4', 'shot-5']);
    await expect.poll(() => usedIn(1)).toEqual(['shot-1', 'shot-2', 'shot-3']);
    const mira = page.getByTestId('cast-images-0').locator('img');
    await expect.poll(() => mira.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(360);
    await shoot('cast');
  });

  it('adds a member: name, kind, a picked and an imported image, a voice, an asset id — saved', async () => {
    await page.getByTestId('cast-add').click();
    await expect.poll(names).toEqual(['Mira', 'Harbour', 'Character']);
    await expect.poll(() => page.getByTestId('cast-uses-2').textContent()).toMatch(/In no shot yet/);
    // A name the graph's rule refuses is not taken.
    await page.getByTestId('cast-name-2').fill('image1');
    await page.getByTestId('cast-name-2').press('Enter');
    await expect.poll(names).toEqual(['Mira', 'Harbour', 'Character']);
    await page.getByTestId('cast-name-2').fill('Lamp');
    await page.getByTestId('cast-name-2').press('Enter');
    await expect.poll(names).toEqual(['Mira', 'Harbour', 'Lamp']);
    await page.getByTestId('cast-kind-2').selectOption('prop');
    await page.getByTestId('cast-add-image-2').selectOption('media/set-design.png');
    await page.getByTestId('cast-import-2').setInputFiles({
      name: 'lamp.png',
      mimeType: 'image/png',
      buffer: readFileSync(path.join(REPO, 'graphs/media/cast-harbour.png')),
    });
    await expect.poll(() => page.getByTestId('cast-images-2').locator('img').count()).toBe(2);
    await page.getByTestId('cast-voice-2').selectOption('media/theme.mp3');
    await page.getByTestId('cast-asset-2').fill('asset://lamp-01');
    await page.getByTestId('save').click();
    await expect.poll(() => saved().cast.length).toBe(3);
    const lamp = saved().cast[2]!;
    expect(lamp).toMatchObject({
      name: 'Lamp',
      kind: 'prop',
      voice: 'media/theme.mp3',
      assetId: 'asset://lamp-01',
    });
    expect(lamp.images[0]).toBe('media/set-design.png');
    expect(lamp.images).toHaveLength(2);
    // The imported picture is a file of the project now, byte for byte.
    expect(
      readFileSync(path.join(root, lamp.images[1]!)).equals(
        readFileSync(path.join(REPO, 'graphs/media/cast-harbour.png')),
      ),
    ).toBe(true);
    await shoot('lamp');
  });

  it("a rename carries the prompts' @mentions: the engine still finds her in the same shots", async () => {
    await page.getByTestId('cast-name-0').fill('Mara');
    await page.getByTestId('cast-name-0').press('Enter');
    await expect.poll(names).toEqual(['Mara', 'Harbour', 'Lamp']);
    await expect.poll(() => usedIn(0)).toEqual(['shot-3', 'shot-4', 'shot-5']);
    await page.getByTestId('save').click();
    await expect.poll(() => saved().cast[0]!.name).toBe('Mara');
    const prompt = (id: string) => saved().nodes.find((n) => n.id === id)!.params.text as string;
    expect(prompt('prompt-3')).toMatch(/^@Mara steps out from behind the crates onto the quay of @Harbour/);
    expect(prompt('prompt-5')).toContain('@Mara turns back');
    expect(JSON.stringify(saved().nodes)).not.toContain('@Mira');
  });

  it('removing a member the prompts still call is flagged by the engine; undo brings it back', async () => {
    await page.getByTestId('cast-remove-1').click();
    await expect.poll(names).toEqual(['Mara', 'Lamp']);
    // The engine's verdict: shots 1–3 mention someone the cast no longer has.
    await expect.poll(() => page.locator('.status-problems').textContent()).toMatch(/⚠ \d+ problems?/);
    await page.getByTestId('undo').click();
    await expect.poll(names).toEqual(['Mara', 'Harbour', 'Lamp']);
    await expect.poll(() => usedIn(1)).toEqual(['shot-1', 'shot-2', 'shot-3']);
    await expect.poll(() => page.locator('.status-problems').textContent()).toBe('✓ no problems');
    // And redo removes it again: one step each way.
    await page.getByTestId('redo').click();
    await expect.poll(names).toEqual(['Mara', 'Lamp']);
    await page.getByTestId('undo').click();
    await expect.poll(names).toEqual(['Mara', 'Harbour', 'Lamp']);
    expect(errors).toEqual([]);
  });
});
