// `npm run bench [-- name-filter]`: runs every test/bench/*.bench.ts in sequence (one at a time, so
// figures are not skewed by each other), prints a table and writes test-output/bench.json.
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchRow } from './types';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../../test-output');

interface Result {
  bench: string;
  file: string;
  rows: BenchRow[];
  error?: string;
  seconds: number;
}

async function main(): Promise<number> {
  const filter = process.argv.slice(2).join(' ').trim();
  const files = (await readdir(here))
    .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
    .sort();
  if (files.length === 0) {
    console.error(`no benches${filter ? ` matching "${filter}"` : ''} in ${here}`);
    return 1;
  }
  const results: Result[] = [];
  for (const file of files) {
    const started = performance.now();
    let bench: Bench | undefined;
    try {
      bench = ((await import(pathToFileURL(path.join(here, file)).href)) as { default: Bench }).default;
      console.error(`▶ ${bench.name} (${file})`);
      const rows = await bench.run();
      results.push({ bench: bench.name, file, rows, seconds: (performance.now() - started) / 1000 });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      console.error(`✖ ${bench?.name ?? file}: ${error}`);
      results.push({
        bench: bench?.name ?? file,
        file,
        rows: [],
        error,
        seconds: (performance.now() - started) / 1000,
      });
    }
  }
  console.log(table(results));
  await mkdir(outDir, { recursive: true });
  const json = path.join(outDir, 'bench.json');
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '',
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
  const tmp = `${json}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2) + '\n');
  await rename(tmp, json);
  console.log(`\nwritten ${path.relative(process.cwd(), json)}`);
  return results.some((r) => r.error) ? 1 : 0;
}

function table(results: Result[]): string {
  const fmt = (n: number | undefined, digits = 1) =>
    n === undefined
      ? ''
      : Math.abs(n) >= 100
        ? n.toFixed(0)
        : n.toFixed(Math.abs(n) >= 10 ? digits : digits + 1);
  const rows: string[][] = [['bench', 'metric', 'value', 'baseline', 'ratio', 'note']];
  for (const r of results) {
    if (r.error) rows.push([r.bench, 'FAILED', '', '', '', r.error]);
    for (const row of r.rows) {
      rows.push([
        r.bench,
        row.metric,
        `${fmt(row.value)} ${row.unit}`,
        row.baseline === undefined ? '' : `${fmt(row.baseline)} ${row.unit}`,
        row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
        row.note ?? '',
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return ['', line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join(
    '\n',
  );
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
