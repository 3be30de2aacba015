// Runs the real `shotgraph` command in a child process, and gives each test its own copy of the
// sample project so caches, journals and films never leak between tests or into the repo.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO, 'bin/shotgraph.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A fresh copy of graphs/ (samples and their media) in a temp folder. */
export function copySamples(prefix = 'shotgraph-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(path.join(REPO, 'graphs'), dir, {
    recursive: true,
    filter: (src) =>
      (!src.includes(`${path.sep}.shotgraph`) && !src.endsWith('.mp4')) ||
      src.includes(`${path.sep}media${path.sep}`),
  });
  return dir;
}

/**
 * Sets every shot of the graph file to the test size: 480p and 4 s, Seedance's smallest. For suites
 * whose point is what is paid, cached, waited for or joined, not the picture's size or length: a shot
 * then costs about a third of a 720p, 5 s one to render and to check, and these suites share one set
 * of cached mock renders (test/mocks/render-cache.ts). A 16:9 film is then 864×496, 4 s a shot.
 */
export function atTestSize(file: string): void {
  const g = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { type: string; params: object }[] };
  for (const n of g.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  writeFileSync(file, JSON.stringify(g, null, 2));
}

/**
 * The environment a CLI run against the Ark mock needs: the mock's address and key, fast polls and
 * retries, and no other gateway key leaking in from the developer's shell.
 */
export function arkMockEnv(url: string, key: string): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
  return {
    ...clean,
    ARK_BASE_URL: url,
    ARK_API_KEY: key,
    SHOTGRAPH_POLL_MS: '30,100',
    SHOTGRAPH_RETRY_MS: '30,200',
  };
}
