// `render --new-take` touches the graph file only once the run has passed validation and the
// budget: a refused run leaves the file byte for byte as it was, and makes no take.
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listTakes } from '../../electron/engine/takes';
import type { Graph } from '../../shared/graph/schema';
import { copySamples, runCli } from '../helpers/cli';

const NO_KEYS = Object.fromEntries(
  Object.entries(process.env).map(([k, v]) => [k, /_API_KEY$/.test(k) ? '' : v]),
);
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function project(change?: (g: Graph) => void): { dir: string; file: string; before: string } {
  const dir = copySamples('shotgraph-new-take-');
  dirs.push(dir);
  const file = path.join(dir, 'three-shot-chain.json');
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  for (const n of g.nodes)
    if (n.type === 'shot') Object.assign(n.params, { duration: 4, resolution: '480p' });
  change?.(g);
  writeFileSync(file, JSON.stringify(g, null, 2));
  return { dir, file, before: readFileSync(file, 'utf8') };
}

describe('render --new-take', () => {
  it('over the budget: exit 1, nothing submitted, the graph file untouched', async () => {
    const { file, before } = project();
    const res = await runCli(
      ['render', file, '--provider', 'ark', '--budget', '0.01', '--new-take', 'shot-2'],
      {
        env: NO_KEYS,
      },
    );
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/budget/);
    expect(res.stderr).not.toMatch(/take 2 is now active/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await listTakes(file, 'shot-2')).toEqual([]);
  });

  it('an invalid graph: exit 1 naming the problem, the graph file untouched', async () => {
    const { file, before } = project((g) => {
      g.nodes.push({ id: 'still', type: 'image', params: { file: 'media/missing.png' } });
      g.edges.push({ source: 'still', sourcePort: 'image', target: 'shot-1', targetPort: 'first_frame' });
    });
    const res = await runCli(['render', file, '--new-take', 'shot-2'], { env: NO_KEYS });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/still/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a node that is not a shot: exit 1, the graph file untouched', async () => {
    const { file, before } = project();
    const res = await runCli(['render', file, '--new-take', 'prompt-1'], { env: NO_KEYS });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/only shots and keyframes have takes/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a run that passes: the take is recorded and rendered', async () => {
    const { file } = project();
    const res = await runCli(['render', file, '--until', 'shot-1', '--new-take', 'shot-1'], { env: NO_KEYS });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/shot-1: take 2 is now active/);
    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    expect(g.nodes.find((n) => n.id === 'shot-1')!.take).toBe(2);
    expect((await listTakes(file, 'shot-1')).map((t) => [t.take, t.active])).toEqual([[2, true]]);
  });
});
