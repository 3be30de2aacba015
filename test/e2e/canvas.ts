// What a user does on the canvas, as Playwright steps: mouse and keyboard only.
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

export const node = (page: Page, id: string): Locator => page.locator(`[data-testid="node-${id}"]`);

export function handle(page: Page, nodeId: string, port: string, side: 'source' | 'target'): Locator {
  return page.locator(`.react-flow__handle.${side}[data-nodeid="${nodeId}"][data-handleid="${port}"]`);
}

async function centre(l: Locator) {
  const box = await l.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Opens the add-node search by double-clicking empty canvas at (x, y) and picks `query`. */
export async function addByDoubleClick(page: Page, x: number, y: number, query: string): Promise<void> {
  await page.mouse.dblclick(x, y);
  await page.getByTestId('search-input').fill(query);
  await page.keyboard.press('Enter');
}

/** Moves the pointer to (x, y), presses Space, types `query`, Enter. */
export async function addBySpace(page: Page, x: number, y: number, query: string): Promise<void> {
  await page.mouse.move(x, y);
  await page.mouse.click(x, y); // focus the canvas, clear selection
  await page.keyboard.press('Space');
  await page.getByTestId('search-input').pressSequentially(query);
  await page.keyboard.press('Enter');
}

/** Drags a wire from an output port to an input port, in small steps as a hand would. */
export async function drawWire(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = await centre(handle(page, from[0], from[1], 'source'));
  const b = await centre(handle(page, to[0], to[1], 'target'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

export async function wireCount(page: Page): Promise<number> {
  return page.locator('.react-flow__edge').count();
}

/** Selects a node by clicking its header. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await node(page, id).locator('.film-node__title').click();
  await expect.poll(() => page.getByTestId('inspector').locator('h2 .mono').textContent()).toBe(id);
}

/** The last toast's text once one appears. */
export async function lastToast(page: Page): Promise<string> {
  const t = page.getByTestId('toast').last();
  await t.waitFor();
  return (await t.textContent()) ?? '';
}

export async function pickFile(page: Page, segments: string[], confirmName?: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  for (const s of segments) await dialog.getByRole('button', { name: s, exact: false }).first().click();
  const name = page.getByTestId('file-name');
  if (confirmName !== undefined) await name.fill(confirmName);
  await name.press('Enter');
  await dialog.waitFor({ state: 'detached' });
}
