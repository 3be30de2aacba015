// Issues 4 and 6 against the mock Ark gateway, through the CLI: an unchanged shot is never paid
// for twice, edits pay for exactly what they change, the estimate and budget come before any
// create, and with the gateway gone a cached film still re-renders locally.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { probeMedia } from '../../electron/media/probe';
import type { Graph } from '../../shared/graph/schema';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { arkMockEnv, copySamples, runCli } from '../helpers/cli';

const KEY = 'ark-cache-test-6b2e9d1f0a7c4e3b8d5f';
let gw: MockGateway;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 50, runningMs: 150, apiKey: KEY });
  env = arkMockEnv(gw.url, KEY);
});
afterAll(() => gw?.close());

const creates = () => gw.stats().creates;

async function render(
  file: string,
  ...args: string[]
): Promise<RunReport & { code: number | null; stderr: string }> {
  const reportFile = path.join(path.dirname(file), `r-${Math.random().toString(36).slice(2)}.json`);
  const res = await runCli(['render', file, '--provider', 'ark', '--report', reportFile, ...args], { env });
  return Object.assign(JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport, {
    code: res.code,
    stderr: res.stderr,
  });
}

function edit(file: string, change: (g: Graph) => void): void {
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  change(g);
  writeFileSync(file, JSON.stringify(g, null, 2));
}

describe('never pay for the same shot twice (mock Ark gateway)', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = copySamples('shotgraph-gw-cache-');
    file = path.join(dir, 'three-shot-chain.json');
  });

  it('estimate: three 5 s 720p shots on seedance-2.0 are 3 × 108,900 tokens, $2.29', async () => {
    const res = await runCli(['estimate', file, '--provider', 'ark'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.match(/108,900/g)).toHaveLength(3);
    expect(res.stdout).toMatch(/Total: \$2\.29 \(326,700 tokens\)/);
  });

  it('--budget 1 refuses to start and makes 0 creates', async () => {
    const before = creates();
    const r = await render(file, '--budget', '1');
    expect(r.code).toBe(1);
    expect(r.status).toBe('invalid');
    expect(r.problems[0]).toMatchObject({ code: 'run.budget', field: 'budget' });
    expect(r.stderr).toMatch(/\$2\.29.*budget of \$1\.00/);
    expect(creates()).toBe(before);
  });

  it('renders with exactly 3 creates and records the spend from the gateway’s usage', async () => {
    const before = creates();
    const r = await render(file, '--budget', '5');
    expect(r.code, r.stderr).toBe(0);
    expect(creates() - before).toBe(3);
    expect(r.estimatedCostUsd).toBeCloseTo(2.2869, 3);
    expect(r.costUsd).toBeCloseTo(2.2869, 3);
    expect(r.nodes['shot-1']!.tokens).toBe(108900);
  });

  it('once one shot is cached, the estimate is two thirds', async () => {
    edit(file, (g) => {
      g.nodes.find((n) => n.id === 'prompt-2')!.params.text = 'The keeper steps out, holding a lantern.';
    });
    const res = await runCli(['estimate', file, '--provider', 'ark', '--json'], { env });
    const est = JSON.parse(res.stdout) as { totalUsd: number; shots: { nodeId: string; cached: boolean }[] };
    expect(est.shots.filter((s) => s.cached).map((s) => s.nodeId)).toEqual(['shot-1']);
    expect(est.totalUsd).toBeCloseTo((2 * 108900 * 7) / 1e6, 4);
  });

  it('changing shot 2’s prompt makes exactly 2 creates', async () => {
    const before = creates();
    const r = await render(file);
    expect(r.code, r.stderr).toBe(0);
    expect(creates() - before).toBe(2);
    expect(r.nodes['shot-1']!.cached).toBe(true);
  });

  it('an unchanged re-render makes 0 creates and reports every node cached', async () => {
    const before = creates();
    const r = await render(file);
    expect(creates()).toBe(before);
    expect(Object.values(r.nodes).every((n) => n.cached)).toBe(true);
  });

  it('changing only the final cut makes 0 creates', async () => {
    const before = creates();
    edit(file, (g) => {
      g.nodes.find((n) => n.type === 'final_cut')!.params.transitions = {
        'shot-2': { type: 'crossfade', duration: 1 },
      };
    });
    const r = await render(file);
    expect(r.code, r.stderr).toBe(0);
    expect(creates()).toBe(before);
    expect((await probeMedia(r.output!)).durationSec).toBeCloseTo(14, 1);
  });

  it('a copy of the project elsewhere makes 0 creates', async () => {
    const moved = copySamples('shotgraph-gw-moved-');
    cpSync(dir, moved, { recursive: true });
    const before = creates();
    const r = await render(path.join(moved, 'three-shot-chain.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(creates()).toBe(before);
  });

  it('with the gateway stopped, a cached film re-renders with a new timeline and no network call', async () => {
    const requestsBefore = gw.stats().log.length;
    await gw.close();
    edit(file, (g) => {
      g.nodes.find((n) => n.type === 'final_cut')!.params.transitions = {
        'shot-2': { type: 'fade_black', duration: 1 },
        'shot-3': { type: 'crossfade', duration: 1 },
      };
    });
    const r = await render(file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.submissions).toBe(0);
    expect((await probeMedia(r.output!)).durationSec).toBeCloseTo(13, 1);
    expect(gw.stats().log.length).toBe(requestsBefore);
  });
});
