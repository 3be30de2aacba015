// Dragging cards, in a real Chromium on the production build. Each move reaches xyflow's node lookup
// without a render of the canvas (nodes/MovingCards.tsx), so what follows the card is checked here
// mid-drag: the card, its wires and the map; the document hears of the drag once, at the drop, as
// one undo step that holds the final, snapped position. A selection of cards moves together.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../electron/web';
import { parseGraphText } from '../../shared/graph/parse';
import { serializeGraph } from '../../shared/graph/serialize';
import { bigGraph } from '../bench/editor.bench';
import { closeEditor, openEditor } from './editor-session';
import { node } from './canvas';

let root: string;
let server: WebServer;
let browser: Browser;
let page: Page;
let errors: string[];

/** One film: a prompt, three chained shots (s0-0 → s0-1 → s0-2) and their cut. */
const FILM = 'drag.json';
const WIRE_IN = 's0-0:last_frame->s0-1:first_frame';

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-e2e-drag-'));
  writeFileSync(path.join(root, FILM), serializeGraph(bigGraph(1, 3)));
  ({ browser, server, page, errors } = await openEditor(root));
}, 120_000);

afterAll(() => closeEditor({ browser, server }, root));

/** Where the canvas draws a card, in flow coordinates (xyflow's translate on the card). */
async function drawnAt(id: string): Promise<{ x: number; y: number }> {
  const t = await page
    .locator(`.react-flow__node[data-id="${id}"]`)
    .evaluate((el) => (el as HTMLElement).style.transform);
  const m = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\)/.exec(t);
  if (!m) throw new Error(`card ${id} has no translate: ${t}`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

const wirePath = (id: string) =>
  page.locator(`[data-testid="rf__edge-${id}"] path.react-flow__edge-path`).getAttribute('d');
const mapPixels = () => page.getByTestId('film-map').evaluate((c) => (c as HTMLCanvasElement).toDataURL());

/** Positions in the film file as saved. */
function saved(): Map<string, { x: number; y: number } | undefined> {
  const parsed = parseGraphText(readFileSync(path.join(root, FILM), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return new Map(parsed.graph.nodes.map((n) => [n.id, n.position]));
}

/** Presses on a card's head and moves by (dx, dy) screen pixels in `steps` moves, still pressed. */
async function pressAndMove(id: string, dx: number, dy: number, steps = 10): Promise<void> {
  const head = (await node(page, id).locator('.film-node__head').boundingBox())!;
  const at = { x: head.x + head.width / 2, y: head.y + head.height / 2 };
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + dx, at.y + dy, { steps });
}

describe('dragging cards', () => {
  it('moves the card, its wires and the map during the drag, and writes the document once at the drop', async () => {
    await page.goto(`${server.url}&open=${FILM}`);
    await node(page, 's0-1').waitFor();
    await expect.poll(() => wirePath(WIRE_IN)).toMatch(/^M/);
    const start = await drawnAt('s0-1');
    const wireBefore = await wirePath(WIRE_IN);
    const mapBefore = await mapPixels();

    await pressAndMove('s0-1', 150, 120);
    // Mid-drag: the card, its wire and the map have followed; the document has not been touched.
    const mid = await drawnAt('s0-1');
    expect(mid.x).toBeGreaterThan(start.x + 40);
    expect(mid.y).toBeGreaterThan(start.y + 30);
    await expect.poll(() => wirePath(WIRE_IN)).not.toBe(wireBefore);
    await expect.poll(mapPixels).not.toBe(mapBefore);
    expect(await page.getByTestId('dirty').count()).toBe(0);
    // A card not dragged stays where it was.
    expect(await drawnAt('s0-2')).toEqual({ x: 340 + 2 * 340, y: 0 });

    await page.mouse.up();
    const end = await drawnAt('s0-1');
    // Snapped to the canvas's 8 px grid.
    expect(end.x % 8).toBe(0);
    expect(end.y % 8).toBe(0);
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(1);
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
    expect(saved().get('s0-1')).toEqual(end);
    expect(saved().get('s0-2')).toEqual({ x: 340 + 2 * 340, y: 0 });

    // One undo step: one Ctrl+Z puts the card back where it started, a second has nothing to undo.
    await page.keyboard.press('Control+z');
    await expect.poll(() => drawnAt('s0-1')).toEqual(start);
    await expect.poll(() => wirePath(WIRE_IN)).toBe(wireBefore);
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(1);
    await page.keyboard.press('Control+z');
    expect(await drawnAt('s0-1')).toEqual(start);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => drawnAt('s0-1')).toEqual(end);
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('drags a selection of cards together, and undoes it as one step', async () => {
    await page.goto(`${server.url}&open=${FILM}`);
    await node(page, 's0-2').waitFor();
    await node(page, 's0-0').locator('.film-node__head').click();
    await node(page, 's0-2')
      .locator('.film-node__head')
      .click({ modifiers: ['Control'] });
    const a = await drawnAt('s0-0');
    const b = await drawnAt('s0-2');
    const wireOut = 's0-1:last_frame->s0-2:first_frame';
    const wireBefore = await wirePath(wireOut);

    await pressAndMove('s0-2', -120, 96);
    const [a1, b1] = [await drawnAt('s0-0'), await drawnAt('s0-2')];
    expect(b1.y).toBeGreaterThan(b.y + 30);
    // Both by the same step, mid-drag, and the wire into the second card with them.
    expect({ x: a1.x - a.x, y: a1.y - a.y }).toEqual({ x: b1.x - b.x, y: b1.y - b.y });
    await expect.poll(() => wirePath(wireOut)).not.toBe(wireBefore);
    await page.mouse.up();

    const [a2, b2] = [await drawnAt('s0-0'), await drawnAt('s0-2')];
    expect({ x: a2.x - a.x, y: a2.y - a.y }).toEqual({ x: b2.x - b.x, y: b2.y - b.y });
    await page.keyboard.press('Control+z');
    await expect.poll(() => drawnAt('s0-0')).toEqual(a);
    await expect.poll(() => drawnAt('s0-2')).toEqual(b);
    await expect.poll(() => wirePath(wireOut)).toBe(wireBefore);
    expect(errors).toEqual([]);
  });
});
