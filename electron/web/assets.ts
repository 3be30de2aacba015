// The renderer's files: Vite in middleware mode when nothing is built (so `npm run web` needs no
// build step), else the static build in dist/renderer.
import { existsSync, promises as fs } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeOf } from '../services/media-serve';

export type AssetHandler = ((req: IncomingMessage, res: ServerResponse) => void) & { close(): Promise<void> };

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export async function createAssetHandler(
  appRoot: string,
  csp: () => string,
  server: Server,
  opts: { dev?: boolean | undefined; rendererDir?: string | undefined },
): Promise<AssetHandler> {
  const built = opts.rendererDir ?? path.join(appRoot, 'dist', 'renderer');
  const dev = opts.rendererDir ? false : opts.dev;
  const useDev = dev ?? !existsSync(path.join(built, 'index.html'));
  return useDev ? viteHandler(appRoot, server) : staticHandler(built, csp);
}

async function viteHandler(appRoot: string, server: Server): Promise<AssetHandler> {
  const { createServer } = await import('vite');
  // HMR shares our port; its upgrades carry the `vite-hmr` protocol, which socket.ts leaves alone.
  const vite = await createServer({
    configFile: path.join(appRoot, 'vite.config.ts'),
    server: { middlewareMode: true, ws: { server } },
    appType: 'spa',
    logLevel: 'warn',
  });
  const handle = ((req, res) => {
    vite.middlewares(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  }) as AssetHandler;
  handle.close = () => vite.close();
  return handle;
}

function staticHandler(dir: string, csp: () => string): AssetHandler {
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    let file = path.resolve(dir, rel || 'index.html');
    if (!file.startsWith(dir + path.sep)) file = path.join(dir, 'index.html');
    const st = await fs.stat(file).catch(() => undefined);
    if (!st?.isFile()) file = path.join(dir, 'index.html'); // single-page app
    const ext = path.extname(file);
    res.setHeader('content-type', STATIC_TYPES[ext] ?? contentTypeOf(file));
    res.setHeader('x-content-type-options', 'nosniff');
    if (ext === '.html') res.setHeader('content-security-policy', csp());
    res.end(await fs.readFile(file));
  };
  const handle = ((req, res) => void serve(req, res).catch(() => res.destroy())) as AssetHandler;
  handle.close = async () => undefined;
  return handle;
}
