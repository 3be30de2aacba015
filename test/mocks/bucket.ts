// A stand-in for the user's storage bucket: serves a folder over HTTP on 127.0.0.1, so media can be
// given to URL-only gateways as links (the gateway mocks fetch loopback URLs, nothing else).
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.mp4': 'video/mp4',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

export interface Bucket {
  origin: string;
  /** The URL of a file under the served folder. */
  url(relative: string): string;
  /** Paths requested so far. */
  readonly fetched: string[];
  close(): Promise<void>;
}

export async function serveFolder(dir: string): Promise<Bucket> {
  const fetched: string[] = [];
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = path.resolve(dir, rel);
    fetched.push(rel);
    if (!file.startsWith(path.resolve(dir) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.stat(file).then(
      (st) => {
        res.writeHead(200, {
          'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Length': String(st.size),
        });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (relative) => `${origin}/${relative.split('/').map(encodeURIComponent).join('/')}`,
    fetched,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
