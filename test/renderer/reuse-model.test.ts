// The editor's pure logic for reusable films: input declarations from the expose toggle, what Run
// with… sends, a batch card's progress, and the composition of a film with a sequence opened.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGraphValue } from '../../shared/graph/parse';
import { makeSequence } from '../../shared/graph/sequence';
import type { Graph } from '../../shared/graph/schema';
import { canvasToGraph, graphToCanvas } from '../../renderer/model/convert';
import { declsOf, renamed, suggestName, toggled } from '../../renderer/model/inputs';
import { composeGraph, enter, leave, type ScopedDoc } from '../../renderer/model/scope';
import { foldBatchEvent, foldBatchRow, type BatchFilm } from '../../renderer/stores/batch';
import { changedValues } from '../../renderer/stores/run-with';

const chain = (): Graph => {
  const raw = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../graphs/three-shot-chain.json'), 'utf8'),
  );
  const parsed = parseGraphValue(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.graph;
};

describe('expose as input', () => {
  const prompt = { id: 'prompt-1', kind: 'prompt', label: 'Product line' };
  const shot = { id: 'shot-2', kind: 'shot' };

  it('names an input after the node, with the field unless it is the main one, never twice', () => {
    expect(suggestName([], prompt, 'text')).toBe('product-line');
    expect(suggestName([], shot, 'duration')).toBe('shot-2-duration');
    const taken = [{ name: 'product-line', node: 'x', field: 'text' }];
    expect(suggestName(taken, prompt, 'text')).toBe('product-line-2');
  });

  it('toggles a field on and off, and renames without clashing', () => {
    const on = toggled([], prompt, 'text');
    expect(on).toEqual([{ name: 'product-line', node: 'prompt-1', field: 'text' }]);
    const two = toggled(on, shot, 'duration');
    expect(toggled(two, prompt, 'text')).toEqual([
      { name: 'shot-2-duration', node: 'shot-2', field: 'duration' },
    ]);
    expect(renamed(two, 'product-line', 'shot-2-duration')).toBeNull();
    expect(renamed(two, 'product-line', '  ')).toBeNull();
    expect(renamed(two, 'product-line', 'tagline')![0]!.name).toBe('tagline');
    expect(declsOf({ inputs: 'not a list' })).toEqual([]);
  });
});

describe('Run with…', () => {
  it('sends only the values that differ from what the film renders anyway', () => {
    const inputs = [
      { name: 'a', node: 'n', field: 'text', type: 'text' as const, default: 'x' },
      { name: 'b', node: 'n', field: 'duration', type: 'number' as const, default: '5' },
    ];
    expect(changedValues({ inputs, values: { a: 'x', b: '5' } })).toEqual({});
    expect(changedValues({ inputs, values: { a: 'y', b: '5', ghost: 'z' } })).toEqual({ a: 'y' });
  });
});

describe('batch cards', () => {
  const films: BatchFilm[] = [
    { row: 1, name: 'row-1', values: {}, total: 0, done: 0, report: null },
    { row: 2, name: 'row-2', values: {}, total: 0, done: 0, report: null },
  ];
  it('counts a row’s finished nodes from its own events only', () => {
    let f = foldBatchEvent(films, 2, { type: 'run-start', runId: 'r', nodes: ['a', 'b', 'c'] } as never);
    f = foldBatchEvent(f, 2, { type: 'node-cached', nodeId: 'a', outputs: {} } as never);
    f = foldBatchEvent(f, 2, { type: 'node-started', nodeId: 'b' } as never);
    expect(f.map((x) => [x.total, x.done])).toEqual([
      [0, 0],
      [3, 1],
    ]);
    f = foldBatchRow(f, 2, { status: 'succeeded', submissions: 0, problems: [], output: 'b/row-2.mp4' });
    expect(f[1]).toMatchObject({ done: 3, report: { output: 'b/row-2.mp4' } });
  });
});

describe('drilling into a sequence', () => {
  const made = makeSequence(chain(), ['prompt-2', 'shot-2'], 'Keeper');
  const doc = (): ScopedDoc => ({ ...graphToCanvas(made.graph), scope: null });

  it('shows the definition’s nodes and keeps the film around it', () => {
    const inside = enter(doc(), made.instanceId);
    if (typeof inside === 'string') throw new Error(inside);
    expect(inside.nodes.map((n) => n.id).sort()).toEqual(['prompt-2', 'shot-2']);
    expect(inside.scope.outer.nodes.map((n) => n.id)).toContain(made.instanceId);
    expect(enter(doc(), 'shot-1')).toMatch(/not a sequence/);
  });

  it('writes edits inside back into the definition; the film file is the same composition', () => {
    const outside = doc();
    const inside = enter(outside, made.instanceId);
    if (typeof inside === 'string') throw new Error(inside);
    // Unchanged: the composed film is the film.
    expect(composeGraph({ ...outside, ...inside })).toEqual(canvasToGraph(outside));
    const edited = inside.nodes.map((n) =>
      n.id === 'prompt-2' ? { ...n, data: { ...n.data, params: { text: 'A new line' } } } : n,
    );
    const scoped = { ...outside, ...inside, nodes: edited };
    const film = composeGraph(scoped) as Graph & { sequences: { nodes: Graph['nodes'] }[] };
    expect(film.sequences[0]!.nodes.find((n) => n.id === 'prompt-2')!.params).toEqual({ text: 'A new line' });
    expect(film.nodes.map((n) => n.id)).toContain(made.instanceId);
    const back = leave(scoped);
    expect(back.scope).toBeNull();
    expect(back.nodes.map((n) => n.id)).toEqual(outside.nodes.map((n) => n.id));
    expect(composeGraph({ ...outside, ...back })).toEqual(film);
  });
});
