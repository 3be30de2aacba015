// `shotgraph` starts from a bundle of its sources (bin/cli-bundle.js), never from stale code: on a
// private copy of the command's sources, the first start builds the bundle, later starts use it,
// any edit (to the entry or to a lazily loaded command) is in the very next start, and where no
// bundle can be built the sources run through tsx.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli';

interface Start {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What bin/shotgraph.js said it ran (SHOTGRAPH_CLI_TRACE). */
  ran: string;
}

function start(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Start> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/shotgraph.js'), ...args], {
      cwd: root,
      env: { ...process.env, SHOTGRAPH_CLI: '', ...env, SHOTGRAPH_CLI_TRACE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ran = stderr
        .split('\n')
        .filter((l) => /^shotgraph: (bundle|built bundle|source)/.test(l))
        .join('\n');
      resolve({ code, stdout, stderr, ran });
    });
  });
}

/** The command's sources, copied; node_modules shared with the repository. */
function copyOfSources(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-bundle-'));
  for (const part of ['bin', 'electron', 'shared', 'package.json', 'tsconfig.json'])
    cpSync(path.join(REPO, part), path.join(root, part), { recursive: true });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

const current = (root: string) =>
  JSON.parse(readFileSync(path.join(root, 'dist-cli/current.json'), 'utf8')) as {
    entry: string;
    inputs: Record<string, [number, number]>;
  };

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('a fresh checkout', () => {
  let root: string;
  beforeAll(() => {
    root = copyOfSources();
    roots.push(root);
  });

  it('builds the bundle on the first start and runs it on the next', async () => {
    const first = await start(root, ['--help']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Usage:\n {2}shotgraph render/);
    expect(first.ran).toMatch(/^shotgraph: built bundle .*dist-cli/);
    const entry = path.join(root, 'dist-cli', current(root).entry);
    expect(first.ran).toContain(entry);
    // Every command's own file is recorded, lazily loaded or not, and so is the bundled zod
    // (an upgrade rebuilds the bundle).
    const inputs = Object.keys(current(root).inputs);
    expect(inputs).toEqual(
      expect.arrayContaining(['electron/cli.ts', 'electron/cli/render.ts', 'electron/engine/run.ts']),
    );
    expect(inputs.some((f) => f.includes('node_modules/zod/'))).toBe(true);

    const second = await start(root, ['--help']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.ran).toBe(`shotgraph: bundle ${entry}`);
  });

  it('never runs old code: an edited entry is rebuilt before it runs', async () => {
    const before = current(root).entry;
    edit(path.join(root, 'electron/cli.ts'), 'Usage:', 'Usage (edited):');
    const r = await start(root, ['--help']);
    expect(r.stdout).toMatch(/^Usage \(edited\):/);
    expect(r.ran).toMatch(/^shotgraph: built bundle/);
    expect(current(root).entry).not.toBe(before);
  });

  it('never runs old code: an edit to a lazily loaded command is in the next start', async () => {
    edit(
      path.join(root, 'electron/cli/validate.ts'),
      'export async function validateCommand(args: string[]): Promise<number> {',
      'export async function validateCommand(args: string[]): Promise<number> {\n  console.log("validate, edited");',
    );
    const r = await start(root, ['validate', path.join(root, 'no-such-graph.json')]);
    expect(r.stdout).toContain('validate, edited');
    expect(r.ran).toMatch(/^shotgraph: built bundle/);
  });

  it('rebuilds a bundle whose files were removed', async () => {
    rmSync(path.dirname(path.join(root, 'dist-cli', current(root).entry)), { recursive: true });
    const r = await start(root, ['--help']);
    expect(r.code).toBe(0);
    expect(r.ran).toMatch(/^shotgraph: built bundle/);
    expect(existsSync(path.join(root, 'dist-cli', current(root).entry))).toBe(true);
  });

  it('rebuilds when its manifest is damaged, never trusting it', async () => {
    for (const damaged of ['{"entry": 5, "inputs": {"electron/cli.ts": 3}}', 'not json']) {
      writeFileSync(path.join(root, 'dist-cli/current.json'), damaged);
      const r = await start(root, ['--help']);
      expect(r.code).toBe(0);
      expect(r.ran).toMatch(/^shotgraph: built bundle/);
    }
  });

  it('SHOTGRAPH_CLI=source runs the sources through tsx', async () => {
    const r = await start(root, ['--help'], { SHOTGRAPH_CLI: 'source' });
    expect(r.stdout).toMatch(/^Usage \(edited\):/);
    expect(r.ran).toBe('shotgraph: source through tsx');
  });
});

describe('where no bundle can be built', () => {
  it('runs the sources through tsx, edits included', async () => {
    const root = copyOfSources();
    roots.push(root);
    writeFileSync(path.join(root, 'dist-cli'), 'not a folder'); // so nothing can be written there
    edit(path.join(root, 'electron/cli.ts'), 'Usage:', 'Usage (from source):');
    const r = await start(root, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage \(from source\):/);
    expect(r.ran).toMatch(/^shotgraph: source \(no bundle: .*\)\nshotgraph: source through tsx$/);
  });
});

describe('installing', () => {
  it('`npm install` builds the bundle (prepare), so the first start compiles nothing', async () => {
    const root = copyOfSources();
    roots.push(root);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.prepare).toBe('node bin/cli-bundle.js');
    const prepare = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/cli-bundle.js'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(prepare.code).toBe(0);
    expect(prepare.out).toMatch(/command bundle built/);
    const r = await start(root, ['--help']);
    expect(r.ran).toMatch(/^shotgraph: bundle /);
  });

  it('three first starts at once all run, and leave one complete bundle current', async () => {
    const root = copyOfSources();
    roots.push(root);
    const runs = await Promise.all([1, 2, 3].map(() => start(root, ['--help'])));
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage:/);
    }
    expect(existsSync(path.join(root, 'dist-cli', current(root).entry))).toBe(true);
    expect((await start(root, ['--help'])).ran).toMatch(/^shotgraph: bundle /);
  });
});
