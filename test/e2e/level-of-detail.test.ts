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
import { mapFrame, toMap, toWorld, viewRect, type Point, type Rect } from '../../renderer/model/film-map';
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

/**
 * What the canvas shows, read from the page as a user's screen has it: xyflow's viewport
 * transform, the pane's size, and each card's box in flow coordinates.
 */
async function flowNow() {
  return page.evaluate(() => {
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const m = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    const cards: Record<string, { x: number; y: number; width: number; height: number }> = {};
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
      const r = el.getBoundingClientRect();
      cards[el.dataset.id!] = {
        x: (r.left - pane.left - m.e) / m.a,
        y: (r.top - pane.top - m.f) / m.a,
        width: r.width / m.a,
        height: r.height / m.a,
      };
    }
    return { transform: [m.e, m.f, m.a] as [number, number, number], pane, cards };
  });
}

type FlowNow = Awaited<ReturnType<typeof flowNow>>;

/**
 * The map's framing for the canvas as it is (model/film-map.ts): the bounds of `cards` (all of
 * them, read while the whole film was in view: zoomed in, only those in view are in the page)
 * and the view now.
 */
function frameOf(now: FlowNow, cards: FlowNow['cards']) {
  const boxes = Object.values(cards);
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const bounds: Rect = {
    x: x0,
    y: y0,
    width: Math.max(...boxes.map((b) => b.x + b.width)) - x0,
    height: Math.max(...boxes.map((b) => b.y + b.height)) - y0,
  };
  const view = viewRect(now.transform, now.pane.width, now.pane.height);
  return { frame: mapFrame(bounds, view), view };
}

const middle = (r: Rect): Point => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
const filmMap = () => page.getByTestId('film-map');

/** The map canvas's pixel (RGBA) at map point `p`, in the canvas's own device pixels. */
const mapPixel = (p: Point) =>
  filmMap().evaluate((el, p) => {
    const canvas = el as HTMLCanvasElement;
    const k = canvas.width / canvas.getBoundingClientRect().width;
    return [...canvas.getContext('2d')!.getImageData(Math.floor(p.x * k), Math.floor(p.y * k), 1, 1).data];
  }, p);

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

  it('draws the film on a one-canvas map that pans and zooms the view', async () => {
    await page.locator('.react-flow__controls-fitview').click();
    await expect.poll(() => page.locator('[data-detail="light"]').count(), { timeout: 30_000 }).toBe(NODES);
    // One canvas, labelled, where xyflow's MiniMap sat: no SVG rect per card any more.
    const map = filmMap();
    expect(await map.getAttribute('aria-label')).toBe('Mini Map');
    expect(await page.locator('.react-flow__minimap rect').count()).toBe(0);
    const box = (await map.boundingBox())!;
    const pane = (await page.locator('.react-flow').boundingBox())!;
    expect([box.width, box.height]).toEqual([200, 150]);
    expect(pane.x + pane.width - (box.x + box.width)).toBeGreaterThan(10); // bottom right, in from the edge
    expect(pane.y + pane.height - (box.y + box.height)).toBeGreaterThan(10);

    // A shot's colour where the shot is, a prompt's where the prompt is; nothing between the films.
    let now = await flowNow();
    const cards = now.cards;
    expect(Object.keys(cards)).toHaveLength(NODES);
    let { frame, view } = frameOf(now, cards);
    await expect.poll(() => mapPixel(toMap(frame, middle(cards['s5-14']!)))).toEqual([255, 122, 89, 255]);
    expect(await mapPixel(toMap(frame, middle(cards['p3']!)))).toEqual([232, 182, 76, 255]);
    const gap = {
      x: cards['s5-14']!.x + 100,
      y: (cards['s5-14']!.y + cards['s6-14']!.y) / 2 + 120,
    };
    expect((await mapPixel(toMap(frame, gap)))[3]).toBe(0);

    // The wheel over the map zooms the canvas: 500 px of wheel doubles the zoom.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -500);
    await expect.poll(async () => (await flowNow()).transform[2] / now.transform[2]).toBeCloseTo(2, 2);

    // A click on the map, on film 2's first shots, centres the view there: that shot is now on screen.
    now = await flowNow();
    ({ frame, view } = frameOf(now, cards));
    const target = middle(cards['s2-3']!);
    const click = toMap(frame, target);
    await page.mouse.click(box.x + click.x, box.y + click.y);
    await expect
      .poll(async () => {
        const after = await flowNow();
        const c = middle(viewRect(after.transform, after.pane.width, after.pane.height));
        return Math.hypot(c.x - target.x, c.y - target.y) * frame.scale; // in map pixels
      })
      .toBeLessThan(1.5);
    const shot = (await node(page, 's2-3').boundingBox())!;
    expect(Math.abs(shot.x + shot.width / 2 - (pane.x + pane.width / 2))).toBeLessThan(pane.width / 8);
    await shoot('film-map-centred');
    // The map has been redrawn for the new view: the shot clicked on is bright, the middle film's
    // shot, now out of view, dimmed.
    now = await flowNow();
    ({ frame, view } = frameOf(now, cards));
    expect(await mapPixel(toMap(frame, target))).toEqual([255, 122, 89, 255]);
    const dimmed = await mapPixel(toMap(frame, middle(cards['s5-14']!)));
    expect(dimmed[0]).toBeLessThan(120);

    // Dragging the view's window moves the view with it, by the map's scale. Centred on the middle
    // film first, so the view stays inside the film's bounds and the map's framing holds still.
    now = await flowNow();
    ({ frame, view } = frameOf(now, cards));
    const mid = toMap(frame, middle(cards['s5-14']!));
    await page.mouse.click(box.x + mid.x, box.y + mid.y);
    await expect.poll(async () => node(page, 's5-14').isVisible()).toBe(true);
    now = await flowNow();
    ({ frame, view } = frameOf(now, cards));
    const from = middle(view);
    const grip = toMap(frame, from);
    await page.mouse.move(box.x + grip.x, box.y + grip.y);
    await page.mouse.down();
    await page.mouse.move(box.x + grip.x + 30, box.y + grip.y + 10, { steps: 6 });
    await page.mouse.up();
    const after = await flowNow();
    const moved = middle(viewRect(after.transform, after.pane.width, after.pane.height));
    const want = toWorld(frame, { x: grip.x + 30, y: grip.y + 10 });
    expect(Math.hypot(moved.x - want.x, moved.y - want.y) * frame.scale).toBeLessThan(1);
    expect(errors).toEqual([]);
  }, 120_000);

  it('pans the view while a dragged card is at the pane’s edge, and asks for no frames elsewhere', async () => {
    await page.locator('.react-flow__controls-fitview').click();
    await expect.poll(() => page.locator('[data-detail="light"]').count(), { timeout: 30_000 }).toBe(NODES);
    // Count the page's animation-frame requests from here on.
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number };
      const raf = window.requestAnimationFrame.bind(window);
      w.__frames = 0;
      window.requestAnimationFrame = (cb) => {
        w.__frames += 1;
        return raf(cb);
      };
    });
    const frames = () => page.evaluate(() => (window as unknown as { __frames: number }).__frames);
    const transformX = async () => (await flowNow()).transform[0];
    const pane = (await page.locator('.react-flow').boundingBox())!;
    const head = (await node(page, 's5-14').locator('.film-node__head').boundingBox())!;
    const start = { x: head.x + head.width / 2, y: head.y + head.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 60, start.y + 20, { steps: 6 });
    // While it is dragged, the card has a compositor layer of its own (styles/nodes.css).
    const willChange = () =>
      node(page, 's5-14').evaluate((el) => getComputedStyle(el.closest('.react-flow__node')!).willChange);
    expect(await willChange()).toBe('transform');
    // Held still in the middle of the pane: nothing to pan, so no frames asked for.
    let before = await frames();
    await page.waitForTimeout(500);
    expect((await frames()) - before).toBeLessThanOrEqual(2);
    // Held at the right edge: the view pans, for as long as the card is held there.
    const x0 = await transformX();
    await page.mouse.move(pane.x + pane.width - 10, start.y + 20, { steps: 12 });
    await expect.poll(transformX, { timeout: 10_000 }).toBeLessThan(x0 - 100);
    const x1 = await transformX();
    await page.waitForTimeout(300);
    expect(await transformX()).toBeLessThan(x1);
    // Back in the middle, the panning stops and so do the frames.
    await page.mouse.move(start.x, start.y, { steps: 12 });
    await page.waitForTimeout(100);
    const x2 = await transformX();
    before = await frames();
    await page.waitForTimeout(500);
    expect((await frames()) - before).toBeLessThanOrEqual(2);
    expect(await transformX()).toBe(x2);
    await page.mouse.up();
    await expect.poll(willChange).toBe('auto');
    await page.keyboard.press('Control+z');
    expect(errors).toEqual([]);
  }, 120_000);
});
