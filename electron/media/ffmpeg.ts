// The one place Shotgraph runs ffmpeg/ffprobe. Everything media-related calls through here, so
// the runner can be swapped (fluent-ffmpeg is archived and misreads ffmpeg ≥ 7's format list,
// hence plain child processes with `-progress` parsing).
import { spawn } from 'node:child_process';
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

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with seconds of output written so far (parsed from `-progress`). */
  onProgress?: (outSeconds: number) => void;
}

/** Runs ffmpeg with the given arguments; rejects with the tail of stderr on failure. */
export function runFfmpeg(args: string[], opts: RunOptions = {}): Promise<void> {
  const full = [
    '-hide_banner',
    '-nostdin',
    '-y',
    ...(opts.onProgress ? ['-progress', 'pipe:1', '-nostats'] : []),
    ...args,
  ];
  return run(ffmpegPath(), full, opts).then(() => undefined);
}

/** Runs ffprobe and returns its stdout. */
export function runFfprobe(args: string[], opts: RunOptions = {}): Promise<string> {
  return run(ffprobePath(), ['-v', 'error', ...args], opts);
}

function run(bin: string, args: string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError());
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
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
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000); // keep the tail: that is where ffmpeg says why
    });
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) return reject(abortError());
      if (code === 0) return resolve(stdout);
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(new FfmpegError(`${path.basename(bin)} failed (exit ${code}): ${last}`, stderr, code));
    });
  });
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}
