// Budget means budget (issue 11 §4), through the real CLI against the xingchaoyiqing mock on
// 127.0.0.1: that gateway publishes no price, so `--budget` refuses the three-shot chain before a
// single request unless `--allow-unpriced`, and `--budget 0` refuses it whatever the flags.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { probeMedia } from '../../electron/media/probe';
import type { Graph } from '../../shared/graph/schema';
import { serveFolder, type Bucket } from '../mocks/bucket';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { CLI, REPO } from '../helpers/cli';

const KEY = `xc-live-${randomBytes(16).toString('hex')}`;
const HOST_TOKEN = `mh-${randomBytes(16).toString('hex')}`;
const CHAIN = 'graphs/three-shot-chain.json';

let gw: MockGateway;
let bucket: Bucket;
let bucketDir: string;
const dirs: string[] = [];

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'xingchao', queuedMs: 20, runningMs: 60, apiKey: KEY });
  bucketDir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-budget-bucket-'));
  bucket = await serveFolder(bucketDir, { token: HOST_TOKEN });
});
afterAll(async () => {
  await gw?.close();
  await bucket?.close();
  for (const d of [...dirs, bucketDir]) if (d) await rm(d, { recursive: true, force: true });
});

async function project(variant: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-budget-'));
  dirs.push(dir);
  await cp(path.join(REPO, 'graphs'), path.join(dir, 'graphs'), {
    recursive: true,
    filter: (src) => !src.includes('.shotgraph') && !src.endsWith('.mp4'),
  });
  const file = path.join(dir, CHAIN);
  const graph = JSON.parse(await readFile(file, 'utf8')) as Graph;
  for (const n of graph.nodes) if (n.type === 'prompt') n.params.text = `${String(n.params.text)} ${variant}`;
  await writeFile(file, JSON.stringify(graph, null, 2));
  return dir;
}

function render(dir: string, ...args: string[]) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$|^SHOTGRAPH_MEDIA_HOST/.test(k)),
  );
  const env: NodeJS.ProcessEnv = {
    ...clean,
    XINGCHAO_BASE_URL: gw.url,
    XINGCHAO_API_KEY: KEY,
    SHOTGRAPH_POLL_MS: '20,100',
    SHOTGRAPH_RETRY_MS: '20,100',
    // The chain's shots 2 and 3 open on a local frame: this URL-only gateway gets it from a bucket.
    SHOTGRAPH_MEDIA_HOST: `${bucket.origin}/uploads/${path.basename(dir)}`,
    SHOTGRAPH_MEDIA_HOST_TOKEN: HOST_TOKEN,
  };
  const reportFile = path.join(dir, `report-${randomBytes(4).toString('hex')}.json`);
  const out = path.join(dir, 'film.mp4');
  const child = spawn(
    process.execPath,
    [
      CLI,
      'render',
      path.join(dir, CHAIN),
      '--provider',
      'xingchao',
      '--out',
      out,
      '--report',
      reportFile,
      ...args,
    ],
    { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  return new Promise<{ code: number | null; stderr: string; report: RunReport }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', async (code) =>
      resolve({ code, stderr, report: JSON.parse(await readFile(reportFile, 'utf8')) as RunReport }),
    );
  });
}

describe('--budget on a gateway with no published price (xingchao mock)', () => {
  it('is refused before any request, naming the shots and --allow-unpriced', async () => {
    const dir = await project('refused');
    const before = gw.stats().requests;
    const r = await render(dir, '--budget', '5');
    expect(r.code).toBe(1);
    expect(r.report.status).toBe('invalid');
    expect(r.report.problems[0]).toMatchObject({ code: 'run.budget-unpriced', field: 'budget' });
    expect(r.stderr).toMatch(/"shot-1", "shot-2" and "shot-3" run on xingchao, which publishes no price/);
    expect(r.stderr).toContain('--allow-unpriced');
    expect(gw.stats().requests).toBe(before);
    expect(bucket.putAttempts).toBe(0);
  }, 120_000);

  it('--budget 0 is refused even with --allow-unpriced', async () => {
    const dir = await project('zero');
    const before = gw.stats().requests;
    const r = await render(dir, '--budget', '0', '--allow-unpriced');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a budget of \$0\.00 allows no paid shot/);
    expect(gw.stats().requests).toBe(before);
  }, 120_000);

  it('with --allow-unpriced, runs: 3 creates and the film', async () => {
    const dir = await project('allowed');
    const before = gw.stats().creates;
    const r = await render(dir, '--budget', '5', '--allow-unpriced');
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.status).toBe('succeeded');
    expect(gw.stats().creates - before).toBe(3);
    const info = await probeMedia(path.join(dir, 'film.mp4'));
    expect(info.video?.codec).toBe('h264');
    expect(info.durationSec).toBeGreaterThan(14);
  }, 300_000);
});
