// The e2e suite tests what ships: the renderer as `vite build` makes it, served by web mode's
// static handler. Built once per test run (vitest globalSetup), and reused while the sources it
// is made from are unchanged: the output folder is named by a hash of those sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const REPO = path.resolve(import.meta.dirname, '../..');
const BUILDS = path.join(REPO, 'test-output', 'renderer-build');
/** What the bundle is made from: a change in any of these means a new build. */
const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'];

declare module 'vitest' {
  export interface ProvidedContext {
    rendererDir: string;
  }
}

function filesUnder(p: string): string[] {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => filesUnder(path.join(p, d.name)));
}

export function sourcesHash(): string {
  const h = createHash('sha256').update('production build\0');
  for (const file of SOURCES.flatMap((s) => filesUnder(path.join(REPO, s)))) {
    h.update(path.relative(REPO, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** Builds the renderer unless a build of these very sources exists; returns its folder. */
export async function builtRenderer(): Promise<string> {
  const dir = path.join(BUILDS, sourcesHash());
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  const { build } = await import('vite');
  // Into a temporary folder, then renamed: a build stopped half-way is never taken for a whole one.
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(BUILDS, { recursive: true });
  // Vitest sets NODE_ENV=test, and Vite keeps a NODE_ENV it finds: React would be bundled in its
  // development build, which is not what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(REPO, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: tmp, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  // Older builds are of sources that no longer exist.
  for (const old of readdirSync(BUILDS))
    if (!old.endsWith('.tmp')) rmSync(path.join(BUILDS, old), { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('rendererDir', await builtRenderer());
}
