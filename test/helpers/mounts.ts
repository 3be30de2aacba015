// Runs the real `shotgraph` command with a folder made read-only or replaced by a tiny disk, inside
// a private mount namespace (unshare): the mounts are real (EROFS, ENOSPC from the kernel), they
// vanish with the process, and nothing else on the machine sees them. Needs root (CI containers
// run as root); `available` says whether this machine can.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, REPO, type CliResult } from './cli';

export type Mount =
  /** `path` becomes read-only (a read-only bind mount of itself). */
  | { readOnly: string }
  /** `path` becomes an empty disk of `kb` KiB, then `seed`'s contents are copied onto it. */
  | { tmpfs: string; kb: number; seed?: string };

function probe(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-mount-probe-'));
  try {
    const r = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', script([{ readOnly: dir }]) + 'true'],
      {
        stdio: 'ignore',
        timeout: 10_000,
      },
    );
    return r.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function script(mounts: Mount[]): string {
  return mounts
    .map((m) =>
      'readOnly' in m
        ? `mount --bind ${q(m.readOnly)} ${q(m.readOnly)} && mount -o remount,ro,bind ${q(m.readOnly)} ${q(m.readOnly)} && `
        : `mount -t tmpfs -o size=${m.kb}k tmpfs ${q(m.tmpfs)} && ${m.seed ? `cp -a ${q(m.seed)}/. ${q(m.tmpfs)}/ && ` : ''}`,
    )
    .join('');
}

export const mountsAvailable = probe();

/** `shotgraph <args>` with `mounts` in place for that process only. */
export function runCliWithMounts(
  mounts: Mount[],
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        `${script(mounts)}exec "$@"`,
        'sh',
        process.execPath,
        CLI,
        ...args,
      ],
      { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
