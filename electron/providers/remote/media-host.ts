// The user's media host, where a local file goes before a gateway that takes media only as URLs
// gets it (docs/gateways.md §6). Two kinds: `s3://bucket/prefix`, the user's private S3-compatible
// bucket through the AWS SDK with presigned links (s3-host.ts); or a plain https base URL that
// accepts `PUT <base>/<sha256>.<ext>` and serves the file back at that URL. Uploading a private file is the user's
// call: it happens only when SHOTGRAPH_MEDIA_HOST is set. The token is a secret — it is only ever
// sent as a header, and every message passes through the provider's redactor.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { GatewayError } from './errors';
import type { HttpClient } from './http';
import { mediaTypeOf } from './media-type';
import { s3LocationFrom, S3HostConfigError, type S3Location } from './s3-host';

export const MEDIA_HOST_ENV = 'SHOTGRAPH_MEDIA_HOST';
export const MEDIA_HOST_TOKEN_ENV = 'SHOTGRAPH_MEDIA_HOST_TOKEN';

export interface MediaHostConfig {
  /** Base URL without a trailing slash (for an S3 host: the s3:// URL, named in messages). */
  baseUrl: string;
  token?: string;
  /** Set for `s3://…`: the bucket, reached through the SDK rather than plain PUTs. */
  s3?: S3Location;
}

export class MediaHostConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The configured host, undefined when not set; throws MediaHostConfigError when it is not usable. */
export function mediaHostFromEnv(env: NodeJS.ProcessEnv): MediaHostConfig | undefined {
  const raw = (env[MEDIA_HOST_ENV] ?? '').trim();
  if (!raw) return undefined;
  if (/^s3:\/\//i.test(raw)) {
    try {
      return { baseUrl: raw.replace(/\/+$/, ''), s3: s3LocationFrom(raw, env, MEDIA_HOST_ENV) };
    } catch (e) {
      if (e instanceof S3HostConfigError) throw new MediaHostConfigError(e.message);
      throw e;
    }
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MediaHostConfigError(
      `${MEDIA_HOST_ENV} is not a URL (expected s3://my-bucket/shotgraph, or https://my-bucket.example.com/shotgraph)`,
    );
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))) {
    throw new MediaHostConfigError(
      `${MEDIA_HOST_ENV} must be s3://bucket/prefix or an https URL (gateways fetch media over https), not ${url.protocol}//${url.host}`,
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
  const { ext, contentType } = mediaTypeOf(bytes, file);
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
