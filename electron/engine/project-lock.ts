// The project lock: one run at a time per project folder, across processes (CLI, editor, web mode,
// a second window), so two runs never decide to pay for the same shot (docs/architecture.md §5).
// proper-lockfile does the atomic part (mkdir, a refreshed mtime, noticing a lock taken from us,
// cleanup on exit). Who holds the lock is written beside it, so a waiting run can say whose run it
// waits for, and so a lock left by a dead process is taken over: at once when its holder is a
// process on this machine that no longer exists, after STALE_MS without a refresh otherwise.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from './atomic';

export const LOCK_DIR = 'run.lock';
export const HOLDER_FILE = 'run.lock.json';
const BREAK_DIR = 'run.lock.break';

export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder took the lock (epoch ms). */
  since: number;
  /** The graph file the holder runs (its name only). */
  graph?: string;
  /** Inode of the lock folder the holder made: ties this record to that lock, not an older one. */
  lockIno?: number;
}

export interface LockTiming {
  /** How often the holder refreshes the lock's mtime. */
  refreshMs: number;
  /** A same-host holder that no longer exists, and no refresh for this long: taken over. */
  deadMs: number;
  /** No refresh for this long and the holder is not a live process here: taken over. */
  staleMs: number;
  /** No refresh for this long: taken over whoever holds it (a reused pid, a stopped process). */
  abandonedMs: number;
  /** How often a waiting run looks again. */
  pollMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = {
  refreshMs: 1000,
  deadMs: 3000,
  staleMs: 30_000,
  abandonedMs: 120_000,
  pollMs: 250,
};

export interface LockOptions {
  stateDir: string;
  /** false: refuse at once with ProjectBusyError instead of waiting. */
  wait?: boolean;
  signal?: AbortSignal;
  /** Called when the run starts waiting, and again whenever the holder changes. */
  onWaiting?(holder: LockHolder | undefined): void;
  /** The lock was taken from this process (it was not refreshed for too long). */
  onLost?(error: Error): void;
  graph?: string;
  timing?: Partial<LockTiming>;
}

export interface ProjectLock {
  readonly holder: LockHolder;
  /** How long this run waited for another one, in ms (0 when the lock was free). */
  readonly waitedMs: number;
  /** The holder this run waited for last, if any. */
  readonly waitedFor?: LockHolder;
  release(): Promise<void>;
}

export class ProjectBusyError extends Error {
  constructor(
    public readonly holder: LockHolder | undefined,
    public readonly lockPath: string,
  ) {
    super(`${describeHolder(holder)} holds this project (${lockPath})`);
    this.name = 'ProjectBusyError';
  }
}

const NEVER_STALE = 2 ** 31 - 1; // the library's own mtime-only takeover is replaced by ours

export async function acquireProjectLock(opts: LockOptions): Promise<ProjectLock> {
  const timing = { ...DEFAULT_LOCK_TIMING, ...opts.timing };
  const lockDir = path.join(opts.stateDir, LOCK_DIR);
  const holderFile = path.join(opts.stateDir, HOLDER_FILE);
  await fs.mkdir(opts.stateDir, { recursive: true });
  const startedAt = Date.now();
  let shown: string | undefined;
  let waitedFor: LockHolder | undefined;
  let shownIno: number | undefined;

  for (;;) {
    opts.signal?.throwIfAborted();
    let release: (() => Promise<void>) | undefined;
    try {
      release = await lockfile.lock(opts.stateDir, {
        lockfilePath: lockDir,
        realpath: false,
        stale: NEVER_STALE,
        update: timing.refreshMs,
        retries: 0,
        onCompromised: (err) =>
          opts.onLost?.(
            new Error(
              `another process took over this project's lock (${lockDir}) because this run did not refresh it in time (${err.message}); this run stops so that nothing is paid for twice`,
            ),
          ),
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    }
    if (release) return await announce(release);

    const seen = await inspect(lockDir, holderFile);
    if (!seen) continue; // released between our attempt and our look: try again now
    if (abandoned(seen, timing)) {
      await breakLock(opts.stateDir, lockDir, holderFile, timing);
      continue;
    }
    if (opts.wait === false) throw new ProjectBusyError(seen.holder, lockDir);
    // A holder removes its record just before its folder: a folder seen with a record is still
    // that holder's (same inode) when the record is gone, not a new run "just starting".
    const who = seen.holder ?? (seen.ino === shownIno ? waitedFor : undefined);
    const id = who ? `${who.host}:${who.pid}:${who.since}` : `?${seen.ino}`;
    shownIno = seen.ino;
    if (id !== shown) {
      shown = id;
      waitedFor = who;
      opts.onWaiting?.(who);
    }
    await sleep(timing.pollMs, opts.signal);
  }

  async function announce(release: () => Promise<void>): Promise<ProjectLock> {
    let holder: LockHolder;
    try {
      const ino = (await fs.stat(lockDir)).ino;
      holder = { pid: process.pid, host: os.hostname(), since: Date.now(), lockIno: ino };
      if (opts.graph) holder.graph = opts.graph;
      await writeFileAtomic(holderFile, JSON.stringify(holder) + '\n');
    } catch (e) {
      await release().catch(() => undefined);
      throw e;
    }
    let released = false;
    return {
      holder,
      waitedMs: shown ? Date.now() - startedAt : 0,
      ...(waitedFor ? { waitedFor } : {}),
      release: async () => {
        if (released) return;
        released = true;
        // The record goes first: once the folder is gone another run may write its own.
        const current = readHolder(holderFile);
        if (current?.pid === holder.pid && current.since === holder.since)
          await fs.rm(holderFile, { force: true }).catch(() => undefined);
        // A folder that cannot be removed is harmless: its holder is gone, so the next run takes it.
        await release().catch(() => undefined);
      },
    };
  }
}

interface Seen {
  mtimeMs: number;
  ino: number;
  /** The holder's record, when it belongs to this lock folder. */
  holder?: LockHolder;
}

async function inspect(lockDir: string, holderFile: string): Promise<Seen | undefined> {
  let st;
  try {
    st = await fs.stat(lockDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const holder = readHolder(holderFile);
  return {
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    ...(holder && holder.lockIno === st.ino ? { holder } : {}),
  };
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string' || typeof v.since !== 'number')
      return undefined;
    return v as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether a held lock was left behind by a run that is gone. */
function abandoned(seen: Seen, timing: LockTiming): boolean {
  const quiet = Date.now() - seen.mtimeMs;
  if (quiet > timing.abandonedMs) return true;
  const h = seen.holder;
  if (h && h.host === os.hostname()) {
    // A live process here keeps its lock however long it went quiet (a busy machine, Ctrl+Z),
    // up to abandonedMs, which also covers a pid reused by an unrelated process.
    return !processAlive(h.pid) && quiet > timing.deadMs;
  }
  return quiet > timing.staleMs;
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
  // A killed process its parent has not reaped yet still answers signal 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Removes an abandoned lock. Breakers take turns through their own small lock and look again
 * under it, so two runs that both found the same dead lock cannot remove each other's new one.
 */
async function breakLock(stateDir: string, lockDir: string, holderFile: string, timing: LockTiming) {
  const guard = path.join(stateDir, BREAK_DIR);
  try {
    await fs.mkdir(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another run is breaking it; a guard left by a crashed breaker is cleared after a while.
    const st = await fs.stat(guard).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > timing.staleMs) await fs.rmdir(guard).catch(() => undefined);
    await sleep(timing.pollMs);
    return;
  }
  try {
    const seen = await inspect(lockDir, holderFile);
    if (seen && abandoned(seen, timing)) {
      await fs.rm(lockDir, { recursive: true, force: true });
      await fs.rm(holderFile, { force: true });
    }
  } finally {
    await fs.rmdir(guard).catch(() => undefined);
  }
}

/** "pid 4242 on this machine (three-shot-chain.json), since 14:03:07" — for messages. */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another run (just starting)';
  const where = holder.host === os.hostname() ? 'on this machine' : `on ${holder.host}`;
  const what = holder.graph ? ` (${holder.graph})` : '';
  return `the run of pid ${holder.pid} ${where}${what}, started at ${clock(holder.since)}`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
