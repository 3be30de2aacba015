// The project lock across real processes: one holder at a time, a waiting run told whose run it
// waits for, a lock left by a killed process taken over, a live holder never robbed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acquireProjectLock,
  HOLDER_FILE,
  LOCK_DIR,
  ProjectBusyError,
  type LockHolder,
} from '../../electron/engine/project-lock';
import { REPO } from '../helpers/cli';

const HOLD = path.join(REPO, 'test/helpers/hold-lock.ts');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function stateDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-lock-'));
  dirs.push(d);
  return path.join(d, '.shotgraph');
}

/** hold-lock.ts in its own process; resolves `locked` once it holds the lock. */
function holder(dir: string, holdMs: number, log?: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HOLD, dir, String(holdMs), ...(log ? [log] : [])],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('locked')) resolve();
    });
    child.on('close', (code) => reject(new Error(`holder exited ${code} before locking: ${err}`)));
  });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
  return { child, locked, done };
}

async function until(ok: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('project lock', () => {
  it('a second run waits, told the holder’s pid, host and start, and goes on once it is released', async () => {
    const dir = await stateDir();
    const first = holder(dir, 1500);
    await first.locked;
    const seen: (LockHolder | undefined)[] = [];
    const startedWaiting = Date.now();
    const lock = await acquireProjectLock({ stateDir: dir, onWaiting: (h) => seen.push(h) });
    const after = await first.done;
    expect(after.out).toContain('released');
    expect(seen.length).toBeGreaterThanOrEqual(1);
    const h = seen.find((x) => x)!;
    expect(h).toMatchObject({ pid: first.child.pid, host: os.hostname(), graph: 'hold-lock' });
    expect(h.since).toBeLessThanOrEqual(startedWaiting);
    expect(lock.waitedMs).toBeGreaterThan(0);
    expect(lock.waitedFor?.pid).toBe(first.child.pid);
    // While held, the holder is on disk beside the lock for any other run to read.
    const onDisk = JSON.parse(await readFile(path.join(dir, HOLDER_FILE), 'utf8')) as LockHolder;
    expect(onDisk).toMatchObject({ pid: process.pid, host: os.hostname() });
    await lock.release();
    await expect(stat(path.join(dir, LOCK_DIR))).rejects.toThrow();
    await expect(stat(path.join(dir, HOLDER_FILE))).rejects.toThrow();
  }, 60_000);

  it('keeps naming the holder while it releases (its record goes just before its folder)', async () => {
    const dir = await stateDir();
    const first = await acquireProjectLock({ stateDir: dir, graph: 'first.json' });
    const seen: (LockHolder | undefined)[] = [];
    const second = acquireProjectLock({
      stateDir: dir,
      onWaiting: (h) => seen.push(h),
      timing: { pollMs: 20 },
    });
    await until(() => seen.length > 0, 'the second run to wait');
    // The first run's release, held between its two steps: the record is gone, the folder is not.
    await rm(path.join(dir, HOLDER_FILE));
    await new Promise((r) => setTimeout(r, 200)); // ten looks by the waiting run
    await first.release();
    const lock = await second;
    expect(seen).toEqual([first.holder]);
    expect(lock.waitedFor).toEqual(first.holder);
    await lock.release();
  }, 60_000);

  it('with wait: false refuses at once, naming the holder', async () => {
    const dir = await stateDir();
    const first = holder(dir, 60_000);
    await first.locked;
    const err = await acquireProjectLock({ stateDir: dir, wait: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProjectBusyError);
    expect((err as ProjectBusyError).holder?.pid).toBe(first.child.pid);
    expect((err as Error).message).toMatch(
      new RegExp(`pid ${first.child.pid} on this machine \\(hold-lock\\)`),
    );
    first.child.kill('SIGTERM');
    await first.done;
  }, 60_000);

  it('takes over a lock left by a process killed with SIGKILL, within seconds', async () => {
    const dir = await stateDir();
    const first = holder(dir, 60_000);
    await first.locked;
    first.child.kill('SIGKILL');
    await first.done;
    expect((await stat(path.join(dir, LOCK_DIR))).isDirectory()).toBe(true); // left behind
    const t0 = Date.now();
    const lock = await acquireProjectLock({ stateDir: dir, timing: { pollMs: 50 } });
    const tookMs = Date.now() - t0;
    expect(tookMs).toBeLessThan(30_000); // the dead-holder rule, not the 2-minute abandoned one
    await lock.release();
  }, 60_000);

  it('never takes a quiet lock from a live process on this machine; does from a quiet other host', async () => {
    const dir = await stateDir();
    await mkdir(path.join(dir, LOCK_DIR), { recursive: true });
    const ino = (await stat(path.join(dir, LOCK_DIR))).ino;
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(dir, LOCK_DIR), old, old);
    // A live process (this one's parent shell would do; a sleeping child is certain to be alive).
    const sleeper = spawn('sleep', ['30']);
    children.push(sleeper);
    const live: LockHolder = {
      pid: sleeper.pid!,
      host: os.hostname(),
      since: Date.now() - 60_000,
      lockIno: ino,
    };
    await writeFile(path.join(dir, HOLDER_FILE), JSON.stringify(live));
    const busy = await acquireProjectLock({ stateDir: dir, wait: false }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ProjectBusyError);
    // The same quiet lock from another machine is stale after staleMs (30 s by default).
    await writeFile(path.join(dir, HOLDER_FILE), JSON.stringify({ ...live, host: 'render-box-2' }));
    const lock = await acquireProjectLock({ stateDir: dir, wait: false });
    expect(lock.holder.pid).toBe(process.pid);
    await lock.release();
    // And a recently refreshed lock of another machine is respected.
    await mkdir(path.join(dir, LOCK_DIR));
    const fresh: LockHolder = {
      ...live,
      host: 'render-box-2',
      lockIno: (await stat(path.join(dir, LOCK_DIR))).ino,
    };
    await writeFile(path.join(dir, HOLDER_FILE), JSON.stringify(fresh));
    const err = await acquireProjectLock({ stateDir: dir, wait: false }).catch((e: unknown) => e);
    expect((err as ProjectBusyError).holder?.host).toBe('render-box-2');
    sleeper.kill('SIGKILL');
  }, 60_000);

  it('holds one at a time among processes racing for a dead holder’s lock', async () => {
    const dir = await stateDir();
    const log = path.join(path.dirname(dir), 'held.log');
    const first = holder(dir, 60_000);
    await first.locked;
    first.child.kill('SIGKILL');
    await first.done;
    const racers = Array.from({ length: 4 }, () => holder(dir, 300, log));
    const results = await Promise.all(racers.map((r) => r.done));
    for (const r of results) expect(r.code, r.err).toBe(0);
    const spans = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number) as [number, number, number])
      .sort((a, b) => a[1] - b[1]);
    expect(spans).toHaveLength(4);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![1]).toBeGreaterThanOrEqual(spans[i - 1]![2]);
  }, 120_000);

  it('tells the holder when its lock was taken from it', async () => {
    const dir = await stateDir();
    let lost: Error | undefined;
    const lock = await acquireProjectLock({ stateDir: dir, onLost: (e) => (lost = e) });
    // As if another run had judged it abandoned and made its own.
    await rm(path.join(dir, LOCK_DIR), { recursive: true });
    await mkdir(path.join(dir, LOCK_DIR));
    await until(() => lost !== undefined, 'the lock to be noticed lost', 20_000);
    expect(lost!.message).toMatch(/took over this project's lock/);
    await lock.release();
  }, 30_000);

  it('a waiting run stops when cancelled', async () => {
    const dir = await stateDir();
    const first = holder(dir, 60_000);
    await first.locked;
    const controller = new AbortController();
    const waiting = acquireProjectLock({
      stateDir: dir,
      signal: controller.signal,
      onWaiting: () => controller.abort(),
    });
    await expect(waiting).rejects.toThrow();
    first.child.kill('SIGTERM');
    await first.done;
  }, 60_000);
});
