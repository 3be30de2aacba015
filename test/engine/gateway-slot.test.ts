// A shot gives its place in the gateway's concurrency back as soon as its task has succeeded there:
// its download, verification and last frame are local work and must not hold up the next paid task.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import type { RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

const KEY = `slot-${Math.random().toString(36).slice(2)}-key-0000`;
let gw: MockGateway;
let dir: string;

beforeAll(async () => {
  // No last frame from the gateway: each shot's last frame is an ffmpeg run of its own, after the task.
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, omitLastFrame: true, apiKey: KEY });
  dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-slot-'));
});
afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

function shots(ids: string[], chained: boolean): Graph {
  const run = Math.random().toString(36).slice(2);
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  ids.forEach((id, i) => {
    nodes.push({ id: `${id}-p`, type: 'prompt', params: { text: `Shot ${id}, run ${run}` } });
    nodes.push({
      id,
      type: 'shot',
      params: { duration: 4, resolution: '480p', ratio: '16:9', generate_audio: false },
    });
    edges.push({ source: `${id}-p`, sourcePort: 'text', target: id, targetPort: 'prompt' });
    if (chained && i > 0)
      edges.push({ source: ids[i - 1]!, sourcePort: 'last_frame', target: id, targetPort: 'first_frame' });
  });
  return { format: 'shotgraph', version: 2, name: 'slots', nodes, edges };
}

async function run(graph: Graph, name: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, serializeGraph(graph));
  const events: RunEvent[] = [];
  const from = gw.stats().log.length;
  const report = await runGraph({
    graphPath: file,
    provider: 'ark',
    concurrency: 1,
    env: { ...process.env, ARK_BASE_URL: gw.url, ARK_API_KEY: KEY, SHOTGRAPH_POLL_MS: '10,10', ...extraEnv },
    onEvent: (e) => events.push(e),
  });
  const creates = gw
    .stats()
    .log.slice(from)
    .filter((l) => l.route === 'create');
  return { report, events, creates };
}

const at = (events: RunEvent[], type: RunEvent['type'], nodeId: string, message?: string) => {
  const i = events.findIndex(
    (e) =>
      e.type === type &&
      'nodeId' in e &&
      e.nodeId === nodeId &&
      (message === undefined || ('message' in e && e.message === message)),
  );
  expect(i, `${type} ${nodeId} ${message ?? ''}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe('the gateway slot', () => {
  it('goes to the next shot before the first shot’s last frame is written (concurrency 1)', async () => {
    // a's first video download hangs until its 500 ms window gives up on it (then it is fetched
    // again), so a's local work surely outlasts b's submission however busy the machine is.
    gw.setFaults({ script: [{ route: 'download', kind: 'hang', match: 'video.mp4', nth: 1 }] });
    const { report, events, creates } = await run(shots(['a', 'b'], false), 'independent', {
      SHOTGRAPH_DOWNLOAD_WINDOW_MS: '500',
      SHOTGRAPH_RETRY_MS: '10,10',
    });
    expect(gw.stats().faults.hang).toBe(1);
    gw.setFaults({});
    expect(report.status).toBe('succeeded');
    expect(creates).toHaveLength(2);
    // a's task ended at the gateway (it is downloading) before b was submitted, so the gateway never
    // had two tasks at once; b was submitted before a's files were all in.
    expect(at(events, 'node-progress', 'a', 'downloading')).toBeLessThan(at(events, 'node-submitted', 'b'));
    expect(at(events, 'node-submitted', 'b')).toBeLessThan(at(events, 'node-succeeded', 'a'));
    const frame = report.nodes.a?.outputs?.last_frame ?? '';
    expect(frame).toMatch(/last-frame/);
    expect(creates[1]!.at).toBeLessThan((await stat(frame)).mtimeMs);
  });

  it('a chained shot still starts only on its predecessor’s finished last frame', async () => {
    const { report, events, creates } = await run(shots(['x', 'y'], true), 'chain');
    expect(report.status).toBe('succeeded');
    expect(creates).toHaveLength(2);
    expect(at(events, 'node-succeeded', 'x')).toBeLessThan(at(events, 'node-started', 'y'));
    // The frame y was made from is x's last frame, byte for byte (the mock keeps what it was sent).
    const body = creates[1]!.body as { content: { role?: string; image_url?: { url: string } }[] };
    expect(
      body.content.some((c) => c.role === 'first_frame' && c.image_url?.url.startsWith('data:image/png')),
    ).toBe(true);
  });
});
