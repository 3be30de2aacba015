// The user's own S3-compatible bucket as a media host (docs/gateways.md §6): SHOTGRAPH_MEDIA_HOST=
// s3://bucket/prefix, the standard AWS credential chain (environment, profile, SSO, instance role)
// and AWS_ENDPOINT_URL for R2, MinIO or GCS interop, all through the official SDK. Objects stay
// private: each is stored once under its content hash (a HEAD skips what is there) and the gateway
// gets a presigned GET link that lives as long as the task may wait for it.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
// The SDK (1.3 MB of JavaScript) is loaded only when a bucket is used: every command starts without it.
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { mediaTypeOf } from './media-type';

export interface S3Location {
  bucket: string;
  /** Key prefix without slashes at either end; may be empty. */
  prefix: string;
  /** AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL: a non-AWS service, addressed path-style. */
  endpoint?: string;
  /** AWS_REGION or AWS_DEFAULT_REGION; us-east-1 when neither is set (R2 takes "auto"). */
  region: string;
}

/** SigV4 presigned links live at most 7 days. */
export const MAX_LINK_SECONDS = 7 * 24 * 3600;

export class S3HostConfigError extends Error {}

/** An s3:// URL and the environment, as a location; throws S3HostConfigError when unusable. */
export function s3LocationFrom(raw: string, env: NodeJS.ProcessEnv, envName: string): S3Location {
  const m = /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/i.exec(raw);
  const bucket = m?.[1] ?? '';
  // Bucket names as S3 allows them (3–63 of a-z, 0-9, "." and "-"), so a typo fails here, not mid-run.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new S3HostConfigError(
      `${envName} must look like s3://bucket/prefix with a bucket name of 3–63 lowercase letters, digits, "." or "-"`,
    );
  }
  const prefix = (m?.[2] ?? '').replace(/^\/+|\/+$/g, '');
  const endpoint = (env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? '').trim();
  if (endpoint) {
    let u: URL;
    try {
      u = new URL(endpoint);
    } catch {
      throw new S3HostConfigError(
        `AWS_ENDPOINT_URL is not a URL (expected e.g. https://<account>.r2.cloudflarestorage.com)`,
      );
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
      throw new S3HostConfigError(`AWS_ENDPOINT_URL must be an http(s) URL, not ${u.protocol}`);
  }
  const region = (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '').trim() || 'us-east-1';
  return { bucket, prefix, ...(endpoint ? { endpoint } : {}), region };
}

export async function s3Client(loc: S3Location): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const config: S3ClientConfig = {
    region: loc.region,
    // R2, GCS interop and older MinIO refuse the SDK's newer default checksums; S3 needs none here.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
    ...(loc.endpoint ? { endpoint: loc.endpoint, forcePathStyle: true } : {}),
  };
  return new S3Client(config);
}

export interface S3Upload {
  url: string;
  /** False when the bucket already held these bytes (HEAD with the same length). */
  uploaded: boolean;
  bytes: number;
  key: string;
}

/**
 * Puts a local file in the bucket (private, content-addressed: a repeat costs a HEAD) and returns a
 * presigned GET link valid for `linkSeconds`. Errors are the SDK's; the caller words them.
 */
export async function uploadToS3(
  client: S3Client,
  loc: S3Location,
  file: string,
  linkSeconds: number,
  signal?: AbortSignal,
): Promise<S3Upload> {
  const [{ GetObjectCommand, HeadObjectCommand, PutObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  const bytes = await fs.readFile(file);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const { ext, contentType } = mediaTypeOf(bytes, file);
  const key = `${loc.prefix ? `${loc.prefix}/` : ''}${sha}.${ext}`;
  const opts = signal ? { abortSignal: signal } : {};
  let there = false;
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: key }), opts);
    there = head.ContentLength === bytes.length;
  } catch (e) {
    if (signal?.aborted) throw e;
    // Not there (404), or HEAD not allowed: the PUT below says what is wrong, if anything.
  }
  if (!there) {
    await client.send(
      new PutObjectCommand({
        Bucket: loc.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        ContentLength: bytes.length,
        // No ACL: the object stays as private as the bucket; the gateway reads it by the signed link.
      }),
      opts,
    );
  }
  const expiresIn = Math.max(60, Math.min(MAX_LINK_SECONDS, Math.ceil(linkSeconds)));
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: loc.bucket, Key: key }), {
    expiresIn,
  });
  return { url, uploaded: !there, bytes: bytes.length, key };
}
