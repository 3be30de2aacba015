// `npm start` always opens the editor: the desktop app where it can run, else web mode serving the
// production build, the system browser opened where there is a display, the URL printed, and
// Ctrl+C ending it with exit 0. Electron is absent or replaced by a script here (the real binary
// cannot run on a test machine); xdg-open is a script that records the URL it was given.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireReply } from '../../shared/contract';
import { REPO, withBuildLock } from './build-lock';
let tmp: string;
let fakeBin: string;
let opened: string;
const running: ChildProcess[] = [];

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-start-'));
  fakeBin = path.join(tmp, 'bin');
  opened = path.join(tmp, 'opened.txt');
  script(path.join(fakeBin, 'xdg-open'), `printf '%s' "$1" > '${opened}'`);
});

afterEach(() => {
  rmSync(opened, { force: true });
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function script(file: string, body: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

/** bin/start.js with a controlled environment: no display unless given, our xdg-open first on PATH. */
function start(extra: Record<string, string>): Started {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY') env[k] = v;
  Object.assign(env, { PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}` }, extra);
  const child = spawn(process.execPath, [path.join(REPO, 'bin/start.js')], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Resolves when `check` passes, or rejects with what the process said if it exits first. */
async function until<T>(s: Started, check: () => T | undefined): Promise<T> {
  let exited = false;
  void s.exit.then(() => (exited = true));
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (exited) throw new Error(`start.js exited early.\nstdout:\n${s.out()}\nstderr:\n${s.err()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const urlOf = (s: Started) =>
  until(s, () => /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(s.out())?.[1]);

function call(url: string, op: string, input: unknown): Promise<WireReply> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`, { origin: u.origin });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, op, input })));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as WireReply;
      if ('id' in msg) {
        ws.close();
        resolve(msg);
      }
    });
  });
}

/** The printed URL serves the built editor, and its token opens the contract and the media. */
async function expectEditorAt(url: string): Promise<void> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'"); // the static build
  const script = /<script[^>]+src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script, html).toBeDefined();
  // Every route needs the token: the page hands the browser a cookie for the rest, as a browser keeps it.
  const cookie = page.headers.get('set-cookie')?.split(';')[0];
  expect(cookie).toBeDefined();
  expect((await fetch(new URL(script!, url))).status).toBe(401);
  const js = await fetch(new URL(script!, url), { headers: { cookie: cookie! } });
  expect(js.status).toBe(200);
  expect((await js.text()).length).toBeGreaterThan(10_000);

  const info = await call(url, 'files.list', { folder: 'graphs' });
  expect(info).toMatchObject({ ok: true });
  const entries = (info as { output: { entries: { name: string }[] } }).output.entries.map((e) => e.name);
  expect(entries).toContain('three-shot-chain.json');

  const token = new URL(url).searchParams.get('token')!;
  const media = (t: string) =>
    new URL(`/media?${new URLSearchParams({ path: 'graphs/three-shot-chain.json', token: t })}`, url);
  expect((await fetch(media(token))).status).toBe(200);
  expect((await fetch(media('wrong'))).status).toBe(401);
}

async function interrupt(s: Started): Promise<number | null> {
  s.child.kill('SIGINT');
  return s.exit;
}

describe('npm start', () => {
  it('without a display and without Electron, serves web mode until Ctrl+C, then exits 0', () =>
    withBuildLock(async () => {
      const nowhere = mkdtempSync(path.join(tmp, 'no-electron-'));
      const s = start({ ELECTRON_OVERRIDE_DIST_PATH: nowhere });
      const url = await urlOf(s);
      expect(s.err()).toMatch(/there is no display \(neither DISPLAY nor WAYLAND_DISPLAY is set\)/);
      expect(s.err()).not.toMatch(/downloading/); // no window could open, so no download was tried
      await expectEditorAt(url);
      expect(existsSync(opened)).toBe(false); // no display: no browser to open
      expect(await interrupt(s)).toBe(0);
      expect(s.out()).toContain('Press Ctrl+C to stop.');
    }));

  it('with a display but no Electron binary, opens the system browser on the URL', () =>
    withBuildLock(async () => {
      const nowhere = mkdtempSync(path.join(tmp, 'no-electron-'));
      const s = start({
        DISPLAY: ':99',
        ELECTRON_OVERRIDE_DIST_PATH: nowhere,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      });
      const url = await urlOf(s);
      expect(s.err()).toMatch(/the Electron binary is not installed/);
      expect(
        await until(s, () => (existsSync(opened) ? readFileSync(opened, 'utf8') || undefined : undefined)),
      ).toBe(url);
      await expectEditorAt(url);
      expect(await interrupt(s)).toBe(0);
    }));

  it('falls back to web mode when the desktop app dies while starting', () =>
    withBuildLock(async () => {
      const dist = mkdtempSync(path.join(tmp, 'broken-electron-'));
      script(
        path.join(dist, 'electron'),
        `echo "error while loading shared libraries: libnss3.so" >&2\nexit 127`,
      );
      const s = start({ DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist });
      const url = await urlOf(s);
      expect(s.err()).toMatch(/the desktop app stopped while starting \(exit 127\)/);
      await expectEditorAt(url);
      expect(await interrupt(s)).toBe(0);
    }));

  it('opens the desktop app where it can, and then serves nothing', () =>
    withBuildLock(async () => {
      const dist = mkdtempSync(path.join(tmp, 'electron-'));
      const args = path.join(tmp, 'electron-args.txt');
      script(path.join(dist, 'electron'), `printf '%s' "$1" > '${args}'\nexit 0`);
      const s = start({ DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist });
      expect(await s.exit).toBe(0);
      expect(readFileSync(args, 'utf8')).toBe(REPO); // the app folder, whose package.json names the main
      expect(existsSync(path.join(REPO, 'dist-electron/main.js'))).toBe(true);
      expect(existsSync(path.join(REPO, 'dist/renderer/index.html'))).toBe(true);
      expect(s.out()).not.toMatch(/Open: http/);
      expect(existsSync(opened)).toBe(false);
    }));
});
