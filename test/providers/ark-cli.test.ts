// Issue 3 acceptance, through the real CLI against the mock gateway on 127.0.0.1: a three-shot chain
// renders with exactly 3 creates and real continuity; a SIGKILL mid-shot and a 20 % fault rate never
// cost a fourth task; the key appears nowhere the run wrote.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { decodeDataUri } from '../../electron/providers/remote/media';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { filesContaining, TEST_KEY } from './helpers';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/shotgraph.js');

let gw: MockGateway;
const dirs: string[] = [];
const outputs: string[] = []; // every stdout/stderr of every run, for the key check

beforeAll(async () => {
  // Queued then running for a moment (the SIGKILL test holds shot 2 in `running` to catch it
  // mid-flight; the faulted run has a gateway of its own); renders are cached by the mock, so only
  // the first run pays for ffmpeg.
  gw = await startMockGateway({ kind: 'ark', queuedMs: 100, runningMs: 300, apiKey: TEST_KEY });
});
afterAll(async () => {
  await gw?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A private copy of graphs/; `variant` edits the prompts so every shot (and its task marker) is new. */
async function project(variant?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-ark-cli-'));
  dirs.push(dir);
  await cp(path.join(REPO, 'graphs'), path.join(dir, 'graphs'), {
    recursive: true,
    filter: (src) => !src.includes('.shotgraph'),
  });
  if (variant) {
    const file = path.join(dir, 'graphs/three-shot-chain.json');
    const graph = JSON.parse(await readFile(file, 'utf8')) as {
      nodes: { type: string; params: { text?: string } }[];
    };
    for (const n of graph.nodes) if (n.type === 'prompt') n.params.text = `${n.params.text ?? ''} ${variant}`;
    await writeFile(file, JSON.stringify(graph, null, 2));
  }
  return dir;
}

function env(): NodeJS.ProcessEnv {
  // No other gateway keys leak in from the developer's shell; fast polls and retries for the mock.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$/.test(k)));
  return {
    ...clean,
    ARK_BASE_URL: gw.url,
    ARK_API_KEY: TEST_KEY,
    SHOTGRAPH_POLL_MS: '40,200',
    SHOTGRAPH_RETRY_MS: '40,400',
    // A create that fails before the gateway acts on it is looked for 3 s, not the default 3 min.
    SHOTGRAPH_RECONCILE_MS: '3000',
  };
}

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function render(dir: string): Run {
  const args = [
    CLI,
    'render',
    path.join(dir, 'graphs/three-shot-chain.json'),
    '--provider',
    'ark',
    '--out',
    path.join(dir, 'film.mp4'),
    '--report',
    path.join(dir, 'report.json'),
  ];
  const child = spawn(process.execPath, args, { cwd: REPO, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Awaited<Run['done']>>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      outputs.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

interface Report {
  status: string;
  output?: string;
  submissions: number;
  nodes: Record<string, { status: string; cached: boolean; output?: string; taskId?: string }>;
}
const report = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;

async function expectFinalCut(file: string): Promise<void> {
  const info = await probeMedia(file);
  expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
  expect(info.audio?.codec).toBe('aac');
  expect(Math.abs(info.durationSec - 15)).toBeLessThanOrEqual(0.1);
}

type Item = { type: string; role?: string; image_url?: { url: string } };
/** The create body the mock received for a task (matched through its safety_identifier). */
function createBodyOf(taskId: string): { content: Item[] } {
  const stats = gw.stats();
  const task = (stats.tasks as { id: string; safety_identifier?: string }[]).find((t) => t.id === taskId);
  expect(task).toBeDefined();
  const entry = stats.log.find(
    (e) =>
      e.route === 'create' &&
      (e.body as { safety_identifier?: string })?.safety_identifier === task!.safety_identifier,
  );
  return entry!.body as { content: Item[] };
}

async function lastFrameBytes(taskId: string): Promise<Buffer> {
  const res = await fetch(`${gw.url}/contents/generations/tasks/${taskId}`, {
    headers: { Authorization: `Bearer ${TEST_KEY}` },
  });
  const task = (await res.json()) as { content: { last_frame_url: string } };
  return Buffer.from(await (await fetch(task.content.last_frame_url)).arrayBuffer());
}

describe('shotgraph render --provider ark (mock gateway)', () => {
  it('renders the three-shot chain with exactly 3 creates, each shot starting on the last frame before it', async () => {
    const dir = await project();
    const before = gw.stats().creates;
    const started = Date.now();
    const r = await render(dir).done;
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(0);
    expect(gw.stats().creates - before).toBe(3);
    const rep = await report(dir);
    expect(rep.status).toBe('succeeded');
    expect(rep.submissions).toBe(3);
    expect(rep.output).toBe(path.join(dir, 'film.mp4'));
    await expectFinalCut(path.join(dir, 'film.mp4'));

    const [t1, t2, t3] = ['shot-1', 'shot-2', 'shot-3'].map((id) => rep.nodes[id]!.taskId!) as [
      string,
      string,
      string,
    ];
    expect(createBodyOf(t1).content.filter((c) => c.type === 'image_url')).toEqual([]);
    for (const [prev, next] of [
      [t1, t2],
      [t2, t3],
    ] as const) {
      const images = createBodyOf(next).content.filter((c) => c.type === 'image_url');
      expect(images.map((c) => c.role)).toEqual(['first_frame']);
      const sent = decodeDataUri(images[0]!.image_url!.url)!;
      expect(sent.mime).toBe('image/png');
      expect(sent.bytes.equals(await lastFrameBytes(prev))).toBe(true);
    }
    console.info(`[ark-cli] three-shot render on the mock: ${seconds.toFixed(1)} s`);
  }, 300_000);

  it('survives SIGKILL while shot 2 is running: the rerun polls that task, 3 creates in total', async () => {
    // New prompts: the first test's tasks for the same shots are on Ark's list and would be taken.
    const dir = await project('The tide comes in.');
    const { before, stopped, shot2Task } = await interruptShot2(dir, 'SIGKILL');
    expect(stopped.signal).toBe('SIGKILL');
    await rerunTakesShot2(dir, before, shot2Task);
  }, 300_000);

  it('Ctrl+C mid-shot stops the run (exit 130, saying finished clips are kept); the rerun takes the running task, 3 creates in all', async () => {
    const dir = await project('The lamp is lit at dusk.');
    const { before, stopped, shot2Task } = await interruptShot2(dir, 'SIGINT');
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain('Cancelling… finished clips are kept');
    // Ark cancels only queued tasks: shot 2's is running, so it stays in the journal for the rerun.
    await rerunTakesShot2(dir, before, shot2Task);
  }, 300_000);

  /**
   * Renders `dir` and sends `signal` while shot 2 runs. The gateway is watched as an outside script
   * would through /__mock/stats: once shot 1 is done it holds tasks in `running`, so shot 2 cannot
   * finish first.
   */
  async function interruptShot2(dir: string, signal: NodeJS.Signals) {
    const before = gw.stats().creates;
    const first = render(dir);
    let exited = false;
    void first.done.then(() => (exited = true));
    const tasks = () => (gw.stats().tasks as { id: string; status: string }[]).slice(before); // this run's, in order
    const waitFor = async (what: string, ok: () => boolean) => {
      while (!ok()) {
        if (exited) throw new Error(`the render ended before ${what}:\n${(await first.done).stderr}`);
        await new Promise((res) => setTimeout(res, 30));
      }
    };
    await waitFor('shot 1 finished', () => tasks()[0]?.status === 'succeeded');
    gw.hold(['running']);
    await waitFor('shot 2 was seen running', () => tasks().length === 2 && tasks()[1]!.status === 'running');
    first.child.kill(signal);
    const stopped = await first.done;
    gw.hold([]);
    return { before, stopped, shot2Task: tasks()[1]!.id };
  }

  /** The rerun finishes the film: shot 1 from the cache, shot 2's running task taken, 3 creates in all. */
  async function rerunTakesShot2(dir: string, before: number, shot2Task: string) {
    const again = await render(dir).done;
    expect(again.code, again.stderr).toBe(0);
    expect(gw.stats().creates - before).toBe(3);
    const rep = await report(dir);
    expect(rep.nodes['shot-1']!.cached).toBe(true);
    expect(rep.nodes['shot-2']!.taskId).toBe(shot2Task);
    await expectFinalCut(path.join(dir, 'film.mp4'));
  }

  it('finishes with exactly 3 creates and a correct final cut when 20 % of all calls fail (mixed kinds)', async () => {
    // New prompts: the earlier tests' tasks for the same shots must not be what this run finds.
    const dir = await project('Rain lashes the windows.');
    // On a gateway of its own whose shots stay running 1.2 s: the run then makes enough calls (polls
    // above all) for a fifth of them to be faults of several kinds.
    const shared = gw;
    gw = await startMockGateway({ kind: 'ark', queuedMs: 100, runningMs: 1200, apiKey: TEST_KEY });
    const before = gw.stats();
    gw.setFaults({ rate: 0.2, seed: 20260403, retryAfterSec: 1 });
    let r;
    let after: typeof before;
    try {
      r = await render(dir).done;
      after = gw.stats();
    } finally {
      await gw.close();
      gw = shared;
    }
    expect(r.code, r.stderr).toBe(0);
    expect(after.creates - before.creates).toBe(3);
    await expectFinalCut(path.join(dir, 'film.mp4'));
    const faults = Object.entries(after.faults).map(
      ([k, v]) => [k, v - (before.faults[k as keyof typeof before.faults] ?? 0)] as const,
    );
    const injected = faults.reduce((n, [, v]) => n + v, 0);
    const calls = after.requests - before.requests;
    expect(injected).toBeGreaterThan(0);
    expect(faults.filter(([, v]) => v > 0).length).toBeGreaterThanOrEqual(3); // really mixed
    console.info(
      `[ark-cli] faulted run: ${injected} of ${calls} calls faulted (${faults
        .filter(([, v]) => v)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), ${after.createRequests - before.createRequests} create calls, 3 tasks`,
    );
  }, 300_000);

  it('leaves the API key nowhere: not in any file the runs wrote, nor in their output', async () => {
    expect(dirs.length).toBeGreaterThanOrEqual(3);
    for (const d of dirs) expect(await filesContaining(d, TEST_KEY)).toEqual([]);
    expect(outputs.length).toBeGreaterThanOrEqual(8);
    for (const o of outputs) expect(o).not.toContain(TEST_KEY);
  });
});
