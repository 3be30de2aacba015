// The desktop app's own page, served from the built renderer by a custom protocol with a strict
// CSP header (a meta tag cannot set frame-ancestors, and headers cannot be edited by the page).
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // xyflow positions nodes with inline styles
  "img-src 'self' shotgraph-media: data: blob:",
  "media-src 'self' shotgraph-media: blob:",
  "connect-src 'self' shotgraph-media:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

export async function appAsset(
  distDir: string,
  urlPath: string,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const rel = decodeURIComponent(urlPath).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(distDir, rel);
  const inside = file.startsWith(path.resolve(distDir) + path.sep);
  const body = inside ? await fs.readFile(file).catch(() => undefined) : undefined;
  if (!body)
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('not found') };
  return {
    status: 200,
    headers: {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': DESKTOP_CSP,
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}
