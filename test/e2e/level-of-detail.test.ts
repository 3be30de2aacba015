// Level of detail on a big film, in a real Chromium on the production build: opened at its
// fitted zoom, every card is a light card (no prompt text, no port labels) and every wire is still
// drawn to its port; zoomed in, the cards in view are full again, prompt text included.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../electron/web';
import { serializeGraph } from '../../shared/graph/serialize';
import { bigGraph } from '../bench/editor.bench';
import { screenshotter } from './browser';
import { closeEditor, openEditor } from './editor-session';
import { handle, lastToast, node } from './canvas';

const FILMS = 10;
const SHOTS = 28;
const NODES = FILMS * (SHOTS + 2);
/** Prompt → each shot, shot → next shot, shot → cut. */
const WIRES = FILMS * (SHOTS + (SHOTS - 1) + SHOTS);

let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];
let shoot: (name: string) => Promise<void>;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-lod-'));
  writeFileSync(path.join(root, 'big.json'), serializeGraph(bigGraph(FILMS, SHOTS)));
  ({ browser, server, page, errors } = await openEditor(root));
  shoot = screenshotter(page, 'level-of-detail');
}, 240_000);

afterAll(() => closeEditor({ browser, server }, root));

/** Wires drawn as SVG paths with a real shape (a path xyflow could not place has no `d`). */
const drawnWires = () =>
  page
    .locator('.react-flow__edge path.react-flow__edge-path')
    .evaluateAll((els) => els.filter((e) => (e.getAttribute('d') ?? '').startsWith('M')).length);

/**
 * How far, in screen pixels, the wire p5 → s5-0 ends from the shot's prompt port, where xyflow
 * ends a wire into a left-hand port (the middle of the handle's left edge): the wire must end on
 * the handle whichever card is drawn.
 */
async function wireEndMiss(): Promise<number> {
  const end = await page
    .locator('[data-testid="rf__edge-p5:text->s5-0:prompt"] path.react-flow__edge-path')
    .evaluate((el) => {
      const p = el as SVGPathElement;
      const at = p.getPointAtLength(p.getTotalLength());
      const m = p.getScreenCTM()!;
      return { x: m.a * at.x + m.c * at.y + m.e, y: m.b * at.x + m.d * at.y + m.f };
    });
  const box = (await handle(page, 's5-0', 'prompt', 'target').boundingBox())!;
  return Math.hypot(end.x - box.x, end.y - (box.y + box.height / 2));
}

const zone = (id: string, side: 'source' | 'target') =>
  page.locator(`.react-flow__handle.drop-zone.${side}[data-nodeid="${id}"]`);

/** Presses on one element and lets go over another, in small steps as a hand would. */
async function dragBetween(from: ReturnType<typeof zone>, to: ReturnType<typeof zone>) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

describe('level of detail on a 300-node film (real browser)', () => {
  it('opens with light cards and every wire, and shows full cards with prompt text zoomed in', async () => {
    await page.goto(`${server.url}&open=big.json`, { timeout: 180_000 });
    await expect
      .poll(() => page.getByTestId('statusbar').textContent(), { timeout: 60_000 })
      .toContain(`${NODES} nodes`);
    // Fitted to the window, the whole film is in view, each card light.
    await expect.poll(() => page.locator('[data-detail="light"]').count(), { timeout: 60_000 }).toBe(NODES);
    expect(await page.locator('.node-prompt').count()).toBe(0);
    expect(await page.locator('.port-label').count()).toBe(0);
    expect(await page.locator('.chip').count()).toBe(0);
    // Light cards keep their kind, title and status.
    const shot = node(page, 's5-14');
    expect(await shot.getAttribute('data-kind')).toBe('shot');
    expect(await shot.locator('.film-node__title').textContent()).toBe('Shot');
    expect(await shot.locator('.status-dot').count()).toBe(1);
    // Nothing inside a light card is positioned or contained: each such element starts paint chunks
    // of its own, which Chromium re-layerizes on every frame of a drag (styles/nodes.css).
    const layered = await shot.evaluate((card) =>
      [card, ...card.querySelectorAll('*')]
        .filter((el) => getComputedStyle(el).position !== 'static' || getComputedStyle(el).contain !== 'none')
        .map((el) => el.className),
    );
    expect(layered).toEqual([]);
    // Its drop zones are strips 44 px wide down each side below the 32 px head, inside the border:
    // insets from the card's outer edge (left, top, right, bottom) in the card's own pixels.
    const zones = await shot.evaluate((card) => {
      const c = card.getBoundingClientRect();
      const k = c.width / (card as HTMLElement).offsetWidth;
      return [...card.querySelectorAll('.drop-zone')].map((z) => {
        const r = z.getBoundingClientRect();
        return [r.left - c.left, r.top - c.top, c.right - r.right, c.bottom - r.bottom].map((v) =>
          Math.round(v / k),
        );
      });
    });
    const width = await shot.evaluate((card) => (card as HTMLElement).offsetWidth);
    expect(zones).toEqual([
      [1, 33, width - 45, 1],
      [width - 45, 33, 1, 1],
    ]);
    // Every wire is drawn, ending on its port.
    await expect.poll(drawnWires, { timeout: 30_000 }).toBe(WIRES);
    expect(await wireEndMiss()).toBeLessThan(1);
    await shoot('fitted-light-cards');

    // Zoom in with the wheel over the prompt of the middle film, as a user would.
    const prompt = (await node(page, 'p5').boundingBox())!;
    await page.mouse.move(prompt.x + prompt.width / 2, prompt.y + prompt.height / 2);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -100);
    const text = page.locator('[data-testid="node-p5"] .node-prompt');
    await expect.poll(() => text.inputValue(), { timeout: 30_000 }).toBe('Film 5');
    expect(await page.locator('[data-detail="light"]').count()).toBe(0);
    expect(await node(page, 's5-0').locator('.port-label').count()).toBeGreaterThan(0);
    expect(await node(page, 's5-0').locator('.chip').count()).toBeGreaterThan(0);
    // Wires are still drawn, and still end on the port of the card that is now full.
    expect(await drawnWires()).toBeGreaterThan(0);
    await expect.poll(wireEndMiss, { timeout: 10_000 }).toBeLessThan(1);
    await shoot('zoomed-in-full-cards');

    // Fit view again: light cards once more.
    await page.locator('.react-flow__controls-fitview').click();
    await expect.poll(() => page.locator('[data-detail="light"]').count(), { timeout: 30_000 }).toBe(NODES);
    await expect.poll(drawnWires, { timeout: 30_000 }).toBe(WIRES);
    expect(errors).toEqual([]);
  }, 240_000);

  it('wires light cards through their drop zones: the first port the rules accept, or why not', async () => {
    // A light card shows only its wired ports: a shot's unwired references have no handle.
    expect(await handle(page, 's5-3', 'reference_images', 'target').count()).toBe(0);
    expect(await handle(page, 's6-0', 'first_frame', 'target').count()).toBe(0);
    // The last shot of film 5 dropped on the first shot of film 6: last frame → first frame.
    await dragBetween(zone('s5-27', 'source'), zone('s6-0', 'target'));
    await expect.poll(drawnWires, { timeout: 10_000 }).toBe(WIRES + 1);
    const added = page.locator('[data-testid="rf__edge-s5-27:last_frame->s6-0:first_frame"]');
    expect(await added.count()).toBe(1);
    // The port it landed on appears on the light card, and the wire ends on it.
    await expect.poll(() => handle(page, 's6-0', 'first_frame', 'target').count()).toBe(1);
    const end = await added.locator('path.react-flow__edge-path').evaluate((el) => {
      const p = el as SVGPathElement;
      const at = p.getPointAtLength(p.getTotalLength());
      const m = p.getScreenCTM()!;
      return { x: m.a * at.x + m.c * at.y + m.e, y: m.b * at.x + m.d * at.y + m.f };
    });
    const box = (await handle(page, 's6-0', 'first_frame', 'target').boundingBox())!;
    expect(Math.hypot(end.x - box.x, end.y - (box.y + box.height / 2))).toBeLessThan(1);
    await shoot('wired-through-drop-zones');
    // Its wire can be picked by a click on its line, as any wire.
    const middle = await added.locator('path.react-flow__edge-path').evaluate((el) => {
      const p = el as SVGPathElement;
      const at = p.getPointAtLength(p.getTotalLength() / 2);
      const m = p.getScreenCTM()!;
      return { x: m.a * at.x + m.c * at.y + m.e, y: m.b * at.x + m.d * at.y + m.f };
    });
    await page.mouse.click(middle.x, middle.y);
    await expect.poll(() => added.getAttribute('class')).toContain('selected');
    // Delete removes the picked wire and nothing else; undo brings it back.
    await page.keyboard.press('Delete');
    await expect.poll(drawnWires, { timeout: 10_000 }).toBe(WIRES);
    expect(await added.count()).toBe(0);
    expect(await page.locator('.react-flow__node').count()).toBe(NODES);
    await page.keyboard.press('Control+z');
    await expect.poll(drawnWires, { timeout: 10_000 }).toBe(WIRES + 1);
    // A second prompt into a shot that has one: refused, with the rules' reason.
    await dragBetween(zone('p4', 'source'), zone('s5-0', 'target'));
    expect(await lastToast(page)).toMatch(/Can't connect p4 → s5-0: prompt already has an input/);
    expect(await drawnWires()).toBe(WIRES + 1);
    expect(errors).toEqual([]);
  }, 120_000);
});
