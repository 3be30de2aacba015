// Test files start longest first, so the run does not end on one long file started last while the
// other workers sit idle. vitest does this from its own cache of the last run, which a clean clone
// (CI) does not have: there it falls back to file size, and the longest files are not the largest.
// test/durations.json keeps seconds per file from a whole run (refresh it with
// `npx tsx test/helpers/longest-first.ts <vitest json report>`); a file it does not know starts first.
import { readFileSync, writeFileSync } from 'node:fs';
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

// Refreshing the table from a run's JSON report (`vitest run --reporter=json --outputFile=…`).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const report = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
    testResults: { name: string; startTime: number; endTime: number }[];
  };
  const root = path.resolve(import.meta.dirname, '../..');
  const out: Record<string, number> = {};
  for (const r of report.testResults.sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime)))
    out[path.relative(root, r.name).split(path.sep).join('/')] =
      Math.round((r.endTime - r.startTime) / 100) / 10;
  writeFileSync(TABLE, JSON.stringify(out, null, 2) + '\n');
}
