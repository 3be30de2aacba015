// Issue 4: never generate an unchanged shot twice; edits re-run exactly what they affect.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { listTakes } from '../../electron/engine/takes';
import type { Graph } from '../../shared/graph/schema';
import { copySamples, runCli } from '../helpers/cli';

const NO_KEYS = {
  ARK_API_KEY: '',
  SEED2_API_KEY: '',
  APIFRAME_API_KEY: '',
  XINGCHAO_API_KEY: '',
  INFERENCE_API_KEY: '',
};

/** The sample chain at 480p / 4 s, so these suites stay quick; the cache logic is the same. */
function smallChain(): { dir: string; file: string } {
  const dir = copySamples('shotgraph-cache-');
  const file = path.join(dir, 'chain.json');
  const g = JSON.parse(readFileSync(path.join(dir, 'three-shot-chain.json'), 'utf8')) as Graph;
  for (const n of g.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  writeFileSync(file, JSON.stringify(g, null, 2));
  return { dir, file };
}

function edit(file: string, change: (g: Graph) => void): void {
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  change(g);
  writeFileSync(file, JSON.stringify(g, null, 2));
}

async function render(file: string, ...args: string[]): Promise<RunReport> {
  const reportFile = path.join(path.dirname(file), `report-${Math.random().toString(36).slice(2)}.json`);
  const res = await runCli(['render', file, '--report', reportFile, ...args], { env: NO_KEYS });
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
  if (report.status !== 'invalid') expect(res.code, res.stderr).toBe(report.status === 'succeeded' ? 0 : 3);
  return Object.assign(report, { stderr: res.stderr, code: res.code });
}

const generated = (r: RunReport) =>
  Object.entries(r.nodes)
    .filter(([, n]) => n.status === 'succeeded' && n.take !== undefined)
    .map(([id]) => id)
    .sort();

describe('content cache', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    ({ dir, file } = smallChain());
    const first = await render(file);
    expect(first.submissions).toBe(3);
  });

  it('an unchanged re-run makes 0 submissions and reports every node cached', async () => {
    const r = await render(file);
    expect(r.submissions).toBe(0);
    expect(Object.values(r.nodes).every((n) => n.cached)).toBe(true);
  });

  it('editing shot 2 of 3 re-runs exactly shots 2 and 3', async () => {
    edit(file, (g) => {
      g.nodes.find((n) => n.id === 'prompt-2')!.params.text = 'The keeper steps out, holding a lantern.';
    });
    const r = await render(file);
    expect(r.submissions).toBe(2);
    expect(generated(r)).toEqual(['shot-2', 'shot-3']);
    expect(r.nodes['shot-1']!.cached).toBe(true);
  });

  it('reordering the final cut makes 0 submissions but a new film', async () => {
    edit(file, (g) => {
      for (const e of g.edges) if (e.targetPort === 'clips') e.order = 2 - (e.order ?? 0);
    });
    const r = await render(file);
    expect(r.submissions).toBe(0);
    expect(r.nodes['final-cut']!.cached).toBe(false);
  });

  it('a copy of the project elsewhere still hits the cache', async () => {
    const moved = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-moved-'));
    cpSync(dir, moved, { recursive: true });
    const r = await render(path.join(moved, 'chain.json'));
    expect(r.submissions).toBe(0);
  });

  it('--until runs a shot and only what it needs', async () => {
    const { file: fresh } = smallChain();
    const r = await render(fresh, '--until', 'shot-2');
    expect(r.submissions).toBe(2);
    expect(Object.keys(r.nodes).sort()).toEqual(['prompt-1', 'prompt-2', 'shot-1', 'shot-2']);
  });

  it('--only refuses a node whose inputs were never made, naming the input', async () => {
    const { file: fresh } = smallChain();
    const r = await render(fresh, '--only', 'shot-3');
    expect(r.status).toBe('invalid');
    expect(r.problems[0]).toMatchObject({ nodeId: 'shot-3', field: 'only' });
    expect(r.problems.map((p) => p.message).join()).toMatch(/shot-2/);
    expect(r.submissions).toBe(0);
  });

  it('--new-take regenerates a shot, keeps the earlier take, and downstream follows', async () => {
    const r = await render(file, '--new-take', 'shot-2');
    expect(generated(r)).toEqual(['shot-2', 'shot-3']);
    expect(r.nodes['shot-2']!.take).toBe(2);
    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    expect(g.nodes.find((n) => n.id === 'shot-2')!.take).toBe(2);
    const takes = await listTakes(file, 'shot-2');
    expect(takes.map((t) => [t.take, t.active])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('a frozen shot keeps its output whatever changes upstream', async () => {
    edit(file, (g) => {
      g.nodes.find((n) => n.id === 'shot-1')!.frozen = true;
      g.nodes.find((n) => n.id === 'prompt-1')!.params.text = 'A completely different opening.';
    });
    const r = await render(file);
    expect(r.submissions).toBe(0);
    expect(r.nodes['shot-1']!.cached).toBe(true);
  });
});

describe('cost', () => {
  it('estimate prints the animatic as free', async () => {
    const { file } = smallChain();
    const res = await runCli(['estimate', file], { env: NO_KEYS });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Total: \$0\.00/);
  });

  it('the run history logs every run’s events', async () => {
    const { dir, file } = smallChain();
    await render(file, '--until', 'shot-1');
    await render(file, '--until', 'shot-1');
    const lines = readFileSync(path.join(dir, '.shotgraph/history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { runId: string; type: string; nodeId?: string });
    const runs = new Set(lines.map((l) => l.runId));
    expect(runs.size).toBe(2);
    expect(lines.filter((l) => l.type === 'node-succeeded' && l.nodeId === 'shot-1')).toHaveLength(1);
    expect(lines.filter((l) => l.type === 'node-cached' && l.nodeId === 'shot-1')).toHaveLength(1);
  });
});
