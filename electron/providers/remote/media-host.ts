// The user's media host: a bucket (S3/R2/GCS with a public-write or presigned prefix, or anything
// that speaks the same two verbs) where Shotgraph PUTs a local file as <base>/<sha256>.<ext> and then
// hands that URL to a gateway that takes media only as URLs. Uploading a private file is the user's
// call: it happens only when SHOTGRAPH_MEDIA_HOST is set. The token is a secret — it is only ever
// sent as a header, and every message passes through the provider's redactor.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GatewayError } from './errors';
import type { HttpClient } from './http';
import { sniffMediaType } from './media';

export const MEDIA_HOST_ENV = 'SHOTGRAPH_MEDIA_HOST';
export const MEDIA_HOST_TOKEN_ENV = 'SHOTGRAPH_MEDIA_HOST_TOKEN';

export interface MediaHostConfig {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  token?: string;
}

export class MediaHostConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The configured host, undefined when not set; throws MediaHostConfigError when it is not usable. */
export function mediaHostFromEnv(env: NodeJS.ProcessEnv): MediaHostConfig | undefined {
  const raw = (env[MEDIA_HOST_ENV] ?? '').trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MediaHostConfigError(
      `${MEDIA_HOST_ENV} is not a URL (expected e.g. https://my-bucket.example.com/shotgraph)`,
    );
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))) {
    throw new MediaHostConfigError(
      `${MEDIA_HOST_ENV} must be an https URL (gateways fetch media over https), not ${url.protocol}//${url.host}`,
    );
  }
  if (url.search || url.hash) {
    throw new MediaHostConfigError(
      `${MEDIA_HOST_ENV} must be a base URL without a query string: files are PUT at <base>/<sha256>.<ext>`,
    );
  }
  const token = (env[MEDIA_HOST_TOKEN_ENV] ?? '').trim();
  return { baseUrl: raw.replace(/\/+$/, ''), ...(token ? { token } : {}) };
}

/** Whether a usable host is configured (for the plan's capability check). */
export function hasMediaHost(env: NodeJS.ProcessEnv): boolean {
  try {
    return !!mediaHostFromEnv(env);
  } catch {
    return false;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  heic: 'image/heic',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  quicktime: 'video/quicktime',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
};

function typeOf(bytes: Buffer, file: string): { ext: string; contentType: string } {
  const sniffed = sniffMediaType(bytes, file);
  const byName = path.extname(file).slice(1).toLowerCase();
  if (sniffed) {
    const ext =
      sniffed.subtype === 'jpeg' ? 'jpg' : sniffed.subtype === 'quicktime' ? 'mov' : sniffed.subtype;
    return { ext, contentType: CONTENT_TYPES[ext] ?? `${sniffed.kind}/${sniffed.subtype}` };
  }
  const ext = /^[a-z0-9]{1,8}$/.test(byName) ? byName : 'bin';
  return { ext, contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream' };
}

export interface UploadResult {
  url: string;
  /** False when the host already had these bytes (HEAD answered 200 with the same length). */
  uploaded: boolean;
  bytes: number;
}

/**
 * Puts a local file on the host (content-addressed, so a repeat is free) and returns its URL.
 * Throws a (redacted) GatewayError when the host refuses or cannot be reached after the retries.
 */
export async function uploadToMediaHost(
  http: HttpClient,
  host: MediaHostConfig,
  file: string,
  what: string,
  signal?: AbortSignal,
): Promise<UploadResult> {
  const bytes = await fs.readFile(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const { ext, contentType } = typeOf(bytes, file);
  const url = `${host.baseUrl}/${sha}.${ext}`;
  const auth: Record<string, string> = host.token ? { Authorization: `Bearer ${host.token}` } : {};
  // Already there? A HEAD that fails for any reason just means "upload it".
  try {
    const head = await http.raw({
      method: 'HEAD',
      url,
      headers: auth,
      what: `check ${what}`,
      idempotent: true,
      accept: () => true,
      ...(signal ? { signal } : {}),
    });
    const length = Number(head.headers['content-length']);
    if (head.status === 200 && length === bytes.length) return { url, uploaded: false, bytes: bytes.length };
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
  }
  await http.raw({
    method: 'PUT',
    url,
    headers: { ...auth, 'Content-Type': contentType },
    body: bytes,
    what: `upload ${what}`,
    // Content-addressed: putting the same bytes twice is harmless.
    idempotent: true,
    // Allow for a slow uplink (~100 KB/s) on top of the usual minute.
    timeoutMs: 60_000 + Math.ceil(bytes.length / 100_000) * 1000,
    ...(signal ? { signal } : {}),
  });
  return { url, uploaded: true, bytes: bytes.length };
}
