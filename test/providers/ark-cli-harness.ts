// Set-up for suites that drive the real `shotgraph render` against the Ark mock on 127.0.0.1: a
// private copy of the sample project per test, a clean environment with fast polls, the run's
// report, and frames counted in the film by ffprobe.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFfprobe } from '../../electron/media/ffmpeg';
import type { MockGateway } from '../mocks/gateway';
import { TEST_KEY } from './helpers';

export const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/shotgraph.js');
export const CHAIN = 'graphs/three-shot-chain.json';

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export interface Report {
  status: string;
  output?: string;
  submissions: number;
  nodes: Record<
    string,
    { status: string; cached: boolean; output?: string; taskId?: string; error?: string }
  >;
}

export class ArkCli {
  readonly dirs: string[] = [];

  constructor(private readonly gw: () => MockGateway) {}

  /** A private copy of graphs/; `variant` edits the prompts so every shot (and its task marker) is new. */
  async project(variant: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-ark-cli-'));
    this.dirs.push(dir);
    await cp(path.join(REPO, 'graphs'), path.join(dir, 'graphs'), {
      recursive: true,
      filter: (src) => !src.includes('.shotgraph'),
    });
    const file = path.join(dir, CHAIN);
    const graph = JSON.parse(await readFile(file, 'utf8')) as {
      nodes: { type: string; params: { text?: string } }[];
    };
    for (const n of graph.nodes) if (n.type === 'prompt') n.params.text = `${n.params.text ?? ''} ${variant}`;
    await writeFile(file, JSON.stringify(graph, null, 2));
    return dir;
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    // No other gateway keys leak in from the developer's shell; fast polls and retries for the mock.
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$|^SHOTGRAPH_/.test(k)),
    );
    return {
      ...clean,
      ARK_BASE_URL: this.gw().url,
      ARK_API_KEY: TEST_KEY,
      SHOTGRAPH_POLL_MS: '40,200',
      SHOTGRAPH_RETRY_MS: '40,400',
      ...extra,
    };
  }

  /** The render command's arguments for a project. */
  args(dir: string): string[] {
    return [
      CLI,
      'render',
      path.join(dir, CHAIN),
      '--provider',
      'ark',
      '--out',
      path.join(dir, 'film.mp4'),
      '--report',
      path.join(dir, 'report.json'),
    ];
  }

  /** `shotgraph render` of the chain; `wrap` runs it under another command (e.g. unshare). */
  render(dir: string, extraEnv: NodeJS.ProcessEnv = {}, wrap?: (node: string[]) => string[]): CliRun {
    const cmd = [process.execPath, ...this.args(dir)];
    const [bin, ...args] = wrap ? wrap(cmd) : cmd;
    const child = spawn(bin!, args, {
      cwd: REPO,
      env: this.env(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const done = new Promise<Awaited<CliRun['done']>>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    return { child, done };
  }

  async report(dir: string): Promise<Report> {
    return JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;
  }

  async close(): Promise<void> {
    for (const d of this.dirs) await rm(d, { recursive: true, force: true });
  }
}

/** Video frames in a file, every one decoded and counted by ffprobe. */
export async function countFrames(file: string): Promise<number> {
  const out = await runFfprobe([
    ...['-count_frames', '-select_streams', 'v:0'],
    ...['-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file],
  ]);
  return Number(out.trim());
}
