// Web mode: the same renderer and the same contract as the desktop app, served on 127.0.0.1
// behind a random token (docs/architecture.md §2). Imports no electron.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost } from './services/host';
import { memoryKeyStore } from './services/keys';
import { mediaResponse } from './services/media-serve';
import { createWorkspace } from './services/workspace';
import { createAssetHandler } from './web/assets';
import { assetAccess, hostAllowed, tokenCookie, tokenMatches } from './web/guard';
import { createSocketEndpoint } from './web/socket';

export interface WebServerOptions {
  port?: number;
  /** The folder the user may open and save in; paths outside it are refused. */
  root: string;
  token?: string;
  /** Force Vite (true) or the static build (false); default: static when built. */
  dev?: boolean;
  /** Serve this built renderer folder instead of dist/renderer (benchmarks build into a temp dir). */
  rendererDir?: string;
}

export interface WebServer {
  url: string;
  token: string;
  /** Cuts every editor's WebSocket, as a dropped network does; runs go on and editors reconnect. */
  dropSockets(): void;
  close(): Promise<void>;
}

const appRoot = fileURLToPath(new URL('..', import.meta.url));

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(opts.root);
  const workspace = createWorkspace({
    root,
    stateDir: path.join(root, '.shotgraph', 'editor'),
    relative: true,
  });
  const version = (
    JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const host = createHost({ workspace, keys: memoryKeyStore(), version });
  let port = 0;
  const origins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const csp = () =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'", // xyflow positions nodes with inline styles
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  const socket = createSocketEndpoint(host, token, origins);

  const serveMedia = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!tokenMatches(url.searchParams.get('token'), token))
      return end(res, 401, 'a valid token is required');
    let file: string;
    try {
      file = workspace.resolve(url.searchParams.get('path') ?? '', url.searchParams.get('base'));
    } catch (e) {
      return end(res, 403, (e as Error).message);
    }
    const r = await mediaResponse(file, req.headers.range);
    res.writeHead(r.status, { ...r.headers, 'x-content-type-options': 'nosniff' });
    if (req.method === 'HEAD' || !r.body) return void res.end();
    r.body.pipe(res);
    res.on('close', () => r.body?.destroy());
  };

  let assets: Awaited<ReturnType<typeof createAssetHandler>> | undefined;
  const server = createServer((req, res) => {
    if (!hostAllowed(req.headers.host, port)) return end(res, 421, 'unknown host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/media')
      return void serveMedia(req, res, url).catch((e: Error) => end(res, 500, e.message));
    // Every other route needs the token too: Vite's dev server would otherwise serve any file
    // under the app folder to anyone on this machine.
    const access = assetAccess(url, req.headers.cookie, token, port);
    if (!access) return end(res, 401, 'open the address Shotgraph printed, with its token');
    if (access === 'query')
      res.setHeader('set-cookie', `${tokenCookie(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    if (assets) assets(req, res);
    else end(res, 503, 'starting');
  });
  server.on('upgrade', (req, sock, head) => {
    sock.on('error', () => sock.destroy()); // a reset mid-handshake must not reach the process
    if (!hostAllowed(req.headers.host, port)) return void sock.destroy();
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // Vite's HMR socket shares the port: it is a file route like the others, behind the token.
    if (
      req.headers['sec-websocket-protocol'] === 'vite-hmr' &&
      !assetAccess(url, req.headers.cookie, token, port)
    )
      return void sock.destroy();
    socket.upgrade(req, sock, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // CSP is computed per response: it names the port, known only once listening.
  assets = await createAssetHandler(appRoot, csp, server, {
    dev: opts.dev,
    rendererDir: opts.rendererDir,
  }).catch(async (e: unknown) => {
    await new Promise((r) => server.close(r));
    throw e;
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    dropSockets: () => socket.drop(),
    close: async () => {
      host.close();
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await assets?.close();
    },
  };
}

function end(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
