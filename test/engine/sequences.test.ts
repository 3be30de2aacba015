// The engine's side of sequences (docs/architecture.md §3.1) on real files: library files are read
// through the project-path resolver, and a plan runs a film of sequences as plain nodes, `--until` an
// instance included. Nothing here renders.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparePlan } from '../../electron/engine/plan';
import { expandSequences, readSequenceDefinition } from '../../electron/engine/sequences';
import { parseGraphValue } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { makeSequence } from '../../shared/graph/sequence';

const REPO = path.resolve(import.meta.dirname, '../..');
const NO_KEYS = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
let dir: string;
let chain: Graph;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-seq-engine-'));
  const parsed = parseGraphValue(
    JSON.parse(readFileSync(path.join(REPO, 'graphs/three-shot-chain.json'), 'utf8')),
  );
  if (!parsed.ok) throw new Error('sample does not parse');
  chain = parsed.graph;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The chain with its first two shots in a library file at `lib/pair.sequence.json`. */
function withLibrary(): Graph {
  const made = makeSequence(chain, ['prompt-1', 'prompt-2', 'shot-1', 'shot-2'], 'Pair');
  mkdirSync(path.join(dir, 'lib'), { recursive: true });
  writeFileSync(path.join(dir, 'lib', 'pair.sequence.json'), JSON.stringify(made.graph.sequences![0]));
  const g = structuredClone({ ...made.graph, sequences: [] });
  g.nodes.find((n) => n.id === 'pair')!.params.sequence = 'lib/pair.sequence.json';
  return g;
}

describe('sequences in the engine', () => {
  it('a library file is read and flattened; its definition can be read to drill in', async () => {
    const g = withLibrary();
    const r = await expandSequences(g, dir);
    expect(r.problems).toEqual([]);
    expect(r.graph.nodes.map((n) => n.id)).toEqual([
      'pair/prompt-1',
      'pair/prompt-2',
      'pair/shot-1',
      'pair/shot-2',
      'prompt-3',
      'shot-3',
      'final-cut',
    ]);
    const def = await readSequenceDefinition(g, dir, 'lib/pair.sequence.json');
    expect(def.ok && def.definition.nodes.length).toBe(4);
    expect(await readSequenceDefinition(g, dir, 'nope')).toMatchObject({ ok: false });
  });

  it('a library file that leaves the project, by path or by symlink, or is a folder, is refused', async () => {
    const g = withLibrary();
    const outside = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-seq-outside-'));
    writeFileSync(
      path.join(outside, 'x.sequence.json'),
      readFileSync(path.join(dir, 'lib', 'pair.sequence.json')),
    );
    symlinkSync(path.join(outside, 'x.sequence.json'), path.join(dir, 'lib', 'link.sequence.json'));
    mkdirSync(path.join(dir, 'lib', 'folder.sequence.json'), { recursive: true });
    for (const ref of [
      '../x.sequence.json',
      'lib/link.sequence.json',
      'lib/folder.sequence.json',
      'lib/none.sequence.json',
    ]) {
      g.nodes.find((n) => n.id === 'pair')!.params.sequence = ref;
      const r = await expandSequences(g, dir);
      expect(r.problems, ref).toEqual([expect.objectContaining({ nodeId: 'pair', field: 'sequence' })]);
      expect(r.problems[0]!.message, ref).toContain(ref);
    }
    // With the user's consent, a file outside the project may be used.
    g.nodes.find((n) => n.id === 'pair')!.params.sequence = 'lib/link.sequence.json';
    expect((await expandSequences(g, dir, { allowOutside: true })).problems).toEqual([]);
    rmSync(outside, { recursive: true, force: true });
  });

  it('a plan runs the flattened film; --until an instance runs what is inside it and what that needs', async () => {
    const graphPath = path.join(dir, 'film.json');
    const g = withLibrary();
    const all = await preparePlan({ graphPath, graph: g, env: NO_KEYS });
    expect(all.ok && all.plan.nodes.length).toBe(7);
    const until = await preparePlan({ graphPath, graph: g, until: 'pair', env: NO_KEYS });
    if (!until.ok) throw new Error(JSON.stringify(until.problems));
    expect(until.plan.nodes.map((n) => n.id).sort()).toEqual([
      'pair/prompt-1',
      'pair/prompt-2',
      'pair/shot-1',
      'pair/shot-2',
    ]);
    const inner = await preparePlan({ graphPath, graph: g, until: 'pair/shot-1', env: NO_KEYS });
    expect(inner.ok && inner.plan.nodes.map((n) => n.id).sort()).toEqual(['pair/prompt-1', 'pair/shot-1']);
    const none = await preparePlan({ graphPath, graph: g, until: 'pai', env: NO_KEYS });
    expect(none).toMatchObject({ ok: false, problems: [expect.objectContaining({ code: 'run.target' })] });
    const only = await preparePlan({ graphPath, graph: g, only: 'pair', env: NO_KEYS });
    expect(only).toMatchObject({ ok: false, problems: [expect.objectContaining({ field: 'only' })] });
  });
});
