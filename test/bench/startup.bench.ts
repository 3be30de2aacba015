// How long the command takes before it does anything, against starting Node itself in the same run:
// `shotgraph --help`, and `render` up to its first answer (a graph file that does not exist, so
// what is measured is loading the render command), from the bundle and, for comparison, from the
// TypeScript sources through tsx (what every start cost before the bundle).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runMeasured } from './cpu';
import { median, type Bench, type BenchRow } from './types';

const REPO = path.resolve(import.meta.dirname, '../..');
const RUNS = 7;

async function medianStart(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ ms: number; mb?: number }> {
  const ms: number[] = [];
  const mb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await runMeasured(process.execPath, args, { cwd: REPO, env: { ...process.env, ...env } });
    ms.push(r.wallMs);
    if (r.peakRssMb !== undefined) mb.push(r.peakRssMb);
  }
  return { ms: median(ms), ...(mb.length ? { mb: median(mb) } : {}) };
}

const bench: Bench = {
  name: 'start-up',
  async run(): Promise<BenchRow[]> {
    const cli = path.join(REPO, 'bin/shotgraph.js');
    // Make sure the bundle is current, so the first measured start does not build it.
    await runMeasured(process.execPath, [cli, '--help'], { cwd: REPO });
    const current = JSON.parse(readFileSync(path.join(REPO, 'dist-cli/current.json'), 'utf8')) as {
      inputs: object;
    };
    const node = await medianStart(['-e', '0']);
    const rows: BenchRow[] = [
      { metric: `node -e 0 (median of ${RUNS})`, value: Math.round(node.ms), unit: 'ms' },
    ];
    const missing = path.join(REPO, 'no-such-graph.json');
    const cases: [string, string[], NodeJS.ProcessEnv][] = [
      ['shotgraph --help (bundle)', [cli, '--help'], {}],
      ['shotgraph render, up to its first answer (bundle)', [cli, 'render', missing], {}],
      ['shotgraph --help (sources through tsx, as before)', [cli, '--help'], { SHOTGRAPH_CLI: 'source' }],
      [
        'shotgraph render, up to its first answer (tsx)',
        [cli, 'render', missing],
        { SHOTGRAPH_CLI: 'source' },
      ],
    ];
    for (const [metric, args, env] of cases) {
      const r = await medianStart(args, env);
      rows.push({
        metric: `${metric} (median of ${RUNS})`,
        value: Math.round(r.ms),
        unit: 'ms',
        baseline: Math.round(node.ms),
        ratio: r.ms / node.ms,
        note: `+${Math.round(r.ms - node.ms)} ms over node${r.mb !== undefined ? `; peak RSS ${Math.round(r.mb)} MB` : ''}`,
      });
    }
    rows.push({
      metric: 'source files the bundle was built from (stat’ed at every start)',
      value: Object.keys(current.inputs).length,
      unit: 'files',
    });
    return rows;
  },
};

export default bench;
