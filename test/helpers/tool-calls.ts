// Counts the runs of ffmpeg or ffprobe: a wrapper script logs each call's arguments, one line each,
// then runs the real tool. Name it by FFMPEG_PATH / FFPROBE_PATH (in process or in a child's env).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { ffmpegPath, ffprobePath, resetToolPaths } from '../../electron/media/ffmpeg';
import { forgetMediaFacts } from '../../electron/media/media-facts';
import { tempDir } from './media';

export interface ToolCalls {
  /** The wrapper to name in FFMPEG_PATH or FFPROBE_PATH. */
  wrapper: string;
  /** Every call so far, its arguments as one line. */
  calls(): string[];
}

export function toolCalls(dir: string, tool: 'ffmpeg' | 'ffprobe'): ToolCalls {
  const log = path.join(dir, `${tool}-calls.log`);
  const wrapper = path.join(dir, `${tool}-counting`);
  const real = tool === 'ffmpeg' ? ffmpegPath() : ffprobePath();
  writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> "${log}"\nexec "${real}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return {
    wrapper,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

/**
 * Runs this process's ffmpeg (or ffprobe) through a counting wrapper until `restore` is called;
 * child processes inherit it through the environment.
 */
export function countInProcess(dir: string, tool: 'ffmpeg' | 'ffprobe'): ToolCalls & { restore(): void } {
  const counted = toolCalls(dir, tool);
  const name = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const saved = process.env[name];
  process.env[name] = counted.wrapper;
  resetToolPaths();
  return {
    ...counted,
    restore: () => {
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
      resetToolPaths();
    },
  };
}

/**
 * A suite's set-up for counting ffmpeg with nothing known beforehand: a scratch folder, ffmpeg
 * through the counting wrapper, media facts forgotten before each test; all undone after the suite.
 */
export function countedFfmpegSuite(prefix: string): { dir(): string; calls(): string[] } {
  let dir = '';
  let counted: ReturnType<typeof countInProcess> | undefined;
  beforeAll(async () => {
    dir = await tempDir(prefix);
    counted = countInProcess(dir, 'ffmpeg');
  });
  afterAll(async () => {
    counted?.restore();
    forgetMediaFacts();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => forgetMediaFacts());
  return { dir: () => dir, calls: () => counted?.calls() ?? [] };
}
