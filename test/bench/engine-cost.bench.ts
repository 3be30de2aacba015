// What grows with a film (issue 17): a 50-shot film (10 scenes, each a chain of 5 shots, into one
// final cut) rendered by the real `shotgraph render` against the mock Ark gateway, which runs in a
// process of its own. The engine process is measured from outside: CPU-seconds of it and of
// everything it runs (ffmpeg, ffprobe) per paid shot, and its peak RSS; then the same film again
// with every shot cached.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { runMeasured, type ChildRun } from './cpu';
import { startMockProcess } from './mock-process';
import type { Bench, BenchRow } from './types';

const REPO = path.resolve(import.meta.dirname, '../..');
const SCENES = 10;
const CHAIN = 5;
const SHOTS = SCENES * CHAIN;
const CONCURRENCY = 10;

/** `scenes` chains of `length` shots, every shot into one final cut in scene order. */
export function chainedFilm(scenes: number, length: number): Graph {
  const nodes: Graph['nodes'] = [{ id: 'cut', type: 'final_cut', params: {} }];
  const edges: Graph['edges'] = [];
  for (let s = 0; s < scenes; s++)
    for (let i = 0; i < length; i++) {
      const id = `s${s}-${i}`;
      nodes.push({ id: `${id}-p`, type: 'prompt', params: { text: `Scene ${s + 1}, shot ${i + 1}` } });
      nodes.push({
        id,
        type: 'shot',
        label: `Shot ${i + 1}`,
        scene: `Scene ${s + 1}`,
        params: { duration: 4, resolution: '480p', ratio: '16:9' },
      });
      edges.push({ source: `${id}-p`, sourcePort: 'text', target: id, targetPort: 'prompt' });
      if (i > 0)
        edges.push({
          source: `s${s}-${i - 1}`,
          sourcePort: 'last_frame',
          target: id,
          targetPort: 'first_frame',
        });
      edges.push({
        source: id,
        sourcePort: 'video',
        target: 'cut',
        targetPort: 'clips',
        order: s * length + i,
      });
    }
  return { format: 'shotgraph', version: 2, name: 'engine cost bench', nodes, edges };
}

async function render(graph: Graph, env: NodeJS.ProcessEnv, dir: string): Promise<ChildRun> {
  const file = path.join(dir, 'film.json');
  await writeFile(file, serializeGraph(graph));
  const args = ['render', file, '--provider', 'ark', '--concurrency', String(CONCURRENCY)];
  const run = await runMeasured(process.execPath, [path.join(REPO, 'bin/shotgraph.js'), ...args], {
    cwd: dir,
    env,
  });
  if (run.code !== 0) throw new Error(`shotgraph render exited ${run.code}: ${run.stderr.slice(-2000)}`);
  return run;
}

const bench: Bench = {
  name: 'engine cost (50-shot film, mock Ark in its own process)',
  async run(): Promise<BenchRow[]> {
    const key = `bench-${randomBytes(8).toString('hex')}`;
    const mock = await startMockProcess(key, { queuedMs: 200, runningMs: 600 });
    const dirs: string[] = [];
    const fresh = async () => {
      const d = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-bench-cost-'));
      dirs.push(d);
      return d;
    };
    try {
      const env = { ...process.env, ARK_BASE_URL: mock.url, ARK_API_KEY: key, SHOTGRAPH_POLL_MS: '50,200' };
      // Warm the mock's render cache (one chain renders every clip the film needs) and the CLI bundle.
      await render(chainedFilm(1, CHAIN), env, await fresh());
      const dir = await fresh();
      const cold = await render(chainedFilm(SCENES, CHAIN), env, dir);
      const warm = await render(chainedFilm(SCENES, CHAIN), env, dir);
      const rows: BenchRow[] = [];
      const cpu = (r: ChildRun, what: string, per: number, unit: string) => {
        if (r.cpuSec === undefined) return;
        rows.push({
          metric: `${what}: CPU-seconds ${unit} (engine process + its ffmpeg/ffprobe)`,
          value: round(r.cpuSec / per, 3),
          unit: 's',
          note: `total ${round(r.cpuSec)} s${r.ownCpuSec !== undefined ? `, of which the node process ${round(r.ownCpuSec)} s` : ''}; wall ${round(r.wallMs / 1000)} s`,
        });
      };
      cpu(cold, `${SHOTS} shots, all paid`, SHOTS, 'per paid shot');
      if (cold.peakRssMb !== undefined)
        rows.push({
          metric: `${SHOTS} shots, all paid: peak RSS of the engine process`,
          value: Math.round(cold.peakRssMb),
          unit: 'MB',
          note: 'VmHWM sampled every 50 ms; goal < 250 MB',
        });
      cpu(warm, `${SHOTS} shots, all cached`, 1, 'for the run');
      if (warm.peakRssMb !== undefined)
        rows.push({
          metric: `${SHOTS} shots, all cached: peak RSS of the engine process`,
          value: Math.round(warm.peakRssMb),
          unit: 'MB',
        });
      return rows;
    } finally {
      mock.close();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    }
  },
};

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export default bench;
