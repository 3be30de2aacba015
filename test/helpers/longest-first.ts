// Test files start longest first, so the run does not end on one long file started last while the
// other workers sit idle. vitest does this from its own cache of the last run, which a clean clone
// (CI) does not have: there it falls back to file size, and the longest files are not the largest.
// test/durations.json keeps seconds per file from a whole run (refresh it after one with
// `npx tsx test/helpers/longest-first.ts`); a file it does not know starts first.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const TABLE = path.resolve(import.meta.dirname, '../durations.json');

function table(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(TABLE, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const known = table();

    const root = this.ctx.config.root;
    const seconds = (spec: TestSpecification) => {
      const key = path.relative(root, spec.moduleId).split(path.sep).join('/');
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${key}`)?.duration;
      return cached !== undefined ? cached / 1000 : (known[key] ?? Infinity);
    };
    return [...files].sort((a, b) => {
      const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (group) return group;
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1;
      return seconds(b) - seconds(a);
    });
  }
}

// Refreshing the table from vitest's own record of the last run (what it sorts by where it has one):
// a file's whole time, its beforeAll and afterAll included. The JSON report's times start at a
// file's first test, so a file that works in beforeAll (a render, a hundred CLI runs) looked short
// there and started last.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const root = path.resolve(import.meta.dirname, '../..');
  const caches = path.join(root, 'node_modules/.vite/vitest');
  const file = process.argv[2] ?? path.join(caches, readdirSync(caches)[0]!, 'results.json');
  const { results } = JSON.parse(readFileSync(file, 'utf8')) as {
    results: [string, { duration?: number }][];
  };
  const seconds = results
    .map(([key, r]) => [key.slice(key.indexOf(':') + 1), Math.round((r.duration ?? 0) / 100) / 10] as const)
    .sort((a, b) => b[1] - a[1]);
  writeFileSync(TABLE, JSON.stringify(Object.fromEntries(seconds), null, 2) + '\n');
}
