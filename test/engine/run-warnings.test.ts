// A run prints nothing of Node's own to the user's terminal. With ten chains at ten places, the last
// round's ten prepared continuity measures each listen on the run's signal (docs/architecture.md
// §5.2), beside the executor and the cut's sound: past Node's default of ten listeners, Node warned
// of a "possible memory leak" on every such run.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import type { Graph } from '../../shared/graph/schema';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

const KEY = `ark-${randomBytes(16).toString('hex')}`;
const CHAINS = 10;
let gw: MockGateway;
let dir: string;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 30, runningMs: 150, apiKey: KEY });
  dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-run-warnings-'));
});
afterAll(async () => {
  await gw?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Ten chains of two shots: every second shot opens on the first one's last frame. */
function chains(): Graph {
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  const run = randomBytes(4).toString('hex');
  for (let c = 0; c < CHAINS; c++)
    for (let i = 0; i < 2; i++) {
      const id = `c${c}-s${i}`;
      nodes.push(
        { id: `${id}-p`, type: 'prompt', params: { text: `Chain ${c}, shot ${i}, ${run}` } },
        {
          id,
          type: 'shot',
          params: { duration: 4, resolution: '480p', ratio: '16:9', generate_audio: false },
        },
      );
      edges.push({ source: `${id}-p`, sourcePort: 'text', target: id, targetPort: 'prompt' });
      if (i > 0)
        edges.push({ source: `c${c}-s0`, sourcePort: 'last_frame', target: id, targetPort: 'first_frame' });
    }
  return { format: 'shotgraph', version: 2, name: 'ten chains', nodes, edges };
}

it('ten chains at ten places: the run succeeds and Node prints no warning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    const graphPath = path.join(dir, 'film.json');
    await writeFile(graphPath, JSON.stringify(chains(), null, 2));
    const report = await runGraph({
      graphPath,
      provider: 'ark',
      concurrency: CHAINS,
      env: { ARK_BASE_URL: gw.url, ARK_API_KEY: KEY, SHOTGRAPH_POLL_MS: '20,50' },
    });
    expect(report.status, JSON.stringify(report.problems)).toBe('succeeded');
    expect(report.continuity?.seams).toHaveLength(CHAINS);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
  } finally {
    process.off('warning', onWarning);
  }
});
