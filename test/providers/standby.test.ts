// A shot waiting for its gateway's only place gets its local media onto the media host meanwhile
// (docs/architecture.md §5.2), so its create can go out as soon as the place comes free. Nothing is
// paid early, and nothing is uploaded twice. The mock holds the first shot's task in `running` to
// catch the second one waiting, without racing a timer.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import type { Graph } from '../../shared/graph/schema';
import { CAPABILITIES, defaultShotDuration } from '../../shared/seedance/capabilities';
import { makeImage } from '../helpers/media';
import { serveFolder, type Bucket } from '../mocks/bucket';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { GATEWAY_KEYS } from './gateways-harness';

const caps = CAPABILITIES.seed2;
const token = `mh-${randomBytes(16).toString('hex')}`;
let gw: MockGateway;
let bucket: Bucket;
let dir: string;
let images: string[];

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'seed2', queuedMs: 20, runningMs: 60, apiKey: GATEWAY_KEYS.seed2 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-standby-'));
  bucket = await serveFolder(path.join(dir, 'bucket'), { token });
  // Two openings of their own (so each has its own upload), each side within the gateways' limits.
  images = [
    await makeImage(path.join(dir, 'harbour.png'), 640, 360, 'testsrc2'),
    await makeImage(path.join(dir, 'storm.png'), 640, 360, 'mandelbrot'),
  ];
});
afterAll(async () => {
  await gw?.close();
  await bucket?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Two shots, each opening on a local image of its own. */
function twoShots(): Graph {
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  for (const [i, image] of images.entries()) {
    nodes.push(
      { id: `p${i}`, type: 'prompt', params: { text: `Shot ${i}, ${randomBytes(4).toString('hex')}` } },
      { id: `i${i}`, type: 'image', params: { file: path.relative(dir, image) } },
      {
        id: `s${i}`,
        type: 'shot',
        params: { duration: defaultShotDuration('seed2'), resolution: '720p', ratio: '16:9' },
      },
    );
    edges.push(
      { source: `p${i}`, sourcePort: 'text', target: `s${i}`, targetPort: 'prompt' },
      { source: `i${i}`, sourcePort: 'image', target: `s${i}`, targetPort: 'first_frame' },
    );
  }
  return { format: 'shotgraph', version: 2, name: 'standby', nodes, edges };
}

describe('a shot next in line for the only place at its gateway', () => {
  it('has its image on the media host before the shot ahead is done, and is paid for once', async () => {
    const graphPath = path.join(dir, 'film.json');
    await writeFile(graphPath, JSON.stringify(twoShots(), null, 2));
    gw.hold(['running']);
    const run = runGraph({
      graphPath,
      provider: 'seed2',
      concurrency: 1,
      env: {
        [caps.baseUrlEnv]: gw.url,
        [caps.keyEnv]: GATEWAY_KEYS.seed2,
        SHOTGRAPH_POLL_MS: '20,50',
        SHOTGRAPH_MEDIA_HOST: `${bucket.origin}/uploads`,
        SHOTGRAPH_MEDIA_HOST_TOKEN: token,
      },
    });
    try {
      await expect.poll(() => gw.stats().creates).toBe(1);
      // The first shot holds the place; the second's image is uploaded all the same.
      await expect.poll(() => bucket.uploads.length).toBe(2);
      expect(gw.stats().creates).toBe(1);
    } finally {
      gw.hold([]);
    }
    const report = await run;
    expect(report.status).toBe('succeeded');
    expect(report.submissions).toBe(2);
    expect(gw.stats().creates).toBe(2);
    // The body got ready while waiting is the one sent: the shot that waited had its image looked
    // for on the host (HEAD) and fetched by the gateway as often as the shot that never waited.
    expect(bucket.uploads.length).toBe(2);
    const looks = bucket.uploads.map((up) => bucket.fetched.filter((p) => p === up.path).length);
    expect(looks[1]).toBe(looks[0]);
  });
});
