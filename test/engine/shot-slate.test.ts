// The animatic's slate data (scene, number in the cut, label) comes from the engine, is presentation
// only: never on a gateway's wire, never in a key (a relabelled, re-scened or re-ordered film pays
// nothing again).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { buildShotRequest, slateOf } from '../../electron/engine/shot-request';
import { serializeGraph } from '../../shared/graph/serialize';
import { parseGraphText } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { CAPABILITIES, type GatewayName } from '../../shared/seedance/capabilities';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

const REPO = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A sample film as the app opens it (migrated to the current format). */
async function sample(name: string): Promise<Graph> {
  const parsed = parseGraphText(await readFile(path.join(REPO, 'graphs', name), 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.graph;
}

describe('the slate of a shot', () => {
  it('names its scene, its place in the final cut and its label', async () => {
    const graph = await sample('storyboard-film.json');
    const shot = (id: string) => graph.nodes.find((n) => n.id === id)!;
    expect(slateOf(graph, shot('a1'))).toEqual({
      scene: 'Scene 1 — Night market',
      shot: 1,
      label: 'Lanterns',
    });
    expect(slateOf(graph, shot('b3'))).toEqual({
      scene: 'Scene 2 — Harbour',
      shot: 6,
      label: 'Toward the ship',
    });
    // The cut's order, not the file's: reversing the clips renumbers every shot.
    for (const e of graph.edges) if (e.targetPort === 'clips') e.order = 5 - (e.order ?? 0);
    expect(slateOf(graph, shot('a1')).shot).toBe(6);
    expect(slateOf(graph, shot('b3')).shot).toBe(1);
  });

  it('is left out where there is nothing to say, and travels in the request', async () => {
    const graph = await sample('three-shot-chain.json');
    const shot1 = graph.nodes.find((n) => n.id === 'shot-1')!;
    graph.edges = graph.edges.filter((e) => e.targetPort !== 'clips');
    delete shot1.label;
    expect(slateOf(graph, shot1)).toEqual({});
    shot1.label = '  Opening  ';
    shot1.scene = 'Dusk';
    const outputs = new Map([['prompt-1', { text: 'A lighthouse at dusk' }]]);
    const req = buildShotRequest(graph, shot1, 'key-1', outputs);
    expect(req.slate).toEqual({ scene: 'Dusk', label: 'Opening' });
    expect(req.key).toBe('key-1');
  });
});

/** One shot into a final cut, with a label and scene no gateway may ever see. */
function labelledFilm(name: GatewayName, marker: string): Graph {
  const resolution = name === 'seed2' || name === 'xingchao' ? '720p' : '480p';
  return {
    format: 'shotgraph',
    version: 2,
    name: 'slate on the wire',
    nodes: [
      { id: 'p', type: 'prompt', params: { text: 'A paper boat drifts across a puddle' } },
      { id: 'p2', type: 'prompt', params: { text: 'The boat tips over in the rain' } },
      {
        id: 's1',
        type: 'shot',
        label: `Label ${marker}`,
        scene: `Scene ${marker}`,
        params: { duration: 4, resolution, ratio: '16:9' },
      },
      {
        id: 's2',
        type: 'shot',
        label: `Second ${marker}`,
        params: { duration: 4, resolution, ratio: '16:9' },
      },
      { id: 'cut', type: 'final_cut', params: {} },
    ],
    edges: [
      { source: 'p', sourcePort: 'text', target: 's1', targetPort: 'prompt' },
      { source: 'p2', sourcePort: 'text', target: 's2', targetPort: 'prompt' },
      { source: 's1', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 0 },
      { source: 's2', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 1 },
    ],
  };
}

const KEY_SHAPES: Record<GatewayName, string> = {
  ark: '',
  seed2: 'sk-s2-',
  apiframe: 'afk_',
  xingchao: 'xc-live-',
  inference: 'inf_',
};

describe.each(Object.keys(CAPABILITIES) as GatewayName[])('on the %s wire', (name) => {
  let gw: MockGateway;
  const key = `${KEY_SHAPES[name]}${randomBytes(16).toString('hex')}`;
  beforeAll(async () => {
    gw = await startMockGateway({ kind: name, queuedMs: 20, runningMs: 60, apiKey: key });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('never carries the slate, and relabelling, re-scening or re-ordering pays for nothing', async () => {
    const marker = randomBytes(6).toString('hex');
    const dir = await mkdtemp(path.join(os.tmpdir(), `shotgraph-slate-${name}-`));
    dirs.push(dir);
    const file = path.join(dir, 'film.json');
    const graph = labelledFilm(name, marker);
    await writeFile(file, serializeGraph(graph));
    const caps = CAPABILITIES[name];
    const env = {
      ...process.env,
      [caps.keyEnv]: key,
      [caps.baseUrlEnv]: gw.url,
      SHOTGRAPH_POLL_MS: '20,50',
    };
    const first = await runGraph({ graphPath: file, provider: name, env });
    expect(first.status, JSON.stringify(first.problems)).toBe('succeeded');
    expect(first.submissions).toBe(2);
    const sent = gw
      .stats()
      .log.map((entry) => JSON.stringify(entry.body ?? ''))
      .join('\n');
    expect(sent).toContain('paper boat'); // the log does hold the create bodies …
    expect(sent).not.toContain(marker); // … and no label or scene is in any of them

    for (const n of graph.nodes) {
      if (n.label) n.label = `Renamed ${n.label}`;
      if (n.type === 'shot') n.scene = 'Another scene';
    }
    for (const e of graph.edges) if (e.targetPort === 'clips') e.order = 1 - (e.order ?? 0);
    await writeFile(file, serializeGraph(graph));
    const again = await runGraph({ graphPath: file, provider: name, env });
    expect(again.status).toBe('succeeded');
    expect(again.submissions).toBe(0);
  });
});
