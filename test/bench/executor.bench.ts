// Executor overhead (issue 4): a 60-shot graph on the mock Ark gateway with fixed latencies.
// The ideal makespan is one shot's measured latency × the schedule's lower bound
// max(critical path, ⌈shots / concurrency⌉); the ratio shows what scheduling, polling, journal
// fsyncs and downloads add on top.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGraph } from '../../electron/engine/run';
import { serializeGraph } from '../../shared/graph/serialize';
import type { Graph } from '../../shared/graph/schema';
import { startMockGateway } from '../mocks/gateway';
import type { Bench, BenchRow } from './types';

const CHAINS = 20;
const CHAIN_LENGTH = 3;
const CONCURRENCY = 10;
const QUEUED_MS = 300;
const RUNNING_MS = 1200;

let runs = 0;

function chainsGraph(chains: number, length: number): Graph {
  // Each run's shots are new to the gateway: a task list holding an earlier run's would be reused.
  const run = ++runs;
  const nodes: Graph['nodes'] = [];
  const edges: Graph['edges'] = [];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < length; i++) {
      const id = `c${c}-s${i}`;
      nodes.push({ id: `${id}-p`, type: 'prompt', params: { text: `Chain ${c}, shot ${i}, run ${run}` } });
      nodes.push({
        id,
        type: 'shot',
        params: { duration: 4, resolution: '480p', ratio: '16:9', generate_audio: false },
      });
      edges.push({ source: `${id}-p`, sourcePort: 'text', target: id, targetPort: 'prompt' });
      if (i > 0)
        edges.push({
          source: `c${c}-s${i - 1}`,
          sourcePort: 'last_frame',
          target: id,
          targetPort: 'first_frame',
        });
    }
  }
  return { format: 'shotgraph', version: 2, name: 'executor bench', nodes, edges };
}

async function makespan(graph: Graph, env: NodeJS.ProcessEnv, concurrency: number): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-bench-exec-'));
  const file = path.join(dir, 'bench.json');
  await writeFile(file, serializeGraph(graph));
  const report = await runGraph({ graphPath: file, provider: 'ark', concurrency, env });
  if (report.status !== 'succeeded')
    throw new Error(`bench run ${report.status}: ${JSON.stringify(report.problems)}`);
  return (report.finishedAt! - report.startedAt) / 1000;
}

const bench: Bench = {
  name: 'executor overhead (60 shots, mock Ark, fixed latency)',
  async run(): Promise<BenchRow[]> {
    // The mocks share one render cache (test/mocks/render-cache.ts), so each task costs the fixed latency.
    const mock = await startMockGateway({ kind: 'ark', queuedMs: QUEUED_MS, runningMs: RUNNING_MS });
    const env = {
      ...process.env,
      ARK_BASE_URL: mock.url,
      ARK_API_KEY: 'bench-key-0000',
      SHOTGRAPH_POLL_MS: '50,50',
    };
    try {
      await makespan(chainsGraph(1, 1), env, 1); // warm the mock's render cache
      const one = await makespan(chainsGraph(1, 1), env, 1);
      const total = await makespan(chainsGraph(CHAINS, CHAIN_LENGTH), env, CONCURRENCY);
      const lowerBound = Math.max(CHAIN_LENGTH, Math.ceil((CHAINS * CHAIN_LENGTH) / CONCURRENCY));
      const ideal = one * lowerBound;
      return [
        { metric: 'one shot alone (fixed latency + poll + download)', value: round(one), unit: 's' },
        {
          metric: `makespan, ${CHAINS * CHAIN_LENGTH} shots in ${CHAINS} chains of ${CHAIN_LENGTH}, concurrency ${CONCURRENCY}`,
          value: round(total),
          unit: 's',
          baseline: round(ideal),
          ratio: round(total / ideal),
          note: `ideal = one shot × max(critical path ${CHAIN_LENGTH}, ⌈60/${CONCURRENCY}⌉) = ${lowerBound} rounds; mock creates: ${mock.stats().creates}`,
        },
      ];
    } finally {
      await mock.close();
    }
  },
};

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export default bench;
