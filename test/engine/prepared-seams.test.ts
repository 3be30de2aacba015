// Prepared seams (docs/architecture.md §5.2): on a gateway that hands back no last frame, each
// shot's last-frame ffmpeg starts while its clip downloads. A chained film rendered with them must
// be the film rendered without them: the same clips, the same last frames, the same seams. In the
// last round, a shot's continuity figures are measured by an ffmpeg started before its clip lands.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { preparedFirstFrames } from '../../electron/media/continuity';
import { preparedLastFrames } from '../../electron/media/last-frame';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { tempDir } from '../helpers/media';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

const KEY = `seams-${Math.random().toString(36).slice(2)}-key-0000`;
const SHOTS = ['a', 'b', 'c'];
let gw: MockGateway;
let dir: string;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, omitLastFrame: true, apiKey: KEY });
  dir = await tempDir('shotgraph-prepared-seams-');
});
afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

/** a → b → c, each starting on the last frame of the one before. */
function chain(): Graph {
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  SHOTS.forEach((id, i) => {
    nodes.push({ id: `${id}-p`, type: 'prompt', params: { text: `Prepared seams, shot ${id}` } });
    nodes.push({ id, type: 'shot', params: { duration: 4, resolution: '480p', ratio: '16:9' } });
    edges.push({ source: `${id}-p`, sourcePort: 'text', target: id, targetPort: 'prompt' });
    if (i > 0)
      edges.push({ source: SHOTS[i - 1]!, sourcePort: 'last_frame', target: id, targetPort: 'first_frame' });
  });
  return { format: 'shotgraph', version: 2, name: 'seams', nodes, edges };
}

/** Renders the chain in a project of its own; each shot's clip and last frame, as bytes. */
async function render(project: string, prepared: 'on' | 'off') {
  const file = path.join(dir, project, 'film.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, serializeGraph(chain()));
  const before = preparedLastFrames();
  const firstBefore = preparedFirstFrames();
  // A setting of the process (like its load), not of one run: the media layer reads it there.
  const was = process.env.SHOTGRAPH_PREPARED_SEAMS;
  process.env.SHOTGRAPH_PREPARED_SEAMS = prepared;
  const report = await runGraph({
    graphPath: file,
    provider: 'ark',
    concurrency: 1,
    env: { ...process.env, ARK_BASE_URL: gw.url, ARK_API_KEY: KEY, SHOTGRAPH_POLL_MS: '10,10' },
  }).finally(() => {
    if (was === undefined) delete process.env.SHOTGRAPH_PREPARED_SEAMS;
    else process.env.SHOTGRAPH_PREPARED_SEAMS = was;
  });
  expect(report.status, JSON.stringify(report.problems)).toBe('succeeded');
  const files = await Promise.all(
    SHOTS.map(async (id) => {
      const out = report.nodes[id]!.outputs!;
      return { video: await readFile(out.video!), lastFrame: await readFile(out.last_frame!) };
    }),
  );
  return {
    report,
    files,
    prepared: preparedLastFrames() - before,
    preparedFirst: preparedFirstFrames() - firstBefore,
  };
}

describe('prepared seams', () => {
  it('render a chained film with the same clips, last frames and seams as without them', async () => {
    const without = await render('without', 'off');
    const withThem = await render('with', 'on');
    expect(without.prepared).toBe(0);
    // Every shot's last frame came from an ffmpeg started before its clip was in.
    expect(withThem.prepared).toBe(SHOTS.length);
    SHOTS.forEach((id, i) => {
      expect(withThem.files[i]!.lastFrame.equals(without.files[i]!.lastFrame), `${id} last frame`).toBe(true);
      // The next shot started on that frame, so the gateway made it the same clip.
      expect(withThem.files[i]!.video.equals(without.files[i]!.video), `${id} clip`).toBe(true);
    });
    // b's clip starts on a's last frame: the frames differ from shot to shot, so the test can tell.
    expect(withThem.files[0]!.lastFrame.equals(withThem.files[1]!.lastFrame)).toBe(false);
    expect(withThem.report.continuity?.seams).toEqual(without.report.continuity?.seams);
    expect(withThem.report.continuity?.seams).toHaveLength(2);
    // The last shot's seam (the run's end waits on it) was measured by an ffmpeg started while its
    // clip was on its way: the same figures, the whole report alike.
    expect(without.preparedFirst).toBe(0);
    expect(withThem.preparedFirst).toBe(1);
    expect(withThem.report.continuity).toEqual(without.report.continuity);
  }, 120_000);
});
