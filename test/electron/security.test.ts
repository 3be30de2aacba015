// The desktop shell's security settings, checked statically: any window with Node in the page,
// without context isolation or sandbox, or a preload handing out ipcRenderer, fails the build.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronImporters, preloadViolations, windowViolations } from './scan';

const REPO = path.resolve(import.meta.dirname, '../..');
const read = (rel: string) => readFileSync(path.join(REPO, rel), 'utf8');

function sources(dir: string): { path: string; source: string }[] {
  return readdirSync(path.join(REPO, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(d.name))
    .map((d) => path.relative(REPO, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .map((p) => ({ path: p, source: read(p) }));
}

describe('electron/main.ts', () => {
  it('creates every BrowserWindow with contextIsolation, sandbox and no nodeIntegration', () => {
    expect(windowViolations(read('electron/main.ts'))).toEqual([]);
  });

  it('would catch an insecure window', () => {
    const ok = `new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } })`;
    expect(windowViolations(ok)).toEqual([]);
    expect(windowViolations(ok.replace('nodeIntegration: false', 'nodeIntegration: true'))).toHaveLength(1);
    expect(windowViolations(ok.replace('contextIsolation: true', 'contextIsolation: false'))).toHaveLength(1);
    expect(windowViolations(ok.replace('sandbox: true, ', ''))).toHaveLength(1);
    expect(windowViolations(`${ok}; new BrowserWindow({ width: 10 })`)).toHaveLength(1);
    expect(windowViolations(ok.replace('sandbox: true', '/* sandbox: true */ sandbox: false'))).toHaveLength(
      1,
    );
    expect(windowViolations(ok.replace('{ contextIsolation', '{ ...prefs, contextIsolation'))).toHaveLength(
      1,
    );
  });
});

describe('electron/preload.ts', () => {
  it('exposes one function per operation, never ipcRenderer itself', () => {
    expect(preloadViolations(read('electron/preload.ts'))).toEqual([]);
  });

  it('would catch a preload that hands out ipcRenderer', () => {
    const ok = `contextBridge.exposeInMainWorld('api', { open: (i) => ipcRenderer.invoke('open', i) })`;
    expect(preloadViolations(ok)).toEqual([]);
    expect(preloadViolations(`contextBridge.exposeInMainWorld('ipc', ipcRenderer)`)).toHaveLength(1);
    expect(preloadViolations(`contextBridge.exposeInMainWorld('api', { ipcRenderer })`)).toHaveLength(1);
    expect(preloadViolations(`contextBridge.exposeInMainWorld('api', { on: ipcRenderer.on })`)).toHaveLength(
      1,
    );
    expect(
      preloadViolations(`contextBridge.exposeInMainWorld('api', { send: (c, m) => ipcRenderer.send(c, m) })`),
    ).not.toEqual([]);
  });
});

describe('layering', () => {
  it('only main.ts, preload.ts and ipc.ts import electron', () => {
    const files = [...sources('electron'), ...sources('shared'), ...sources('renderer')];
    expect(electronImporters(files, ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts'])).toEqual(
      [],
    );
  });

  it('keeps shared/ free of node: imports and the DOM', () => {
    const bad = sources('shared').filter((f) => /from\s+['"]node:|\bwindow\.|\bdocument\./.test(f.source));
    expect(bad.map((f) => f.path)).toEqual([]);
  });
});
