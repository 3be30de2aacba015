// Every ffmpeg/ffprobe call has a deadline and never leaves a child behind: on its deadline, on
// cancel, and when the calling process exits. A FIFO is the input that never ends (opening it
// blocks until a writer comes), so it stands for every hang. Children are found in /proc.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEADLINES,
  deadlineMs,
  FfmpegError,
  FfmpegTimeoutError,
  runFfmpeg,
  runFfprobe,
} from '../../electron/media/ffmpeg';

const REPO = path.resolve(import.meta.dirname, '../..');
let tmp: string;
let fifo: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-deadline-'));
  fifo = path.join(tmp, 'never-ends.mp4');
  execFileSync('mkfifo', [fifo]);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Live (not zombie) processes whose command line mentions `needle`. */
function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(needle) && !cmdline.includes('vitest')) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ffprobeOn = (file: string) => () => processesWith(file).length > 0;

describe('ffmpeg deadlines', () => {
  it('stops a probe stuck on a FIFO at its deadline and leaves no child', async () => {
    const probe = runFfprobe(['-show_format', fifo], { timeoutMs: 300 });
    const settled = probe.catch((e: unknown) => e);
    await until(ffprobeOn(fifo), 'ffprobe to start');
    const err = await settled;
    expect(err).toBeInstanceOf(FfmpegTimeoutError);
    expect(err).toBeInstanceOf(FfmpegError); // callers that handle ffmpeg failures handle this too
    expect((err as Error).message).toMatch(/ffprobe did not finish within \d+ s/);
    expect(processesWith(fifo)).toEqual([]);
  });

  it('stops an encode on cancel and leaves no child', async () => {
    const controller = new AbortController();
    const encode = runFfmpeg(['-i', fifo, '-f', 'null', '-'], { signal: controller.signal });
    const settled = encode.catch((e: unknown) => e);
    await until(ffprobeOn(fifo), 'ffmpeg to start');
    controller.abort();
    expect((await settled) as Error).toMatchObject({ name: 'AbortError' });
    expect(processesWith(fifo)).toEqual([]);
  });

  it('runs work nobody waits on (background) ten steps nicer than this process', async () => {
    const niceOf = (pid: number | 'self') =>
      Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const marker = path.join(tmp, 'background.mp4');
    execFileSync('mkfifo', [marker]);
    const controller = new AbortController();
    const settled = runFfmpeg(['-i', marker, '-f', 'null', '-'], {
      signal: controller.signal,
      background: true,
    }).catch((e: unknown) => e);
    await until(ffprobeOn(marker), 'ffmpeg to start');
    const [child] = processesWith(marker);
    expect(niceOf(child!)).toBe(Math.min(19, niceOf('self') + 10));
    controller.abort();
    expect((await settled) as Error).toMatchObject({ name: 'AbortError' });
    expect(processesWith(marker)).toEqual([]);
  });

  /** A script that starts a probe on a FIFO, waits for its child, then ends as `end` says. */
  async function orphanCheck(
    name: string,
    end: string,
  ): Promise<{ code: number | null; signal: string | null }> {
    const script = path.join(tmp, `${name}.ts`);
    const marker = path.join(tmp, `${name}.mp4`);
    execFileSync('mkfifo', [marker]);
    await writeFile(
      script,
      [
        `import { readdirSync, readFileSync } from 'node:fs';`,
        `import { runFfprobe } from ${JSON.stringify(path.join(REPO, 'electron/media/ffmpeg.ts'))};`,
        `void runFfprobe(['-show_format', ${JSON.stringify(marker)}], { timeoutMs: 600_000 }).catch(() => {});`,
        `const mine = () => readdirSync('/proc').some((p) => { try { return readFileSync('/proc/' + p + '/stat', 'utf8').split(') ')[1]?.split(' ')[1] === String(process.pid); } catch { return false; } });`,
        `const wait = () => (mine() ? (${end}) : setTimeout(wait, 20));`,
        `wait();`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, stdio: 'ignore' });
    const ended = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await until(() => processesWith(marker).length === 0, `the orphaned ffprobe of ${name} to die`);
    expect(processesWith(marker)).toEqual([]);
    return ended;
  }

  it('kills its children when the calling process exits', async () => {
    expect(await orphanCheck('exits', 'process.exit(0)')).toEqual({ code: 0, signal: null });
  });

  it('kills its children when the calling process throws', async () => {
    expect((await orphanCheck('throws', "(() => { throw new Error('a bug') })()")).code).toBe(1);
  });

  it('kills its children when the calling process is terminated, and still ends by the signal', async () => {
    expect(await orphanCheck('terminated', "process.kill(process.pid, 'SIGTERM')")).toEqual({
      code: null,
      signal: 'SIGTERM',
    });
  });

  it('scales an encode’s deadline with its media, with a floor, and keeps probes short', () => {
    expect(deadlineMs('ffprobe', {})).toBe(DEADLINES.probeMs);
    expect(deadlineMs('ffmpeg', { mediaSec: 1 })).toBe(DEADLINES.floorMs);
    expect(deadlineMs('ffmpeg', { mediaSec: 60 })).toBe(60 * DEADLINES.perMediaSecondMs);
    expect(deadlineMs('ffmpeg', { mediaSec: 120 })).toBe(2 * deadlineMs('ffmpeg', { mediaSec: 60 }));
    expect(deadlineMs('ffmpeg', {})).toBe(DEADLINES.unstatedMs);
    expect(deadlineMs('ffmpeg', { mediaSec: 60, timeoutMs: 5 })).toBe(5);
    expect(DEADLINES.probeMs).toBeLessThan(DEADLINES.floorMs);
  });
});

describe('ffmpeg never fetches', () => {
  let server: Server;
  let connections = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('refuses a URL given to ffprobe or ffmpeg without opening a connection', async () => {
    const url = `http://127.0.0.1:${port}/still.png`;
    await expect(runFfprobe(['-show_format', url])).rejects.toThrow(/whitelist|Invalid argument/);
    await expect(runFfmpeg(['-i', url, '-f', 'null', '-'])).rejects.toThrow(/whitelist|Invalid argument/);
    expect(connections).toBe(0);
  });
});
