// Executor overhead (issue 4): a 60-shot graph on the mock Ark gateway with fixed latencies, the
// mock in a process of its own, as a real gateway is remote: in this process its ~1,600 answers to
// polls, its creates and its downloads shared the engine's event loop, which the 10-shot rounds paid
// for and the one-shot ideal hardly did.
// The ideal makespan is one shot's measured latency × the schedule's lower bound
// max(critical path, ⌈shots / concurrency⌉); the ratio shows what scheduling, polling, journal
// fsyncs and downloads add on top. Beside it: CPU-seconds per shot and where a shot's time goes
// (median per phase, from the run's own events), so a slower figure says which phase grew.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGraph } from '../../electron/engine/run';
import { serializeGraph } from '../../shared/graph/serialize';
import type { RunEvent } from '../../shared/events';
import type { Graph } from '../../shared/graph/schema';
import { measure } from './cpu';
import { criticalChain, type ChainPhases, type Steps } from './critical-chain';
import { startMockProcess } from './mock-process';
import { median, type Bench, type BenchRow } from './types';

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

interface Makespan {
  seconds: number;
  steps: Steps;
  /** When the last shot was done, in ms since the run started (the rest is the continuity report). */
  lastShotMs: number;
  /** When the last shot's task was done at the gateway, in ms since the run started. */
  lastAnswerMs: number;
  /** From the run's end (its report) to runGraph returning: the run-end files and the lock. */
  closingMs: number;
  /** The chain of shots that ended the run, phase by phase. */
  chain: ChainPhases;
}

async function makespan(graph: Graph, env: NodeJS.ProcessEnv, concurrency: number): Promise<Makespan> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-bench-exec-'));
  const file = path.join(dir, 'bench.json');
  await writeFile(file, serializeGraph(graph));
  const steps: Steps = new Map();
  const shots = new Set(graph.nodes.filter((n) => n.type === 'shot').map((n) => n.id));
  let t0 = 0;
  const onEvent = (e: RunEvent) => {
    if (e.type === 'run-start') t0 = e.at;
    if (!('nodeId' in e) || !shots.has(e.nodeId)) return;
    const s = steps.get(e.nodeId) ?? {};
    steps.set(e.nodeId, s);
    const step =
      e.type === 'node-queued'
        ? 'queued'
        : e.type === 'node-started'
          ? 'started'
          : e.type === 'node-submitted'
            ? 'submitted'
            : e.type === 'node-progress' && e.message === 'downloading'
              ? 'gatewayDone'
              : e.type === 'node-succeeded'
                ? 'done'
                : undefined;
    if (step) s[step] ??= e.at - t0;
  };
  const report = await runGraph({ graphPath: file, provider: 'ark', concurrency, env, onEvent });
  const returned = Date.now();
  if (report.status !== 'succeeded')
    throw new Error(`bench run ${report.status}: ${JSON.stringify(report.problems)}`);
  const last = (step: 'gatewayDone' | 'done') =>
    Math.max(...[...steps.values()].map((s) => s[step] ?? 0)) - (report.startedAt - t0);
  return {
    seconds: (report.finishedAt! - report.startedAt) / 1000,
    steps,
    lastShotMs: last('done'),
    lastAnswerMs: last('gatewayDone'),
    closingMs: returned - report.finishedAt!,
    chain: criticalChain(steps, report.finishedAt! - t0),
  };
}

/** Median milliseconds from one step to the next over every shot that reached both. */
function phase(
  steps: Steps,
  from: 'queued' | 'started' | 'submitted' | 'gatewayDone',
  to: 'started' | 'submitted' | 'gatewayDone' | 'done',
): number {
  const spans = [...steps.values()].flatMap((s) =>
    s[from] !== undefined && s[to] !== undefined ? [s[to]! - s[from]!] : [],
  );
  return spans.length ? Math.round(median(spans)) : NaN;
}

const bench: Bench = {
  name: 'executor overhead (60 shots, mock Ark, fixed latency)',
  async run(): Promise<BenchRow[]> {
    // The mocks share one render cache (test/mocks/render-cache.ts), so each task costs the fixed latency.
    const mock = await startMockProcess('bench-key-0000', { queuedMs: QUEUED_MS, runningMs: RUNNING_MS });
    const env = {
      ...process.env,
      ARK_BASE_URL: mock.url,
      ARK_API_KEY: 'bench-key-0000',
      SHOTGRAPH_POLL_MS: '50,50',
    };
    try {
      await makespan(chainsGraph(1, 1), env, 1); // warm the mock's render cache
      const alone = await makespan(chainsGraph(1, 1), env, 1);
      const one = alone.seconds;
      let total!: Makespan;
      const shots = CHAINS * CHAIN_LENGTH;
      const cost = await measure(async () => {
        total = await makespan(chainsGraph(CHAINS, CHAIN_LENGTH), env, CONCURRENCY);
      });
      const lowerBound = Math.max(CHAIN_LENGTH, Math.ceil(shots / CONCURRENCY));
      const ideal = one * lowerBound;
      const { steps } = total;
      const ms = (value: number, metric: string, note: string): BenchRow => ({
        metric: `${shots}-shot run, median per shot: ${metric}`,
        value,
        unit: 'ms',
        note,
      });
      return [
        { metric: 'one shot alone (fixed latency + poll + download)', value: round(one), unit: 's' },
        {
          metric: `makespan, ${shots} shots in ${CHAINS} chains of ${CHAIN_LENGTH}, concurrency ${CONCURRENCY}`,
          value: round(total.seconds),
          unit: 's',
          baseline: round(ideal),
          ratio: round(total.seconds / ideal),
          note: `ideal = one shot × max(critical path ${CHAIN_LENGTH}, ⌈60/${CONCURRENCY}⌉) = ${lowerBound} rounds; mock creates: ${await mock.creates()}`,
        },
        ...(cost.cpuSec !== undefined
          ? [
              {
                metric: `${shots}-shot run: CPU-seconds per shot (this process + its ffmpeg/ffprobe)`,
                value: round(cost.cpuSec / shots, 3),
                unit: 's',
                note: `total ${round(cost.cpuSec)} s over ${round(cost.wallMs / 1000)} s wall (the mock gateway's own process not included)`,
              },
            ]
          : []),
        ms(
          phase(steps, 'queued', 'started'),
          'ready → started',
          'waiting for a gateway slot (or its inputs)',
        ),
        ms(phase(steps, 'started', 'submitted'), 'started → submitted', 'request, journal, create'),
        ms(
          phase(steps, 'submitted', 'gatewayDone'),
          'submitted → done at the gateway',
          `the mock's fixed ${QUEUED_MS} + ${RUNNING_MS} ms, and polling`,
        ),
        ms(
          phase(steps, 'gatewayDone', 'done'),
          'done at the gateway → cached',
          'download, verification, last frame, cache (the slot is free by then)',
        ),
        ...chainRows(total.chain, alone.chain),
        // The run's tail, step by step (docs/architecture.md §5.2): what follows the last answer.
        {
          metric: `${shots}-shot run: last answer at the gateway → last shot cached`,
          value: Math.round(total.lastShotMs - total.lastAnswerMs),
          unit: 'ms',
          note: 'download, verification, last frame, cache of the shots still arriving',
        },
        {
          metric: `${shots}-shot run: last shot cached → run ended`,
          value: Math.round(total.seconds * 1000 - total.lastShotMs),
          unit: 'ms',
          note: 'the continuity report still being measured',
        },
        {
          metric: `${shots}-shot run: run ended → runGraph returned`,
          value: total.closingMs,
          unit: 'ms',
          note: 'run-end files (journal, history, continuity memo, media facts) and the lock',
        },
      ];
    } finally {
      mock.close();
    }
  },
};

/** Per shot of the chain that ended the run, each phase beside the same phase of one shot alone. */
function chainRows(chain: ChainPhases, alone: ChainPhases): BenchRow[] {
  const row = (key: 'slotToStart' | 'startToSubmitted' | 'submittedToGateway', what: string): BenchRow => ({
    metric: `the chain that ended the run (${chain.shots} shots), per shot: ${what}`,
    value: Math.round(chain[key] / chain.shots),
    unit: 'ms',
    note: `one shot alone: ${Math.round(alone[key])} ms`,
  });
  return [
    row('slotToStart', 'its slot free → started'),
    row('startToSubmitted', 'started → submitted'),
    row('submittedToGateway', 'submitted → done at the gateway'),
    {
      metric: `the chain that ended the run: its last shot done at the gateway → run ended`,
      value: Math.round(chain.tail),
      unit: 'ms',
      note: `one shot alone: ${Math.round(alone.tail)} ms`,
    },
  ];
}

function round(x: number, digits = 2): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

export default bench;
