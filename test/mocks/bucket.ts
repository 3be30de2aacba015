// A stand-in for the user's storage bucket: serves a folder over HTTP on 127.0.0.1, so media can be
// given to URL-only gateways as links (the gateway mocks fetch loopback URLs, nothing else). It also
// takes `PUT /<name>` the way a bucket with a public-write or presigned prefix does (the media host,
// SHOTGRAPH_MEDIA_HOST), optionally demanding a bearer token, and can be told to refuse uploads.
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
  /** Paths requested so far (GET and HEAD). */
  readonly fetched: string[];
  /** Uploads stored (successful PUTs), oldest first. */
  readonly uploads: Upload[];
  /** Every PUT attempt, refused ones included. */
  readonly putAttempts: number;
  /** Makes every PUT answer this status (undefined: store it). */
  failPuts(status: number | undefined): void;
  close(): Promise<void>;
}

export interface Upload {
  path: string;
  bytes: Buffer;
  contentType: string | undefined;
  authorization: string | undefined;
}

export async function serveFolder(dir: string, opts: { token?: string } = {}): Promise<Bucket> {
  const fetched: string[] = [];
  const uploads: Upload[] = [];
  let putAttempts = 0;
  let failStatus: number | undefined;
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = path.resolve(dir, rel);
    if (!file.startsWith(path.resolve(dir) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (req.method === 'PUT') {
      putAttempts++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failStatus !== undefined) {
          res.writeHead(failStatus, { 'Content-Type': 'text/plain' }).end('refused by the test bucket');
          return;
        }
        if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
          res.writeHead(403, { 'Content-Type': 'text/plain' }).end('AccessDenied');
          return;
        }
        const bytes = Buffer.concat(chunks);
        fs.mkdir(path.dirname(file), { recursive: true })
          .then(() => fs.writeFile(file, bytes))
          .then(
            () => {
              uploads.push({
                path: rel,
                bytes,
                contentType: req.headers['content-type'],
                authorization: req.headers.authorization,
              });
              res.writeHead(200).end();
            },
            () => res.writeHead(500).end(),
          );
      });
      return;
    }
    fetched.push(rel);
    fs.stat(file).then(
      (st) => {
        if (!st.isFile()) return res.writeHead(404).end();
        res.writeHead(200, {
          'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Length': String(st.size),
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
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
    uploads,
    get putAttempts() {
      return putAttempts;
    },
    failPuts: (status) => (failStatus = status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
