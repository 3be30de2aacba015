// The one place Shotgraph runs ffmpeg/ffprobe. Everything media-related calls through here, so
// the runner can be swapped (fluent-ffmpeg is archived and misreads ffmpeg ≥ 7's format list,
// hence plain child processes with `-progress` parsing).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export class FfmpegNotFoundError extends Error {
  constructor(tool: 'ffmpeg' | 'ffprobe') {
    super(
      `${tool} was not found. Set ${tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'} to its full path, ` +
        `or install ffmpeg (Debian/Ubuntu: "sudo apt-get install ffmpeg"; macOS: "brew install ffmpeg"; Windows: "winget install ffmpeg").`,
    );
    this.name = 'FfmpegNotFoundError';
  }
}

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

const exe = process.platform === 'win32' ? '.exe' : '';
const resolved: Partial<Record<'ffmpeg' | 'ffprobe', string>> = {};

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name + exe);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function fromFfmpegStatic(): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const p = req('ffmpeg-static') as string | null;
    // In a packaged app the binary is unpacked beside the asar (electron-builder asarUnpack).
    const unpacked = p?.replace('app.asar', 'app.asar.unpacked');
    return unpacked && existsSync(unpacked) ? unpacked : undefined;
  } catch {
    return undefined; // optional dependency, absent where its download failed
  }
}

/** FFMPEG_PATH → ffmpeg-static → `ffmpeg` on PATH. */
export function ffmpegPath(): string {
  if (resolved.ffmpeg) return resolved.ffmpeg;
  const env = process.env.FFMPEG_PATH;
  const found = (env && existsSync(env) ? env : undefined) ?? fromFfmpegStatic() ?? onPath('ffmpeg');
  if (!found) throw new FfmpegNotFoundError('ffmpeg');
  return (resolved.ffmpeg = found);
}

/** FFPROBE_PATH → ffprobe beside the chosen ffmpeg → `ffprobe` on PATH. */
export function ffprobePath(): string {
  if (resolved.ffprobe) return resolved.ffprobe;
  const env = process.env.FFPROBE_PATH;
  let sibling: string | undefined;
  try {
    sibling = path.join(path.dirname(ffmpegPath()), 'ffprobe' + exe);
  } catch {
    sibling = undefined;
  }
  const found =
    (env && existsSync(env) ? env : undefined) ??
    (sibling && existsSync(sibling) ? sibling : undefined) ??
    onPath('ffprobe');
  if (!found) throw new FfmpegNotFoundError('ffprobe');
  return (resolved.ffprobe = found);
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
