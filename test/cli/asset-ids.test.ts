// asset:// ids end to end (issue 15, item 1): a graph whose references are ids in the vendor's asset
// library validates, renders on Ark's mock with the ids sent as is, and is refused on seed2.io (which
// has no asset library) with a message naming the gateway, before any call.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { GATEWAY_KEYS } from '../providers/gateways-harness';
import { TEST_KEY } from '../providers/helpers';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/shotgraph.js');
const AVATAR = 'asset://asset-20260514-avatar01';
const MOVE = 'asset://asset-20260514-move.v2';

const node = (id: string, type: string, params: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  params,
});

function assetGraph(): unknown {
  return {
    format: 'shotgraph',
    version: 1,
    name: 'Avatar on set',
    nodes: [
      node('avatar', 'image', { file: AVATAR }),
      node('move', 'video', { file: MOVE }),
      node('brief', 'prompt', {
        text: 'The presenter of image 1 walks forward, the camera moving like video 1.',
      }),
      node('hero', 'shot', {
        duration: 5,
        generate_audio: true,
        model: 'seedance-2.0',
        ratio: '16:9',
        resolution: '480p',
      }),
      node('cut', 'final_cut', {}),
    ],
    edges: [
      { id: 'e1', source: 'avatar', sourcePort: 'image', target: 'hero', targetPort: 'reference_images' },
      { id: 'e2', source: 'move', sourcePort: 'video', target: 'hero', targetPort: 'reference_videos' },
      { id: 'e3', source: 'brief', sourcePort: 'text', target: 'hero', targetPort: 'prompt' },
      { id: 'e4', source: 'hero', sourcePort: 'video', target: 'cut', targetPort: 'clips' },
    ],
  };
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$|^SHOTGRAPH_|_BASE_URL$/.test(k)),
  );
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...clean, SHOTGRAPH_POLL_MS: '40,200', SHOTGRAPH_RETRY_MS: '40,400', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: stdout + stderr }));
  });
}

describe('a graph with asset:// references', () => {
  let ark: MockGateway;
  let seed2: MockGateway;
  let dir: string;
  let graph: string;

  beforeAll(async () => {
    ark = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, apiKey: TEST_KEY });
    seed2 = await startMockGateway({ kind: 'seed2', apiKey: GATEWAY_KEYS.seed2 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-assets-'));
    await cp(path.join(REPO, 'graphs/media'), path.join(dir, 'media'), { recursive: true });
    graph = path.join(dir, 'avatar.json');
    await writeFile(graph, JSON.stringify(assetGraph(), null, 2));
  });
  afterAll(async () => {
    await ark?.close();
    await seed2?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is sent as is on Ark: the ids reach content[] unchanged, one create', async () => {
    const r = await run(['render', graph, '--provider', 'ark', '--out', path.join(dir, 'film.mp4')], {
      ARK_BASE_URL: ark.url,
      ARK_API_KEY: TEST_KEY,
    });
    expect(r.out).not.toContain(TEST_KEY);
    expect(r.code, r.out).toBe(0);
    expect(ark.stats().creates).toBe(1);
    const body = ark.stats().log.find((e) => e.route === 'create')!.body as {
      content: { type: string; role?: string; image_url?: { url: string }; video_url?: { url: string } }[];
    };
    expect(body.content.find((c) => c.role === 'reference_image')?.image_url?.url).toBe(AVATAR);
    expect(body.content.find((c) => c.role === 'reference_video')?.video_url?.url).toBe(MOVE);
  });

  it('is refused on seed2.io, naming the gateway and the input, before any call', async () => {
    const r = await run(['render', graph, '--provider', 'seed2', '--out', path.join(dir, 'seed2.mp4')], {
      SEED2_BASE_URL: seed2.url,
      SEED2_API_KEY: GATEWAY_KEYS.seed2,
    });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`seed2.io takes no asset:// ids, but the reference image is ${AVATAR}`);
    expect(r.out).toContain(`the reference video is ${MOVE}`);
    expect(seed2.stats().requests).toBe(0);
  });

  it('is refused by validation for a malformed id, naming the node', async () => {
    const bad = assetGraph() as { nodes: { id: string; params: Record<string, unknown> }[] };
    bad.nodes[0]!.params.file = 'asset://../../etc/passwd';
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(bad));
    const r = await run(['validate', file], {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/avatar[\s\S]*is not an asset id/);
  });
});
