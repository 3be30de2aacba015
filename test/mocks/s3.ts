// A private S3 bucket on 127.0.0.1 for the S3 media host's tests: s3rver (an S3-protocol server from
// npm) stores the objects and answers in S3's own XML, behind a front that does what s3rver leaves
// out — it checks every AWS Signature Version 4 (Authorization header and presigned query, body hash
// included, presigned links until they expire) against the secret, and refuses anonymous requests,
// as a private bucket does. Signatures are recomputed here from the specification, not by the SDK.
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

// s3rver ships no types and no ES module.
const S3rver = createRequire(import.meta.url)('s3rver') as new (o: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

/** s3rver's built-in account: the only key it knows. */
export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET = 'S3RVER';

export interface S3Request {
  method: string;
  key: string;
  /** header: signed Authorization; presigned: a signed link; anonymous: neither. */
  auth: 'header' | 'presigned' | 'anonymous';
  status: number;
  /** Why the front refused it, when it did. */
  refused?: string;
}

export interface S3Bucket {
  /** AWS_ENDPOINT_URL for the SDK. */
  endpoint: string;
  bucket: string;
  readonly requests: S3Request[];
  close(): Promise<void>;
}

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();

/** Why a request's SigV4 signature is wrong, or undefined when it is right. */
function checkSignature(
  req: http.IncomingMessage,
  body: Buffer,
  secret: string,
  now: number,
): string | undefined {
  const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
  const pairs = rawQuery
    ? rawQuery.split('&').map((p) => {
        const [k = '', v = ''] = p.split('=', 2);
        return [
          decodeURIComponent(k.replace(/\+/g, ' ')),
          decodeURIComponent(v.replace(/\+/g, ' ')),
        ] as const;
      })
    : [];
  const q = new Map(pairs);
  const presigned = q.has('X-Amz-Signature');
  let credential: string, signedHeaders: string, signature: string, amzDate: string, payload: string;
  if (presigned) {
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'unknown algorithm';
    credential = q.get('X-Amz-Credential') ?? '';
    signedHeaders = q.get('X-Amz-SignedHeaders') ?? '';
    signature = q.get('X-Amz-Signature') ?? '';
    amzDate = q.get('X-Amz-Date') ?? '';
    payload = 'UNSIGNED-PAYLOAD';
    const expires = Number(q.get('X-Amz-Expires'));
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!m || !Number.isFinite(expires)) return 'malformed presigned link';
    const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (expires > 604800) return 'X-Amz-Expires above 7 days';
    if (now > signedAt + expires * 1000) return 'Request has expired';
  } else {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization ?? ''),
    );
    if (!m) return 'malformed Authorization header';
    [, credential = '', signedHeaders = '', signature = ''] = m;
    amzDate = String(req.headers['x-amz-date'] ?? '');
    payload = String(req.headers['x-amz-content-sha256'] ?? '');
    if (/^[0-9a-f]{64}$/.test(payload) && payload !== sha256(body))
      return 'body does not match x-amz-content-sha256';
    if (!payload) return 'no x-amz-content-sha256';
  }
  const [accessKey, date, region, service, term] = credential.split('/');
  if (accessKey !== S3_ACCESS_KEY) return 'InvalidAccessKeyId';
  if (!date || !region || service !== 's3' || term !== 'aws4_request' || !amzDate.startsWith(date))
    return 'malformed credential scope';
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return 'host is not signed';
  const canonicalQuery = pairs
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = [req.method, rawPath, canonicalQuery, canonicalHeaders, signedHeaders, payload].join(
    '\n',
  );
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature
    ? undefined
    : 'SignatureDoesNotMatch';
}

function s3Error(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

export async function startS3Bucket(bucket = 'shotgraph-media'): Promise<S3Bucket> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-s3rver-'));
  const store = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  const inner = await store.run();
  const requests: S3Request[] = [];
  const front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const key = decodeURIComponent(url.pathname.replace(`/${bucket}/`, ''));
      const auth = url.searchParams.has('X-Amz-Signature')
        ? 'presigned'
        : req.headers.authorization
          ? 'header'
          : 'anonymous';
      const entry: S3Request = { method: req.method ?? 'GET', key, auth, status: 0 };
      requests.push(entry);
      const refuse = (status: number, code: string, why: string) => {
        entry.status = status;
        entry.refused = why;
        s3Error(res, status, code, why);
      };
      if (auth === 'anonymous') return refuse(403, 'AccessDenied', 'Access Denied');
      const wrong = checkSignature(req, body, S3_SECRET, Date.now());
      if (wrong) return refuse(403, /expired/.test(wrong) ? 'AccessDenied' : 'SignatureDoesNotMatch', wrong);
      const fwd = http.request(
        { host: '127.0.0.1', port: inner.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          entry.status = up.statusCode ?? 0;
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      fwd.on('error', () => refuse(502, 'InternalError', 'store unreachable'));
      fwd.end(body);
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    requests,
    async close() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
