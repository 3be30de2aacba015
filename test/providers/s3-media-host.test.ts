// The S3 media host (issue 15, item 5; docs/gateways.md §6) against a private S3 bucket on 127.0.0.1
// (s3rver behind a front that checks every SigV4 signature and refuses anonymous reads): objects
// are private and content-addressed, a HEAD skips what is there, the gateway gets a presigned GET
// link that outlives the task. Then the acceptance run: the three-shot chain as shipped on each
// URL-only gateway's mock through SHOTGRAPH_MEDIA_HOST=s3://…, uploads and presigned links counted.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { mediaHostFromEnv } from '../../electron/providers/remote/media-host';
import { s3Client, uploadToS3 } from '../../electron/providers/remote/s3-host';
import type { Graph } from '../../shared/graph/schema';
import { CAPABILITIES, defaultShotDuration, MEDIA_HOST_GATEWAYS } from '../../shared/seedance/capabilities';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { startS3Bucket, S3_ACCESS_KEY, S3_SECRET, type S3Bucket } from '../mocks/s3';
import { makeFixtures, type Fixtures } from './fixtures';
import { createBodies, GATEWAY_KEYS, type ThirdParty } from './gateways-harness';
import { filesContaining, tempDir } from './helpers';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/shotgraph.js');
const CHAIN = 'graphs/three-shot-chain.json';
const SIGNED = /X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}/;

let s3: S3Bucket;
let dir: string;
let media: Fixtures;
const awsEnv = (): NodeJS.ProcessEnv => ({
  AWS_ENDPOINT_URL: s3.endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: S3_ACCESS_KEY,
  AWS_SECRET_ACCESS_KEY: S3_SECRET,
});

beforeAll(async () => {
  s3 = await startS3Bucket();
  dir = await tempDir('shotgraph-s3-');
  media = await makeFixtures(dir);
});
afterAll(async () => {
  await s3?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('SHOTGRAPH_MEDIA_HOST=s3://bucket/prefix', () => {
  it('is read with AWS_ENDPOINT_URL and AWS_REGION; a bad bucket name is refused', () => {
    const host = mediaHostFromEnv({ SHOTGRAPH_MEDIA_HOST: 's3://shotgraph-media/films/one/', ...awsEnv() });
    expect(host?.s3).toEqual({
      bucket: 'shotgraph-media',
      prefix: 'films/one',
      endpoint: s3.endpoint,
      region: 'us-east-1',
    });
    expect(() => mediaHostFromEnv({ SHOTGRAPH_MEDIA_HOST: 's3://My_Bucket/x' })).toThrow(/bucket name/);
  });

  it('puts a private, content-addressed object once and hands out a presigned link that outlives the task', async () => {
    // The SDK reads the credential chain from the process environment, as it does for users.
    Object.assign(process.env, awsEnv());
    const host = mediaHostFromEnv({ SHOTGRAPH_MEDIA_HOST: 's3://shotgraph-media/unit', ...awsEnv() })!;
    const client = await s3Client(host.s3!);
    const from = s3.requests.length;
    const six = 6 * 3600;
    const a = await uploadToS3(client, host.s3!, media.png, six);
    const b = await uploadToS3(client, host.s3!, media.png, six);
    const bytes = await readFile(media.png);
    expect(a).toMatchObject({ uploaded: true, bytes: bytes.length });
    expect(a.key).toMatch(/^unit\/[0-9a-f]{64}\.png$/);
    expect(b).toMatchObject({ uploaded: false, key: a.key });
    // HEAD, PUT, then only a HEAD: the same bytes are never sent twice. Every call signed and accepted.
    const calls = s3.requests.slice(from);
    expect(calls.map((r) => `${r.method} ${r.auth} ${r.status}`)).toEqual([
      'HEAD header 404',
      'PUT header 200',
      'HEAD header 200',
    ]);
    // The link: signed, valid for the task's life, and it reads back the exact bytes.
    expect(a.url).toMatch(SIGNED);
    expect(new URL(a.url).searchParams.get('X-Amz-Expires')).toBe(String(six));
    const got = await fetch(a.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    // Private: the same object without a signature is refused, and so is a tampered link.
    const plain = `${s3.endpoint}/shotgraph-media/${a.key}`;
    expect((await fetch(plain)).status).toBe(403);
    const tampered = a.url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800');
    expect((await fetch(tampered)).status).toBe(403);
    expect(s3.requests.at(-1)!.refused).toBe('SignatureDoesNotMatch');
  });

  it('a wrong secret is refused by the signature check, with advice and without the secret', async () => {
    const { uploadToS3: up } = await import('../../electron/providers/remote/s3-host');
    const { S3Client } = await import('@aws-sdk/client-s3');
    const bad = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: 'not-the-secret-0123456789' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const err = (await up(
      bad,
      { bucket: 'shotgraph-media', prefix: 'bad', region: 'us-east-1' },
      media.jpg,
      600,
    ).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(s3.requests.at(-1)).toMatchObject({
      method: 'PUT',
      status: 403,
      refused: 'SignatureDoesNotMatch',
    });
  });
});

describe.each(MEDIA_HOST_GATEWAYS as ThirdParty[])(
  'the three-shot chain on %s through the S3 host',
  (name) => {
    const caps = CAPABILITIES[name];
    let gw: MockGateway;
    let project: string;

    beforeAll(async () => {
      gw = await startMockGateway({ kind: name, queuedMs: 20, runningMs: 60, apiKey: GATEWAY_KEYS[name] });
      project = await mkdtemp(path.join(os.tmpdir(), `shotgraph-s3-${name}-`));
      await cp(path.join(REPO, 'graphs'), path.join(project, 'graphs'), {
        recursive: true,
        filter: (src) => !src.includes('.shotgraph'),
      });
      const file = path.join(project, CHAIN);
      const graph = JSON.parse(await readFile(file, 'utf8')) as Graph;
      // The chain as shipped, each shot at the gateway's default length (Apiframe has no 5 s).
      for (const n of graph.nodes) if (n.type === 'shot') n.params.duration = defaultShotDuration(name);
      await writeFile(file, JSON.stringify(graph, null, 2));
    });
    afterAll(async () => {
      await gw?.close();
      if (project) await rm(project, { recursive: true, force: true });
    });

    it('3 creates; the two chained last frames uploaded once each; the gateway given presigned links it could read', async () => {
      const from = s3.requests.length;
      const clean = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$|^SHOTGRAPH_|^AWS_/.test(k)),
      );
      const env = {
        ...clean,
        ...awsEnv(),
        [caps.baseUrlEnv]: gw.url,
        [caps.keyEnv]: GATEWAY_KEYS[name],
        SHOTGRAPH_MEDIA_HOST: `s3://shotgraph-media/${name}`,
        SHOTGRAPH_POLL_MS: '20,100',
        SHOTGRAPH_RETRY_MS: '20,100',
      };
      const child = spawn(
        process.execPath,
        [
          CLI,
          'render',
          path.join(project, CHAIN),
          '--provider',
          name,
          '--out',
          path.join(project, 'film.mp4'),
        ],
        { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, out).toBe(0);
      expect(gw.stats().creates).toBe(3);

      const calls = s3.requests.slice(from);
      const puts = calls.filter((r) => r.method === 'PUT');
      const heads = calls.filter((r) => r.method === 'HEAD');
      const reads = calls.filter((r) => r.method === 'GET' && r.auth === 'presigned');
      expect(puts.map((r) => r.status)).toEqual([200, 200]);
      for (const p of puts) expect(p.key).toMatch(new RegExp(`^${name}/[0-9a-f]{64}\\.png$`));
      expect(heads).toHaveLength(2);
      expect(calls.filter((r) => r.refused)).toEqual([]);
      expect(calls.every((r) => r.auth !== 'anonymous')).toBe(true);
      // Shots 2 and 3 were each sent one presigned link, to the frame just uploaded; shot 1 none.
      const bodies = createBodies(gw).map((b) => JSON.stringify(b));
      const links = bodies.map((b) => b.match(/http:\/\/127\.0\.0\.1:\d+\/shotgraph-media\/[^"]+/g) ?? []);
      expect(links.map((l) => l.length)).toEqual([0, 1, 1]);
      for (const [i, l] of links.slice(1).entries()) {
        const url = l[0]!.replace(/\\u0026/g, '&');
        expect(url).toMatch(SIGNED);
        expect(decodeURIComponent(new URL(url).pathname)).toBe(`/shotgraph-media/${puts[i]!.key}`);
      }
      // …and the gateway fetched each link (seed2.io's mock reads an image twice), signed, successfully.
      expect(reads.every((r) => r.status === 200)).toBe(true);
      expect(new Set(reads.map((r) => r.key))).toEqual(new Set(puts.map((p) => p.key)));
      const film = await probeMedia(path.join(project, 'film.mp4'));
      expect(Math.abs(film.durationSec - 3 * defaultShotDuration(name))).toBeLessThanOrEqual(0.1);
      // The secret is in no file and no output.
      expect(out).not.toContain(S3_SECRET + '\n');
      expect(await filesContaining(project, GATEWAY_KEYS[name])).toEqual([]);
      console.info(
        `[s3-host ${name}] creates 3, PUT ${puts.length}, HEAD ${heads.length}, presigned links sent ${links.flat().length}, presigned GETs ${reads.length}`,
      );
    }, 240_000);
  },
);
