// Never pay twice across processes (issue 11), through the real CLI and web mode against the Ark
// mock on 127.0.0.1: two renders of one project started together, and a CLI render together
// with an editor (web mode) render, make 3 creates for the 3-shot chain, and both end with the
// film; the one that waited says whose run it waited for. Also: --no-wait refuses with exit 4, and
// a film rewritten in place leaves the cache intact.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunReport } from '../../electron/engine/run-report';
import { probeMedia } from '../../electron/media/probe';
import type { HostMessage, WireReply } from '../../shared/contract';
import type { RunEvent } from '../../shared/events';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { atTestSize, CLI, REPO } from '../helpers/cli';

const KEY = `ark-${randomBytes(16).toString('hex')}`; // a fresh key per run: none lives in the repo
const CHAIN = 'graphs/three-shot-chain.json';
const TRIALS = 3;

let gw: MockGateway;
let root: string;
const children: ChildProcess[] = [];
const figures: string[] = [];

beforeAll(async () => {
  // Two runs that start together meet at the project lock whatever a shot takes; 300 ms running
  // keeps each of these runs (about twenty) short.
  gw = await startMockGateway({ kind: 'ark', queuedMs: 100, runningMs: 300, apiKey: KEY });
  root = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-concurrent-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await gw?.close();
  if (root) await rm(root, { recursive: true, force: true });
  if (figures.length) console.info(figures.join('\n'));
});

function env(): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$|^SHOTGRAPH_MEDIA_HOST/.test(k)),
  );
  return {
    ...clean,
    ARK_BASE_URL: gw.url,
    ARK_API_KEY: KEY,
    SHOTGRAPH_POLL_MS: '40,200',
    SHOTGRAPH_RETRY_MS: '40,400',
  };
}

/**
 * A project of its own under root; its prompts are new, so its shots (and task markers) are too. Its
 * shots are 480p and 4 s (atTestSize): what is under test is who pays and who waits, not the picture.
 */
async function project(name: string): Promise<string> {
  const dir = path.join(root, name);
  await cp(path.join(REPO, 'graphs'), path.join(dir, 'graphs'), {
    recursive: true,
    filter: (src) => !src.includes('.shotgraph') && !src.endsWith('.mp4'),
  });
  const file = path.join(dir, CHAIN);
  const graph = JSON.parse(await readFile(file, 'utf8')) as {
    nodes: { type: string; params: { text?: string } }[];
  };
  for (const n of graph.nodes) if (n.type === 'prompt') n.params.text = `${n.params.text ?? ''} (${name})`;
  await writeFile(file, JSON.stringify(graph, null, 2));
  atTestSize(file);
  return dir;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report?: RunReport;
}

function render(dir: string, out: string, ...extra: string[]): Promise<CliRun> {
  const reportFile = path.join(dir, `report-${randomBytes(4).toString('hex')}.json`);
  const args = [
    CLI,
    'render',
    path.join(dir, CHAIN),
    '--provider',
    'ark',
    '--out',
    out,
    '--report',
    reportFile,
  ];
  const child = spawn(process.execPath, [...args, ...extra], {
    cwd: REPO,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', async (code) => {
      const report = await readFile(reportFile, 'utf8')
        .then((t) => JSON.parse(t) as RunReport)
        .catch(() => undefined);
      resolve({ code, stdout, stderr, ...(report ? { report } : {}) });
    });
  });
}

async function expectFilm(file: string): Promise<void> {
  const info = await probeMedia(file);
  expect(info.video).toMatchObject({ codec: 'h264', width: 864, height: 496 });
  expect(Math.abs(info.durationSec - 12)).toBeLessThanOrEqual(0.1);
}

/** The two runs overlapped in time, so one of them had to wait for the other. */
const overlapped = (
  a: { startedAt: number; finishedAt?: number },
  b: { startedAt: number; finishedAt?: number },
) => a.startedAt < (b.finishedAt ?? Infinity) && b.startedAt < (a.finishedAt ?? Infinity);

describe('two renders of one project at once (Ark mock)', () => {
  it(`make 3 creates for 3 shots and both write the film, in ${TRIALS} trials`, async () => {
    for (let t = 1; t <= TRIALS; t++) {
      const dir = await project(`cli-pair-${t}`);
      const before = gw.stats().creates;
      const [a, b] = await Promise.all([
        render(dir, path.join(dir, 'film-a.mp4')),
        render(dir, path.join(dir, 'film-b.mp4')),
      ]);
      const creates = gw.stats().creates - before;
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(creates).toBe(3);
      expect(a.report!.submissions + b.report!.submissions).toBe(3);
      await expectFilm(path.join(dir, 'film-a.mp4'));
      await expectFilm(path.join(dir, 'film-b.mp4'));
      expect(await readFile(path.join(dir, 'film-a.mp4'))).toEqual(
        await readFile(path.join(dir, 'film-b.mp4')),
      );
      const waiter = [a, b].find((r) => (r.report!.waitedMs ?? 0) > 0);
      if (waiter) {
        const other = waiter === a ? b : a;
        expect(waiter.stderr).toMatch(
          /Waiting for the run of pid \d+ on this machine \(three-shot-chain\.json\)/,
        );
        expect(waiter.stderr).toMatch(/Waited \d+\.\d s for the run of pid \d+/);
        expect(waiter.report!.submissions).toBe(0); // everything was cached by the time it ran
        expect(other.report!.submissions).toBe(3);
      } else {
        expect(overlapped(a.report!, b.report!)).toBe(false); // then they simply did not meet
      }
      figures.push(
        `[concurrent] CLI + CLI trial ${t}: creates ${creates}, submissions ${a.report!.submissions}+${b.report!.submissions}, waited ${((waiter?.report!.waitedMs ?? 0) / 1000).toFixed(1)} s`,
      );
    }
  }, 900_000);

  it('--no-wait refuses at once with exit 4, naming the holder; nothing is submitted', async () => {
    const dir = await project('no-wait');
    const before = gw.stats().creates;
    gw.hold(['running']); // the first render's shot 1 stays running until the second has tried
    let second: CliRun;
    let first: Promise<CliRun>;
    try {
      first = render(dir, path.join(dir, 'film.mp4'));
      // Wait (on the mock, as an outside observer) until the first render is really under way.
      while (gw.stats().creates === before) await new Promise((r) => setTimeout(r, 30));
      second = await render(dir, path.join(dir, 'film-2.mp4'), '--no-wait');
    } finally {
      gw.hold([]);
    }
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(
      /the run of pid \d+ on this machine \(three-shot-chain\.json\), started at \d\d:\d\d:\d\d is running this project/,
    );
    expect(second.report!.problems[0]).toMatchObject({ code: 'run.busy' });
    expect(second.report!.submissions).toBe(0);
    expect((await first).code).toBe(0);
    expect(gw.stats().creates - before).toBe(3);
  }, 300_000);

  it('writing into the rendered film in place leaves the cache intact: the next render is byte-identical', async () => {
    const dir = await project('in-place');
    const film = path.join(dir, 'film.mp4');
    expect((await render(dir, film)).code).toBe(0);
    const first = await readFile(film);
    // A tagger or editor that rewrites the file where it is (same inode).
    const { open } = await import('node:fs/promises');
    const fh = await open(film, 'r+');
    await fh.write(Buffer.alloc(4096, 0x55), 0, 4096, 2048);
    await fh.close();
    const before = gw.stats().creates;
    const again = await render(dir, film);
    expect(again.code, again.stderr).toBe(0);
    expect(gw.stats().creates).toBe(before);
    expect(again.report!.nodes['final-cut']!.cached).toBe(true); // the cache's own copy was untouched
    expect((await readFile(film)).equals(first)).toBe(true);
  }, 300_000);
});

describe('identical shots in one graph', () => {
  it('are paid for once: the second reuses the first one’s clip', async () => {
    const dir = await project('twins');
    const file = path.join(dir, CHAIN);
    const g = JSON.parse(await readFile(file, 'utf8')) as {
      edges: { source: string; target: string; targetPort: string }[];
    };
    // shot-2 now reads prompt-1 and opens on nothing: the same shot as shot-1, content for content.
    g.edges = g.edges.filter((e) => !(e.target === 'shot-2' && e.targetPort === 'first_frame'));
    for (const e of g.edges) if (e.target === 'shot-2' && e.targetPort === 'prompt') e.source = 'prompt-1';
    await writeFile(file, JSON.stringify(g, null, 2));
    const before = gw.stats().creates;
    const r = await render(dir, path.join(dir, 'film.mp4'));
    expect(r.code, r.stderr).toBe(0);
    expect(gw.stats().creates - before).toBe(2); // shot-1 (= shot-2) and shot-3
    expect(['shot-1', 'shot-2'].filter((id) => r.report!.nodes[id]!.cached)).toHaveLength(1);
    await expectFilm(path.join(dir, 'film.mp4'));
  }, 300_000);
});

describe('a CLI render and an editor (web mode) render of one project at once', () => {
  let server: ChildProcess;
  let url: URL;

  beforeAll(async () => {
    server = spawn(process.execPath, [CLI, 'web', '--port', '0', '--root', root], {
      cwd: REPO,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    let out = '';
    url = await new Promise<URL>((resolve, reject) => {
      server.stdout!.on('data', (d) => {
        out += d;
        const m = /Open: (\S+)/.exec(out);
        if (m) resolve(new URL(m[1]!));
      });
      server.on('close', (code) => reject(new Error(`web mode exited ${code}: ${out}`)));
    });
  }, 120_000);
  afterAll(() => {
    server?.kill('SIGINT');
  });

  function connect(): Promise<WebSocket> {
    const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`, {
      origin: url.origin,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  }

  /** run.start over the socket; resolves with the run's events and its report. */
  async function editorRun(ws: WebSocket, graphPath: string) {
    const graph = JSON.parse(await readFile(path.join(root, graphPath), 'utf8')) as unknown;
    const events: RunEvent[] = [];
    const pushes: HostMessage[] = []; // events can arrive before the run id does
    let runId: string | undefined;
    const report = await new Promise<Extract<HostMessage, { kind: 'run-report' }>['report']>(
      (resolve, reject) => {
        const settle = () => {
          if (!runId) return;
          for (const m of pushes.splice(0)) {
            if (m.kind === 'run-event' && m.runId === runId) events.push(m.event);
            if (m.kind === 'run-report' && m.runId === runId) resolve(m.report);
          }
        };
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as WireReply;
          if ('push' in msg) pushes.push(msg.push);
          else if (msg.id === 1) {
            if (!msg.ok) return reject(new Error(`run.start refused: ${msg.error.message}`));
            runId = (msg.output as { runId: string }).runId;
          }
          settle();
        });
        ws.on('close', () => reject(new Error('the socket closed before the run ended')));
        ws.send(JSON.stringify({ id: 1, op: 'run.start', input: { path: graphPath, graph } }));
      },
    );
    return { events, report };
  }

  it(`make 3 creates for 3 shots and both end with the film, in ${TRIALS} trials`, async () => {
    for (let t = 1; t <= TRIALS; t++) {
      const name = `cli-web-${t}`;
      const dir = await project(name);
      const ws = await connect();
      const before = gw.stats().creates;
      const [cli, web] = await Promise.all([
        render(dir, path.join(dir, 'film-cli.mp4')),
        editorRun(ws, `${name}/${CHAIN}`),
      ]);
      ws.close();
      const creates = gw.stats().creates - before;
      expect(cli.code, cli.stderr).toBe(0);
      expect(web.report.status, JSON.stringify(web.report.problems)).toBe('succeeded');
      expect(creates).toBe(3);
      expect(cli.report!.submissions + web.report.submissions).toBe(3);
      await expectFilm(path.join(dir, 'film-cli.mp4'));
      expect(web.report.output).toBe(`${name}/graphs/three-shot-chain.mp4`);
      await expectFilm(path.join(root, web.report.output!));
      const webWaited = web.events.find((e) => e.type === 'run-waiting');
      const cliWaited = (cli.report!.waitedMs ?? 0) > 0;
      const webSpan = {
        startedAt: web.events.find((e) => e.type === 'run-start')?.at ?? 0,
        finishedAt: web.events.find((e) => e.type === 'run-end')?.at ?? Infinity,
      };
      if (webWaited && webWaited.type === 'run-waiting') {
        expect(webWaited.holder?.pid).toBeGreaterThan(0);
        expect(webWaited.message).toMatch(/^Waiting for the run of pid \d+ on this machine/);
        expect(web.report.submissions).toBe(0);
      } else if (cliWaited) {
        expect(cli.stderr).toMatch(/Waiting for the run of pid \d+ on this machine/);
        expect(cli.report!.submissions).toBe(0);
      }
      figures.push(
        `[concurrent] CLI + web trial ${t}: creates ${creates}, submissions cli ${cli.report!.submissions} web ${web.report.submissions}, waited: ${webWaited ? 'web' : cliWaited ? 'cli' : 'neither (no overlap)'}`,
      );
      if (!webWaited && !cliWaited) expect(overlapped(cli.report!, webSpan)).toBe(false);
    }
  }, 900_000);
});
