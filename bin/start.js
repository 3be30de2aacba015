#!/usr/bin/env node
// `npm start`: the one command that always opens the editor. The desktop app where it can run;
// where it cannot (no Electron binary, no display, or it dies while starting) the same editor in
// web mode, in the system browser, until Ctrl+C. `npm start -- --web` goes straight to web mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './open-browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** An Electron that exits with an error this soon never showed a window (missing libraries, no X). */
const STARTUP_MS = 15_000;
/** Long enough for a real download on a slow line; a blocked network fails in seconds anyway. */
const DOWNLOAD_MS = 180_000;

function electronBinary() {
  try {
    // The electron package exports the path of the binary it downloaded at install time.
    const bin = require('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** Linux and the BSDs need an X or Wayland display for a window; macOS and Windows always have one. */
function hasDisplay() {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

// package.json's allowScripts keeps `npm install` from running Electron's download (it must not
// fail an install where GitHub is unreachable), so the first `npm start` fetches the binary.
function downloadElectron() {
  const installer = path.join(root, 'node_modules/electron/install.js');
  if (!existsSync(installer)) return 'the electron package itself is missing; run npm install';
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  console.error('Shotgraph: downloading the Electron binary (first start only)…');
  const r = spawnSync(process.execPath, [installer], {
    cwd: path.dirname(installer),
    encoding: 'utf8',
    timeout: DOWNLOAD_MS,
  });
  if (r.status === 0) return undefined;
  const why = `${r.stderr ?? ''}\n${r.error?.message ?? ''}`
    .split('\n')
    .find((l) => /error|timed? ?out/i.test(l));
  return `its download failed${why ? ` (${why.trim().slice(0, 200)})` : ''}`;
}

/** Why the desktop window cannot open here, or undefined when it can be tried. */
function desktopUnavailable() {
  if (!hasDisplay()) return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  if (electronBinary()) return undefined;
  const failed = downloadElectron();
  if (electronBinary()) return undefined;
  return `the Electron binary is not installed (${failed ?? 'the download did not produce it'})`;
}

function build(steps) {
  for (const args of steps) {
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const renderer = [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'];
const mainProcess = [path.join(root, 'bin/build-electron.js')];

/** Resolves with a reason when the app died while starting, else exits with the app's code. */
function runDesktop(electron) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(electron, [root], { cwd: root, stdio: 'inherit' });
    child.on('error', (e) => resolve(`the desktop app could not be started (${e.message})`));
    child.on('exit', (code, signal) => {
      const failed = code !== 0 && signal !== 'SIGINT' && signal !== 'SIGTERM';
      if (failed && Date.now() - started < STARTUP_MS)
        resolve(`the desktop app stopped while starting (${signal ?? `exit ${code}`})`);
      else process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}

function explain(reason) {
  console.error(`Shotgraph: the desktop app cannot open, because ${reason}; serving the editor in web mode.`);
}

async function runWeb() {
  const { register } = await import('tsx/esm/api');
  register();
  const { startWebServer } = await import('../electron/web.ts');
  const workspace = process.cwd();
  // The production build just made, never Vite's dev server: what the desktop app would show.
  const server = await startWebServer({ root: workspace, dev: false });
  console.log(`Shotgraph editor (web mode) for ${workspace}\nOpen: ${server.url}\nPress Ctrl+C to stop.`);
  if (hasDisplay()) openBrowser(server.url); // without one, a terminal browser would take the shell
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(0); // a second Ctrl+C does not wait for open connections
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const unavailable = process.argv.includes('--web') ? 'web' : desktopUnavailable();
if (unavailable) {
  if (unavailable !== 'web') explain(unavailable);
  build([renderer]);
} else {
  build([renderer, mainProcess]);
  explain(await runDesktop(electronBinary()));
}
await runWeb();
