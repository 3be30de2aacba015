// One editor as a user gets it: real Chromium on web mode serving the production build (made once
// per test run by renderer-build.ts), a page the size of a desktop window, and its errors collected.
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/web';
import { collectPageErrors, launchChromium } from './browser';

export interface EditorSession {
  browser: Browser;
  server: WebServer;
  page: Page;
  /** Browser-side errors so far: each test ends by expecting none. */
  errors: string[];
}

export async function openEditor(root: string): Promise<EditorSession> {
  const browser = await launchChromium();
  const server = await startWebServer({ root, rendererDir: inject('rendererDir') });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.setDefaultTimeout(45_000); // generous: CI shares two cores with ffmpeg renders
  return { browser, server, page, errors: collectPageErrors(page) };
}

/** After a file: the browser and server closed (whichever started) and the project folder gone. */
export async function closeEditor(s: Partial<EditorSession>, root: string | undefined): Promise<void> {
  await s.browser?.close();
  await s.server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
}
