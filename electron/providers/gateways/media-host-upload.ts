// URL-only gateways and local inputs: every local file of a shot is put on the user's media host
// (SHOTGRAPH_MEDIA_HOST) before the paid call, outside the journal's bracket, so a failed upload
// stops the shot before anything is paid for.
import path from 'node:path';
import { isGatewayError } from '../remote/errors';
import { HttpClient, type RetryInfo, type RetryPolicy } from '../remote/http';
import {
  MEDIA_HOST_ENV,
  MEDIA_HOST_TOKEN_ENV,
  uploadToMediaHost,
  type MediaHostConfig,
} from '../remote/media-host';
import type { Redactor } from '../remote/redact';
import { s3Client, uploadToS3 } from '../remote/s3-host';
import { isAbortError, type Sleep } from '../remote/timing';
import { ProviderError, type MediaRef, type ShotRequest } from '../types';

export interface HostLocalMedia {
  req: ShotRequest;
  host: MediaHostConfig;
  /** The gateway the shot is for, as users name it. */
  label: string;
  signal: AbortSignal;
  redact: Redactor;
  retry: RetryPolicy;
  timeoutMs?: number;
  sleep?: Sleep;
  random?: () => number;
  onRetry(info: RetryInfo): void;
  progress(fraction: number, message?: string): void;
  /** How long the gateway may need the file: an S3 host's presigned links live this long. */
  linkLifeMs?: number;
  /** Called for each file put on an S3 host or found there, with whether it was uploaded. */
  onHosted?(info: { key: string; uploaded: boolean; bytes: number }): void;
}

/** What the user should check when the S3 host refuses, by the SDK's error name or status. */
function s3Advice(e: unknown): { why: string; advice: string; status?: number } {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  const name = err.name ?? 'Error';
  const why = `${name}${status ? ` (HTTP ${status})` : ''}: ${err.message ?? ''}`.trim();
  const creds =
    name === 'CredentialsProviderError' ||
    name === 'InvalidAccessKeyId' ||
    name === 'SignatureDoesNotMatch' ||
    status === 401 ||
    status === 403;
  const advice = creds
    ? ' Check the AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and that they may PUT and GET in the bucket.'
    : name === 'NoSuchBucket' || status === 404
      ? ` Check the bucket in ${MEDIA_HOST_ENV} and AWS_ENDPOINT_URL / AWS_REGION.`
      : ` Check ${MEDIA_HOST_ENV}, AWS_ENDPOINT_URL and the network, then run again.`;
  return { why, advice, ...(status ? { status } : {}) };
}

/** The request with every local input replaced by its URL on the media host (uploaded if missing). */
export async function hostLocalMedia(o: HostLocalMedia): Promise<ShotRequest> {
  const { req, host, signal } = o;
  const http = new HttpClient({
    dialect: { name: 'the media host', parseError: () => undefined },
    redact: o.redact,
    headers: {}, // the token goes only to the host, per call
    retry: o.retry,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.sleep ? { sleep: o.sleep } : {}),
    ...(o.random ? { random: o.random } : {}),
    onRetry: o.onRetry,
  });
  const s3 = host.s3 && (await s3Client(host.s3));
  const linkSeconds = (o.linkLifeMs ?? 6 * 3600_000) / 1000;
  const one = async (ref: MediaRef, what: string, field: string): Promise<MediaRef> => {
    if (ref.url || !ref.path) return ref;
    const name = path.basename(ref.path);
    if (s3 && host.s3) {
      try {
        o.progress(0.01, `uploading ${what} to the media host`);
        const r = await uploadToS3(s3, host.s3, ref.path, linkSeconds, signal);
        o.onHosted?.({ key: r.key, uploaded: r.uploaded, bytes: r.bytes });
        return { url: r.url };
      } catch (e) {
        if (isAbortError(e) || signal.aborted) throw e;
        const local = (e as NodeJS.ErrnoException).code;
        const { why, advice, status } = local
          ? { why: `cannot read ${name} (${local})`, advice: '', status: undefined }
          : s3Advice(e);
        throw new ProviderError(
          o.redact(
            `Shot "${req.nodeId}": could not upload ${what} (field ${field}, ${name}) to the media host (${MEDIA_HOST_ENV}=${host.baseUrl}): ${why}.${advice} Nothing was submitted to ${o.label}.`,
          ),
          { field, retryable: !local && (status === undefined || status === 429 || status >= 500) },
        );
      }
    }
    try {
      o.progress(0.01, `uploading ${what} to the media host`);
      const r = await uploadToMediaHost(http, host, ref.path, `${what} (${name})`, signal);
      return { url: r.url };
    } catch (e) {
      if (isAbortError(e)) throw e;
      const status = isGatewayError(e) ? e.status : undefined;
      const why = isGatewayError(e)
        ? e.message
        : `cannot read ${name} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
      const advice =
        status === 401 || status === 403
          ? ` Check ${MEDIA_HOST_TOKEN_ENV} and that the bucket accepts PUT at ${MEDIA_HOST_ENV}.`
          : isGatewayError(e)
            ? ` Check ${MEDIA_HOST_ENV} and the network, then run again.`
            : '';
      throw new ProviderError(
        o.redact(
          `Shot "${req.nodeId}": could not upload ${what} (field ${field}, ${name}) to the media host (${MEDIA_HOST_ENV}): ${why}.${advice} Nothing was submitted to ${o.label}.`,
        ),
        { field, retryable: status === undefined || status === 429 || status >= 500 },
      );
    }
  };
  const many = async (refs: MediaRef[], what: string, field: string) => {
    const out: MediaRef[] = [];
    for (const [i, r] of refs.entries())
      out.push(await one(r, refs.length > 1 ? `${what} ${i + 1}` : what, field));
    return out;
  };
  return {
    ...req,
    ...(req.firstFrame ? { firstFrame: await one(req.firstFrame, 'the first frame', 'first_frame') } : {}),
    ...(req.lastFrame ? { lastFrame: await one(req.lastFrame, 'the last frame', 'last_frame') } : {}),
    referenceImages: await many(req.referenceImages, 'reference image', 'reference_images'),
    referenceVideos: await many(req.referenceVideos, 'reference video', 'reference_videos'),
    referenceAudios: await many(req.referenceAudios, 'reference audio', 'reference_audios'),
  };
}
