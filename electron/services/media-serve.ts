// Serves local media with HTTP Range support so <video> can seek; used by web mode's /media route
// and by the desktop app's custom protocol alike.
import { createReadStream, promises as fs, type ReadStream } from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface MediaResponse {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  body?: ReadStream;
}

/** Parses a single `bytes=a-b` range (the only form media elements send). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

export async function mediaResponse(file: string, rangeHeader: string | undefined): Promise<MediaResponse> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile()) return { status: 404, headers: { 'content-type': 'text/plain' } };
  const base = {
    'content-type': contentTypeOf(file),
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
    'last-modified': st.mtime.toUTCString(),
  };
  const range = parseRange(rangeHeader, st.size);
  if (range === 'invalid')
    return { status: 416, headers: { ...base, 'content-range': `bytes */${st.size}` } };
  if (!range) {
    return {
      status: 200,
      headers: { ...base, 'content-length': String(st.size) },
      body: createReadStream(file),
    };
  }
  return {
    status: 206,
    headers: {
      ...base,
      'content-length': String(range.end - range.start + 1),
      'content-range': `bytes ${range.start}-${range.end}/${st.size}`,
    },
    body: createReadStream(file, { start: range.start, end: range.end }),
  };
}
