// The desktop app's main process: one secure window, two custom protocols, the IPC manager and
// the quit handshake. Everything else lives in services/ and the engine, which never import electron.
import { app, BrowserWindow, protocol, safeStorage, type WebContents } from 'electron';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN, pushTo, registerIpc } from './ipc';
import { appAsset } from './services/app-assets';
import { createHost } from './services/host';
import { encryptedKeyStore } from './services/keys-file';
import { mediaResponse } from './services/media-serve';
import { createWorkspace } from './services/workspace';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'dist', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: 'shotgraph-app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  // stream: lets <video> read ranges as it seeks instead of loading whole files.
  {
    scheme: 'shotgraph-media',
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
  },
]);

let mainWindow: BrowserWindow | null = null;
let mayClose = false;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1480,
    height: 920,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Shotgraph',
    backgroundColor: '#0e1014',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (mayClose) return;
    // Quit handshake: the renderer writes its recovery copy, then answers app.quitReady.
    event.preventDefault();
    pushTo(win.webContents, { kind: 'before-quit' });
    setTimeout(() => closeNow(win), 4000).unref();
  });
  win.on('closed', () => (mainWindow = null));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

function closeNow(win: BrowserWindow): void {
  mayClose = true;
  if (!win.isDestroyed()) win.close();
}

// No navigation away from the app, no new windows, no webviews, whatever the page tries.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.whenReady().then(() => {
  const workspace = createWorkspace({
    root: path.parse(app.getPath('home')).root,
    home: ensureDir(path.join(app.getPath('documents'), 'Shotgraph')),
    stateDir: app.getPath('userData'),
    relative: false,
  });
  const host = createHost({
    workspace,
    keys: encryptedKeyStore(path.join(app.getPath('userData'), 'keys'), safeStorage),
    version: app.getVersion(),
    onQuitReady: () => mainWindow && closeNow(mainWindow),
  });
  protocol.handle('shotgraph-app', async (req) => {
    const r = await appAsset(rendererDir, new URL(req.url).pathname);
    return new Response(new Uint8Array(r.body), { status: r.status, headers: r.headers });
  });
  protocol.handle('shotgraph-media', async (req) => {
    const url = new URL(req.url);
    let file: string;
    try {
      file = workspace.resolve(url.searchParams.get('path') ?? '', url.searchParams.get('base'));
    } catch {
      return new Response('refused', { status: 403 });
    }
    const r = await mediaResponse(file, req.headers.get('range') ?? undefined);
    const body = r.body ? (Readable.toWeb(r.body) as ReadableStream) : null;
    return new Response(body, { status: r.status, headers: r.headers });
  });
  registerIpc(host, (contents: WebContents) => mainWindow !== null && contents === mainWindow.webContents);
  mainWindow = createWindow();
  app.on('before-quit', () => host.close());
  app.on('activate', () => {
    if (!mainWindow) {
      mayClose = false;
      mainWindow = createWindow();
    }
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
