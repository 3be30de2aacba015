// Issue 13 §5 through the CLI against the mock Ark gateway: `shotgraph batch` renders one film per CSV
// row in one project, so two rows with the same opening shot pay for it once (creates = distinct
// shots); one budget covers the batch and refuses it whole before any create; a bad row refuses it too.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchReport } from '../../electron/engine/batch';
import { probeMedia } from '../../electron/media/probe';
import type { Graph } from '../../shared/graph/schema';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { arkMockEnv, copySamples, runCli } from '../helpers/cli';

const KEY = 'ark-batch-test-9c2e4a6b8d0f1357';
let gw: MockGateway;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 30, runningMs: 80, apiKey: KEY });
  env = arkMockEnv(gw.url, KEY);
});
afterAll(() => gw?.close());

const creates = () => gw.stats().creates;

/** The sample chain, small, with its first two prompts exposed as inputs. */
function film(): { dir: string; file: string } {
  const dir = copySamples('shotgraph-batch-');
  const file = path.join(dir, 'three-shot-chain.json');
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  for (const n of g.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  Object.assign(g, {
    version: 2,
    inputs: [
      { name: 'opening', node: 'prompt-1', field: 'text' },
      { name: 'middle', node: 'prompt-2', field: 'text' },
    ],
  });
  writeFileSync(file, JSON.stringify(g, null, 2));
  return { dir, file };
}

const ROWS = [
  'opening,middle',
  '"A lighthouse at dusk, waves rolling in",The keeper steps out',
  '"A lighthouse at dusk, waves rolling in",The keeper waves at a boat',
  'A lighthouse in a storm,The keeper steps out',
  'A lighthouse at dawn,', // an empty cell keeps the film's own text
].join('\n');

async function batch(dir: string, file: string, rows: string, ...args: string[]) {
  const csv = path.join(dir, `rows-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(csv, rows);
  const reportFile = path.join(dir, `batch-${Math.random().toString(36).slice(2)}.json`);
  const outDir = path.join(dir, 'films');
  const res = await runCli(
    [
      'batch',
      file,
      '--inputs',
      csv,
      '--out-dir',
      outDir,
      '--provider',
      'ark',
      '--report',
      reportFile,
      ...args,
    ],
    { env },
  );
  return { ...res, outDir, report: JSON.parse(readFileSync(reportFile, 'utf8')) as BatchReport };
}

describe('shotgraph batch (mock Ark)', () => {
  it('a budget below the distinct shots refuses the whole batch with 0 creates', async () => {
    const { dir, file } = film();
    const before = creates();
    const r = await batch(dir, file, ROWS, '--budget', '0.5');
    expect(r.code, r.stderr).toBe(1);
    expect(r.report.status).toBe('invalid');
    expect(r.report.distinctShots).toBe(11);
    expect(r.stderr).toMatch(
      /this batch of 4 films would cost about \$[\d.]+ for 11 shots, over the budget of \$0\.50/,
    );
    expect(creates()).toBe(before);
  });

  it('a row with a value its node refuses, or an unknown column, refuses the batch naming the row', async () => {
    const { dir, file } = film();
    const before = creates();
    const long = await batch(dir, file, `opening\nA quiet harbour\n${'x'.repeat(9000)}\n`);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/node "prompt-1", field "text": row 2: input "opening": .*8000/);
    expect(long.stderr).not.toContain('row 1');
    const unknown = await batch(dir, file, 'opening,colour\nA,red\n');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('row 1: no input named "colour"');
    expect(creates()).toBe(before);
  });

  it('4 rows, 2 sharing the opening shot: creates = distinct shots, 4 films, and a re-run pays nothing', async () => {
    const { dir, file } = film();
    const before = creates();
    const r = await batch(dir, file, ROWS, '--budget', '100');
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.status).toBe('succeeded');
    // Rows 1 and 2 share shot 1; every other shot is its own: 3 + 2 + 3 + 3.
    expect(r.report.distinctShots).toBe(11);
    expect(creates() - before).toBe(11);
    expect(r.report.rows.map((x) => [x.row, x.submissions, x.reused])).toEqual([
      [1, 3, 0],
      [2, 2, 1],
      [3, 3, 0],
      [4, 3, 0],
    ]);
    for (const row of r.report.rows) {
      expect(row.output).toBe(path.join(r.outDir, `row-${row.row}.mp4`));
      const probe = await probeMedia(row.output!);
      expect(probe.durationSec).toBeGreaterThan(10);
    }
    // The summary table on stdout, one line per film.
    expect(r.stdout.split('\n')[0]).toMatch(/^row\s+status\s+generated\s+reused\s+cost\s+film$/);
    expect(r.stdout).toMatch(/\n2\s+succeeded\s+2\s+1\s+\$[\d.]+\s+.*row-2\.mp4/);
    expect(JSON.parse(readFileSync(path.join(r.outDir, 'batch.json'), 'utf8')).submissions).toBe(11);

    const again = await batch(dir, file, ROWS, '--budget', '0');
    expect(again.code, again.stderr).toBe(0);
    expect(again.report.distinctShots).toBe(0);
    expect(creates() - before).toBe(11);
  });

  it('a media value in a row is the user’s file beside the CSV, copied into the project', async () => {
    const { dir, file } = film();
    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    g.nodes.push({ id: 'still', type: 'image', params: { file: 'media/harbour-dawn.png' } });
    g.edges.push({ source: 'still', sourcePort: 'image', target: 'shot-1', targetPort: 'first_frame' });
    g.inputs!.push({ name: 'still', node: 'still', field: 'file' });
    writeFileSync(file, JSON.stringify(g, null, 2));
    const mine = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-batch-mine-'));
    copyFileSync(path.join(dir, 'media', 'harbour-dawn.png'), path.join(mine, 'my still.png'));
    const csv = path.join(mine, 'rows.csv');
    writeFileSync(csv, 'still,opening\nmy still.png,A harbour at dawn seen from a boat\nmissing.png,x\n');
    const before = creates();
    const refused = await runCli(['batch', file, '--inputs', csv, '--out-dir', path.join(mine, 'films')], {
      env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('row 2: input "still": "missing.png" does not exist');
    writeFileSync(csv, 'still,opening\nmy still.png,A harbour at dawn seen from a boat\n');
    const ok = await runCli(
      ['batch', file, '--inputs', csv, '--out-dir', path.join(mine, 'films'), '--provider', 'ark'],
      { env },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(creates() - before).toBe(3);
    expect(readdirSync(path.join(dir, 'media')).some((f) => /^my_still-[0-9a-f]{12}\.png$/.test(f))).toBe(
      true,
    );
    // The film itself is unchanged: values only change each row's copy.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(g);
  });

  it('a film that fails does not stop the others; the batch exits 3 and the table says which', async () => {
    const { dir, file } = film();
    const before = creates();
    // The next create (row 1's opening shot) is accepted and then fails at the gateway.
    gw.setFaults({ script: [{ route: 'create', kind: 'fail_task' }], failCode: 'InternalServiceError' });
    let r;
    try {
      r = await batch(dir, file, 'opening\nA pier at night\nA pier at noon\n');
    } finally {
      gw.setFaults({});
    }
    expect(r.code, r.stderr).toBe(3);
    expect(r.report.status).toBe('failed');
    expect(r.report.rows.map((x) => [x.row, x.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    expect(r.stdout).toMatch(/\n1\s+failed\s+/);
    expect(r.stderr).toMatch(/node "shot-1".*row 1: /);
    // Row 1 paid for its opening shot (which failed; the two after it were skipped), row 2 for three.
    expect(creates() - before).toBe(4);
  });
});
