// Real Chromium for the editor's tests. A missing browser fails loudly: CI installs it, and a
// silently skipped e2e suite would pass a broken editor.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SHOTGRAPH_CHROMIUM ?? '/usr/bin/chromium';
export const OUTPUT = path.resolve(import.meta.dirname, '../../test-output/e2e');

/**
 * Chromium for the editor's tests; `extraArgs` adds command-line switches (the editor bench's
 * uncapped frame-rate pass).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM}. The editor's e2e tests need a real browser: ` +
        `install it (Debian/Ubuntu: "sudo apt-get install chromium") or set SHOTGRAPH_CHROMIUM to its path.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

/** Numbered screenshots, one per step, for a human to review the editor as a user sees it. */
export function screenshotter(page: Page, folder: string) {
  const dir = path.join(OUTPUT, folder);
  rmSync(dir, { recursive: true, force: true }); // no stale pictures from an earlier run
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (name: string) => {
    n += 1;
    await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`) });
  };
}

/** Browser-side errors make the test fail: a page that throws is not a working editor. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource.*(404|416)/.test(m.text())) errors.push(m.text());
  });
  return errors;
}
