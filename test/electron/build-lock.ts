// Tests that build into the repository's dist/ and dist-electron/ and then read them (npm start,
// npm run dist) take turns: vite empties dist/renderer as it builds, so a parallel test file
// would fetch a page from a half-written folder.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { lock } from 'proper-lockfile';

export const REPO = path.resolve(import.meta.dirname, '../..');

export async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const id = createHash('sha256').update(REPO).digest('hex').slice(0, 12);
  const release = await lock(path.join(REPO, 'package.json'), {
    lockfilePath: path.join(os.tmpdir(), `shotgraph-build-${id}.lock`),
    stale: 60_000, // the holder's event loop stays free: builds run as async child processes
    retries: { retries: 2000, minTimeout: 200, maxTimeout: 1000 },
  });
  try {
    return await work();
  } finally {
    await release();
  }
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}
