// The media host (SHOTGRAPH_MEDIA_HOST) through the real CLI: seed2.io, Apiframe and xingchaoyiqing
// take media only as URLs, so graphs/three-shot-chain.json — whose shots 2 and 3 open on the previous
// shot's extracted last frame — renders on them only by uploading those frames to a bucket first.
// The bucket is a loopback stand-in (test/mocks/bucket.ts) that takes PUTs; the gateway mocks fetch
// the uploaded frames from it. Also: a refused upload fails the shot before any create, the host's
// token is written nowhere, and without a host the chain is still refused before any call.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { HttpClient } from '../../electron/providers/remote/http';
import { makeRedactor } from '../../electron/providers/remote/redact';
import { uploadToMediaHost } from '../../electron/providers/remote/media-host';
import type { Graph } from '../../shared/graph/schema';
import { CAPABILITIES, defaultShotDuration } from '../../shared/seedance/capabilities';
import { serveFolder, type Bucket } from '../mocks/bucket';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { createBodies, GATEWAY_KEYS } from './gateways-harness';
import { filesContaining } from './helpers';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/shotgraph.js');
const CHAIN = 'graphs/three-shot-chain.json';
const URL_ONLY = ['seed2', 'apiframe', 'xingchao'] as const;

interface Report {
  status: string;
  submissions: number;
  nodes: Record<
    string,
    { status: string; cached: boolean; error?: string; outputs?: Record<string, string> }
  >;
}

describe.each(URL_ONLY)('three-shot chain on %s through a media host', (name) => {
  const caps = CAPABILITIES[name];
  const SHOT_SECONDS = defaultShotDuration(name);
  const token = `mh-${randomBytes(16).toString('hex')}`;
  let gw: MockGateway;
  let bucket: Bucket;
  let bucketDir: string;
  const dirs: string[] = [];
  const outputs: string[] = [];

  beforeAll(async () => {
    gw = await startMockGateway({ kind: name, queuedMs: 20, runningMs: 60, apiKey: GATEWAY_KEYS[name] });
    bucketDir = await mkdtemp(path.join(os.tmpdir(), `shotgraph-bucket-${name}-`));
    bucket = await serveFolder(bucketDir, { token });
  });
  afterAll(async () => {
    await gw?.close();
    await bucket?.close();
    for (const d of [...dirs, bucketDir]) if (d) await rm(d, { recursive: true, force: true });
  });

  /** A private copy of graphs/ with the chain as shipped (the xingchao friendly name maps to _pro). */
  async function project(variant: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), `shotgraph-${name}-host-`));
    dirs.push(dir);
    await cp(path.join(REPO, 'graphs'), path.join(dir, 'graphs'), {
      recursive: true,
      filter: (src) => !src.includes('.shotgraph'),
    });
    const file = path.join(dir, CHAIN);
    const graph = JSON.parse(await readFile(file, 'utf8')) as Graph;
    // A different prompt per test: its own shots, not another test's cached ones.
    for (const n of graph.nodes)
      if (n.type === 'prompt') n.params.text = `${String(n.params.text)} ${variant}`;
    // Each shot lasts what the gateway takes by default (Apiframe has no 5 s, §2.2).
    for (const n of graph.nodes) if (n.type === 'shot') n.params.duration = SHOT_SECONDS;
    await writeFile(file, JSON.stringify(graph, null, 2));
    return dir;
  }

  // Uploads are content-addressed and a frame already there is not sent again (HEAD): each test gets
  // its own prefix, so the mock's (often identical) frames are really uploaded.
  let prefix = 'main';
  const hostUrl = () => `${bucket.origin}/uploads/${name}/${prefix}`;

  function cli(dir: string, args: string[], host = true) {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$|^SHOTGRAPH_MEDIA_HOST/.test(k)),
    );
    const env: NodeJS.ProcessEnv = {
      ...clean,
      [caps.baseUrlEnv]: gw.url,
      [caps.keyEnv]: GATEWAY_KEYS[name],
      SHOTGRAPH_POLL_MS: '20,100',
      SHOTGRAPH_RETRY_MS: '20,100',
      ...(host ? { SHOTGRAPH_MEDIA_HOST: hostUrl(), SHOTGRAPH_MEDIA_HOST_TOKEN: token } : {}),
    };
    const child = spawn(
      process.execPath,
      [
        CLI,
        'render',
        path.join(dir, CHAIN),
        '--provider',
        name,
        '--out',
        path.join(dir, 'film.mp4'),
        '--report',
        path.join(dir, 'report.json'),
        ...args,
      ],
      { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        outputs.push(stdout, stderr);
        resolve({ code, stdout, stderr });
      });
    });
  }
  const report = async (dir: string) =>
    JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;

  it('uploads the chained last frames and renders with exactly 3 creates and a correct final cut', async () => {
    prefix = 'main';
    const dir = await project('Host run.');
    const creates = gw.stats().creates;
    const bodies = createBodies(gw).length;
    const uploads = bucket.uploads.length;
    const r = await cli(dir, []);
    expect(r.code, r.stderr).toBe(0);
    expect(gw.stats().creates - creates).toBe(3);
    const rep = await report(dir);
    expect(rep.status).toBe('succeeded');
    expect(rep.submissions).toBe(3);

    const info = await probeMedia(path.join(dir, 'film.mp4'));
    expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(info.audio?.codec).toBe('aac');
    expect(Math.abs(info.durationSec - 3 * SHOT_SECONDS)).toBeLessThanOrEqual(0.1);

    // Two PUTs: shot 1's and shot 2's last frames, byte for byte, with the token and a content type.
    const put = bucket.uploads.slice(uploads);
    expect(put).toHaveLength(2);
    for (const [i, prev] of ['shot-1', 'shot-2'].entries()) {
      const frame = await readFile(rep.nodes[prev]!.outputs!.last_frame!);
      expect(put[i]!.bytes.equals(frame)).toBe(true);
      expect(put[i]!.path).toMatch(new RegExp(`^uploads/${name}/main/[0-9a-f]{64}\\.png$`));
      expect(put[i]!.contentType).toBe('image/png');
      expect(put[i]!.authorization).toBe(`Bearer ${token}`);
    }
    // The gateway was sent the bucket URLs: none for shot 1, the uploaded frame for shots 2 and 3.
    const sent = createBodies(gw)
      .slice(bodies)
      .map((b) => JSON.stringify(b));
    expect(sent).toHaveLength(3);
    expect(sent[0]).not.toContain(bucket.origin);
    for (const i of [1, 2]) expect(sent[i]).toContain(`${bucket.origin}/${put[i - 1]!.path}`);
  }, 120_000);

  it.each([
    [500, 'HTTP 500'],
    [403, 'HTTP 403'],
  ])(
    'fails the shot before any create when the bucket answers %i',
    async (status, said) => {
      prefix = `refused-${status}`;
      const dir = await project(`Refused ${status}.`);
      // Shot 1 needs no upload: make it first, so the failing run has nothing to create before shot 2.
      const first = await cli(dir, ['--until', 'shot-1']);
      expect(first.code, first.stderr).toBe(0);
      const creates = gw.stats().creates;
      const attempts = bucket.putAttempts;
      bucket.failPuts(status);
      let r;
      try {
        r = await cli(dir, []);
      } finally {
        bucket.failPuts(undefined);
      }
      expect(r.code).not.toBe(0);
      expect(gw.stats().creates - creates).toBe(0);
      // A 500 is retried, a 403 is not.
      expect(bucket.putAttempts - attempts).toSatisfy((n: number) => (status === 500 ? n > 1 : n === 1));
      const out = r.stdout + r.stderr;
      expect(out).toContain('shot-2');
      expect(out).toContain('could not upload the first frame (field first_frame');
      expect(out).toContain('SHOTGRAPH_MEDIA_HOST');
      expect(out).toContain(said);
      expect(out).toContain('Nothing was submitted');
      const rep = await report(dir);
      expect(rep.nodes['shot-2']!.status).toBe('failed');
      console.info(`[${name}-media-host] bucket ${status}: ${rep.nodes['shot-2']!.error}`);
    },
    120_000,
  );

  it('without SHOTGRAPH_MEDIA_HOST still refuses the chain before any call, and says how to allow it', async () => {
    const dir = await project('No host.');
    const requests = gw.stats().requests;
    const r = await cli(dir, [], false);
    expect(r.code).not.toBe(0);
    expect(gw.stats().requests - requests).toBe(0);
    expect(r.stdout + r.stderr).toContain(
      'or set SHOTGRAPH_MEDIA_HOST to a bucket URL Shotgraph can upload to',
    );
  });

  it('leaves the host token and the API key nowhere: not in any file written, nor in any output', async () => {
    expect(outputs.length).toBeGreaterThanOrEqual(8);
    for (const d of dirs) {
      expect(await filesContaining(d, token)).toEqual([]);
      expect(await filesContaining(d, GATEWAY_KEYS[name])).toEqual([]);
    }
    expect(await filesContaining(bucketDir, token)).toEqual([]);
    for (const o of outputs) {
      expect(o).not.toContain(token);
      expect(o).not.toContain(GATEWAY_KEYS[name]);
    }
  });
});

describe('uploadToMediaHost', () => {
  it('skips the PUT when the host already has the same bytes (HEAD 200, same length)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-bucket-'));
    const bucket = await serveFolder(dir);
    try {
      const http = new HttpClient({
        dialect: { name: 'the media host', parseError: () => undefined },
        redact: makeRedactor([]),
        headers: {},
        retry: { attempts: 2, backoff: { initialMs: 5, maxMs: 10, factor: 2 }, maxRetryAfterMs: 100 },
      });
      const file = path.join(REPO, 'graphs/media/harbour-dawn.png');
      const host = { baseUrl: `${bucket.origin}/x/`.replace(/\/+$/, '') };
      const a = await uploadToMediaHost(http, host, file, 'a frame');
      const b = await uploadToMediaHost(http, host, file, 'a frame');
      expect(a.uploaded).toBe(true);
      expect(b).toMatchObject({ uploaded: false, url: a.url });
      expect(bucket.putAttempts).toBe(1);
      expect((await readFile(path.join(dir, new URL(a.url).pathname))).equals(await readFile(file))).toBe(
        true,
      );
    } finally {
      await bucket.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
