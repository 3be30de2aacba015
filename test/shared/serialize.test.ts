// Saved files must diff well: fixed key order, 2-space indent, and a save of a loaded save is
// byte-identical to it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGraphText } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { CORPUS_DIR } from '../corpus/make-media';

function parse(text: string): Graph {
  const r = parseGraphText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

// Keys deliberately in the "wrong" order everywhere, nested objects included.
const shuffled = {
  edges: [
    {
      order: 0,
      targetPort: 'reference_images',
      target: 's1',
      sourcePort: 'image',
      source: 'img1',
      note: 'x',
    },
  ],
  nodes: [
    { params: { text: 'dusk' }, type: 'prompt', id: 'p1' },
    {
      params: { sha256: 'a'.repeat(64), file: 'media/a.png' },
      position: { y: 2, x: 1 },
      type: 'image',
      id: 'img1',
    },
    {
      take: 2,
      frozen: true,
      params: { watermark: false, seed: 7, duration: 5, model: 'seedance-2.0', extra: { z: 1, a: 2 } },
      position: { y: 0, x: 300 },
      scene: 'Opening',
      label: 'Wide',
      type: 'shot',
      id: 's1',
      zeta: 1,
      alpha: 2,
    },
  ],
  settings: { concurrency: 2, provider: 'mock', custom: true },
  inputs: [{ default: 'dusk', field: 'text', node: 'p1', description: 'The mood', name: 'mood', note: 1 }],
  name: 'Film',
  version: 2,
  format: 'shotgraph',
  extraTop: 1,
};

const keysInOrder = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]);

describe('serializeGraph', () => {
  it('is stable: serialize(parse(serialize(g))) is byte-identical', () => {
    const once = serializeGraph(shuffled as unknown as Graph);
    expect(serializeGraph(parse(once))).toBe(once);
    const viaParse = serializeGraph(parse(JSON.stringify(shuffled)));
    expect(viaParse).toBe(once);
  });

  it('is stable for every graph in the corpus that parses', () => {
    for (const file of ['valid.json', 'valid-v0.json', 'cycle.json', 'node-kind-unknown.json']) {
      const g = parse(readFileSync(path.join(CORPUS_DIR, file), 'utf8'));
      const once = serializeGraph(g);
      expect(serializeGraph(parse(once))).toBe(once);
    }
  });

  it('writes keys in a fixed order: known keys first, the rest sorted', () => {
    const text = serializeGraph(shuffled as unknown as Graph);
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual([
      'format',
      'version',
      'name',
      'settings',
      'inputs',
      'nodes',
      'edges',
      'extraTop',
    ]);
    expect(Object.keys(doc.inputs[0])).toEqual(['name', 'description', 'node', 'field', 'default', 'note']);
    expect(Object.keys(doc.settings)).toEqual(['concurrency', 'custom', 'provider']);
    expect(Object.keys(doc.nodes[2])).toEqual([
      'id',
      'type',
      'label',
      'scene',
      'position',
      'frozen',
      'take',
      'params',
      'alpha',
      'zeta',
    ]);
    expect(Object.keys(doc.nodes[2].params)).toEqual(['duration', 'extra', 'model', 'seed', 'watermark']);
    expect(Object.keys(doc.nodes[2].params.extra)).toEqual(['a', 'z']);
    expect(Object.keys(doc.nodes[1].position)).toEqual(['x', 'y']);
    expect(Object.keys(doc.edges[0])).toEqual([
      'source',
      'sourcePort',
      'target',
      'targetPort',
      'order',
      'note',
    ]);
    expect(keysInOrder(text, /^ {2}"(\w+)"/gm)).toEqual(Object.keys(doc));
  });

  it('uses 2-space indent and ends with a newline', () => {
    const text = serializeGraph(parse(JSON.stringify(shuffled)));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "shotgraph",');
  });

  it('keeps node order and edge order as given (multi-input order matters)', () => {
    const g = parse(JSON.stringify(shuffled));
    const doc = JSON.parse(serializeGraph(g));
    expect(doc.nodes.map((n: { id: string }) => n.id)).toEqual(['p1', 'img1', 's1']);
  });
});
