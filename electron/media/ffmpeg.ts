// The one place Shotgraph runs ffmpeg/ffprobe. Everything media-related calls through here, so
// the runner can be swapped (fluent-ffmpeg is archived and misreads ffmpeg ≥ 7's format list,
// hence plain child processes with `-progress` parsing). Every call has a deadline, and no child
// outlives its deadline, its cancellation or this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { pipeline, type Writable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { findTool } from './binaries';

export { FfmpegNotFoundError } from './binaries';

export class FfmpegError extends Error {
  constructor(
    message: string,
    public readonly stderr: string,
    public readonly exitCode: number | null,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

const resolved: Partial<Record<'ffmpeg' | 'ffprobe', string>> = {};

/** FFMPEG_PATH → ffmpeg-static → `ffmpeg` on PATH (binaries.ts). */
export function ffmpegPath(): string {
  return (resolved.ffmpeg ??= findTool('ffmpeg'));
}

/** FFPROBE_PATH → @ffprobe-installer/ffprobe → `ffprobe` on PATH (binaries.ts). */
export function ffprobePath(): string {
  return (resolved.ffprobe ??= findTool('ffprobe'));
}

/** Forget resolved paths (tests change FFMPEG_PATH). */
export function resetToolPaths(): void {
  delete resolved.ffmpeg;
  delete resolved.ffprobe;
}

export class FfmpegTimeoutError extends FfmpegError {
  constructor(tool: string, ms: number, stderr: string) {
    super(`${tool} did not finish within ${Math.round(ms / 1000)} s and was stopped`, stderr, null);
    this.name = 'FfmpegTimeoutError';
  }
}

/**
 * Deadlines (docs/architecture.md §7): a probe reads headers, so a small fixed limit; an encode is
 * bounded in proportion to the media it handles, with a floor for start-up. They catch a hang (a
 * FIFO, a stalled mount), never a slow machine: the allowance per media second is generous.
 */
export const DEADLINES = {
  probeMs: 20_000,
  floorMs: 120_000,
  perMediaSecondMs: 30_000,
  /** ffmpeg calls that do not say how much media they handle. */
  unstatedMs: 600_000,
  /** After SIGTERM, the time a child gets to exit before SIGKILL. */
  killGraceMs: 2_000,
};

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with seconds of output written so far (parsed from `-progress`). */
  onProgress?: (outSeconds: number) => void;
  /** Seconds of media this call reads or writes: its deadline grows with it. */
  mediaSec?: number;
  /** An explicit deadline in ms (overrides the one derived from mediaSec). */
  timeoutMs?: number;
  /** Takes stdout as it comes, as bytes (ffmpeg writing media to pipe:1); nothing is kept. */
  onData?: (chunk: Buffer) => void;
  /** Work nobody waits on (a report): the child runs below this process's priority. */
  background?: boolean;
  /**
   * Bytes written to the child's stdin in order, then closed (ffmpeg reading `pipe:0`). An async
   * iterable is written as it yields. A rejection, or an iterable that throws, stops the child, and
   * the call rejects with it.
   */
  stdin?: Iterable<Buffer> | AsyncIterable<Buffer> | Promise<Iterable<Buffer>>;
  /**
   * The filtergraph, written to the child's fd 3 once known (the arguments name it as
   * `-filter_complex_script pipe:3`): ffmpeg reads it before it opens any input, so its start
   * (mostly loading its libraries) overlaps the caller's work. A rejection stops the child, and the
   * call rejects with it.
   */
  filterScript?: Promise<string>;
  /**
   * The input comes later (ffmpeg reading `-i pipe:0`): ffmpeg starts now, its start-up paid before
   * the file exists, and the file this resolves to is streamed to its stdin; the deadline runs from
   * then. A rejection stops ffmpeg and the call rejects with it. The caller must settle it.
   */
  stdinFrom?: Promise<string>;
}

/** Only local files and pipes: a path that slipped through as a URL is never fetched by ffmpeg. */
const PROTOCOLS = ['-protocol_whitelist', 'file,pipe,fd'];

/** Runs ffmpeg with the given arguments; rejects with the tail of stderr on failure. */
export function runFfmpeg(args: string[], opts: RunOptions = {}): Promise<void> {
  const full = [
    '-hide_banner',
    ...(opts.stdinFrom ? [] : ['-nostdin']),
    '-y',
    ...(opts.onProgress ? ['-progress', 'pipe:1', '-nostats'] : []),
    ...args.flatMap((a) => (a === '-i' ? [...PROTOCOLS, a] : [a])),
  ];
  return run(ffmpegPath(), full, opts, deadlineMs('ffmpeg', opts)).then(() => undefined);
}

/** Runs ffprobe and returns its stdout. */
export function runFfprobe(args: string[], opts: RunOptions = {}): Promise<string> {
  return run(ffprobePath(), ['-v', 'error', ...PROTOCOLS, ...args], opts, deadlineMs('ffprobe', opts));
}

export function deadlineMs(
  tool: 'ffmpeg' | 'ffprobe',
  opts: Pick<RunOptions, 'mediaSec' | 'timeoutMs'>,
): number {
  if (opts.timeoutMs !== undefined) return opts.timeoutMs;
  const base = tool === 'ffprobe' ? DEADLINES.probeMs : DEADLINES.floorMs;
  if (opts.mediaSec === undefined || !Number.isFinite(opts.mediaSec))
    return tool === 'ffprobe' ? base : DEADLINES.unstatedMs;
  return Math.max(base, Math.ceil(opts.mediaSec * DEADLINES.perMediaSecondMs));
}

/**
 * Children still running: killed when this process exits or is killed by a signal, so none outlives
 * it. Kept on globalThis so that a module loaded twice (tests) registers the handlers once.
 */
const LIVE = Symbol.for('shotgraph.ffmpeg.children');
const live = ((globalThis as { [LIVE]?: Set<ChildProcess> })[LIVE] ??= watchExit(new Set()));

function watchExit(children: Set<ChildProcess>): Set<ChildProcess> {
  const killAll = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      // Alone, this listener must not change what the signal does: the process still ends by it.
      // Beside others (render's graceful cancel), they decide.
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
  return children;
}

/** SIGTERM, then SIGKILL if the child has not exited after the grace period. */
function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const hard = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, DEADLINES.killGraceMs);
  child.once('exit', () => clearTimeout(hard));
}

function run(bin: string, args: string[], opts: RunOptions, limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Settled after this call may have ended: a late rejection must not go unhandled.
    opts.filterScript?.catch(() => undefined);
    if (opts.stdin instanceof Promise) opts.stdin.catch(() => undefined);
    if (opts.signal?.aborted) return reject(abortError());
    const child = spawn(bin, args, {
      stdio: [
        opts.stdin || opts.stdinFrom ? 'pipe' : 'ignore',
        'pipe',
        'pipe',
        ...(opts.filterScript ? ['pipe' as const] : []),
      ],
      windowsHide: true,
    });
    live.add(child);
    /** Why the child was stopped for want of an input it was promised (the call rejects with it). */
    let unfed: unknown;
    const failScript = (error: unknown) => {
      unfed ??= error;
      stop(child);
    };
    if (opts.filterScript) {
      const script = child.stdio[3] as Writable;
      script.on('error', () => undefined); // the child exited first; 'close' says why
      opts.filterScript.then((text) => script.end(text), failScript);
    }
    if (opts.stdin)
      Promise.resolve(opts.stdin)
        .then((chunks) => feed(child, chunks))
        .catch(failScript);
    if (opts.background && child.pid !== undefined) lowerPriority(child.pid);
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    if (opts.onData) child.stdout!.on('data', opts.onData);
    else
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        if (!opts.onProgress) {
          stdout += chunk;
          return;
        }
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const m = /^out_time_(?:us|ms)=(\d+)/.exec(line);
          if (m) opts.onProgress(Number(m[1]) / 1e6);
        }
      });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000); // keep the tail: that is where ffmpeg says why
    });
    let deadline: NodeJS.Timeout | undefined;
    let ended = false;
    /** Starts the deadline; false once the child is over (an input come too late is not fed). */
    const arm = () => {
      if (ended) return false;
      deadline = setTimeout(() => {
        timedOut = true;
        stop(child);
      }, limitMs);
      return true;
    };
    if (opts.stdinFrom) feedLater(child, opts.stdinFrom, arm, failScript);
    else arm();
    const onAbort = () => stop(child);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      ended = true;
      clearTimeout(deadline);
      live.delete(child);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('close', (code) => {
      done();
      if (opts.signal?.aborted) return reject(abortError());
      if (unfed !== undefined) return reject(unfed);
      if (timedOut) return reject(new FfmpegTimeoutError(path.basename(bin), limitMs, stderr));
      if (code === 0) return resolve(stdout);
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(new FfmpegError(`${path.basename(bin)} failed (exit ${code}): ${last}`, stderr, code));
    });
  });
}

/** Writes `chunks` to the child's stdin as it reads them; a child that stops reading fails by its exit. */
async function feed(child: ChildProcess, chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<void> {
  const stdin = child.stdin!;
  let closed = false;
  stdin.on('error', () => (closed = true)); // EPIPE: the child exited; 'close' says why
  stdin.on('close', () => (closed = true));
  for await (const chunk of chunks) {
    if (closed) return; // ends an async source too: a generator's own clean-up runs
    if (!stdin.write(chunk))
      await new Promise<void>((resolve) => {
        const go = () => {
          stdin.off('drain', go);
          stdin.off('close', go);
          resolve();
        };
        stdin.on('drain', go).on('close', go);
      });
  }
  if (!closed) stdin.end();
}

/** Streams the file `input` resolves to into the child's stdin; `fail` when there is none to give. */
function feedLater(
  child: ChildProcess,
  input: Promise<string>,
  arm: () => boolean,
  fail: (e: unknown) => void,
): void {
  input.then((file) => {
    if (!arm()) return; // it ended without its input (cancelled, or failed to start)
    // ffmpeg may stop reading once it has what it needs: a pipe it closed is not a failure, and
    // the file's stream, destroyed with the pipe's error, does not fail the call either.
    let closed = false;
    child.stdin!.on('error', () => (closed = true)).on('close', () => (closed = true));
    const from = createReadStream(file).on('error', (e) => closed || fail(e));
    pipeline(from, child.stdin!, () => undefined);
  }, fail);
}

/** Ten steps nicer than this process (as `nice` would); where that is not allowed, as it is. */
function lowerPriority(pid: number): void {
  try {
    os.setPriority(pid, Math.min(19, os.getPriority() + 10));
  } catch {
    // Windows without the right, or the child has already exited: it only runs at normal priority.
  }
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}
