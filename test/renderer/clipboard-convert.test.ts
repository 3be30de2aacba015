// Copy/paste and graph ⇄ canvas conversion: what the clipboard carries, how a paste is re-keyed,
// and that opening and saving a film loses nothing, unknown fields and node kinds included.
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/schema';
import { copySelection, materialise, parseClip } from '../../renderer/model/clipboard';
import { canvasToGraph, graphToCanvas } from '../../renderer/model/convert';

const GRAPH = {
  format: 'shotgraph',
  version: 2,
  name: 'Harbour',
  settings: { provider: 'animatic' },
  futureField: { keep: [1, 2] },
  nodes: [
    { id: 'prompt', type: 'prompt', position: { x: 0, y: 0 }, params: { text: 'fog' }, scene: 'one' },
    {
      id: 'shot',
      type: 'shot',
      label: 'Opening',
      position: { x: 400.4, y: 9.6 },
      params: { duration: 4 },
      frozen: true,
    },
    { id: 'odd', type: 'hologram', position: { x: 0, y: 300 }, params: { beam: 3 } },
    { id: 'cut', type: 'final_cut', position: { x: 800, y: 0 }, params: { clips: { shot: { gain: -3 } } } },
  ],
  edges: [
    { source: 'prompt', sourcePort: 'text', target: 'shot', targetPort: 'prompt', note: 'kept' },
    { source: 'odd', sourcePort: 'ray', target: 'shot', targetPort: 'reference_images' },
    { source: 'shot', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 0 },
  ],
} as unknown as Graph;

describe('graph ⇄ canvas', () => {
  it('round-trips a film exactly, unknown fields and kinds included (positions rounded)', () => {
    const back = canvasToGraph(graphToCanvas(GRAPH));
    const expected = structuredClone(GRAPH) as unknown as { nodes: { position: { x: number; y: number } }[] };
    expected.nodes[1]!.position = { x: 400, y: 10 };
    expect(back).toEqual(expected);
  });

  it('draws an unknown kind with the ports its wires use, and colours wires by port type', () => {
    const doc = graphToCanvas(GRAPH);
    const odd = doc.nodes.find((n) => n.id === 'odd')!;
    expect(odd.type).toBe('unknown');
    expect(odd.data.kind).toBe('hologram');
    expect(odd.data.ports).toEqual({ inputs: [], outputs: ['ray'] });
    expect(doc.edges.find((e) => e.source === 'prompt')!.data?.portType).toBe('text');
    expect(doc.edges.find((e) => e.source === 'shot')!.data?.portType).toBe('video');
    expect(doc.edges.find((e) => e.source === 'odd')!.data?.portType).toBeUndefined();
  });

  it('places nodes without a position on a grid instead of piling them up', () => {
    const g = structuredClone(GRAPH);
    for (const n of g.nodes) delete (n as { position?: unknown }).position;
    const at = graphToCanvas(g).nodes.map((n) => `${n.position.x},${n.position.y}`);
    expect(new Set(at).size).toBe(at.length);
  });
});

describe('clipboard', () => {
  const doc = graphToCanvas(GRAPH);
  const selected = doc.nodes.map((n) => ({ ...n, selected: n.id === 'prompt' || n.id === 'shot' }));

  it('copies the selected nodes and only the wires between them', () => {
    const clip = copySelection(selected, doc.edges)!;
    expect(clip.nodes.map((n) => n.id)).toEqual(['prompt', 'shot']);
    expect(clip.edges).toHaveLength(1);
    expect(clip.edges[0]).toMatchObject({ source: 'prompt', target: 'shot', targetHandle: 'prompt' });
    expect(copySelection(doc.nodes, doc.edges)).toBeUndefined(); // nothing selected
  });

  it('parses only its own clips from the system clipboard', () => {
    const clip = copySelection(selected, doc.edges)!;
    expect(parseClip(JSON.stringify(clip))).toEqual(clip);
    for (const text of ['', 'fog over the harbour', '{"nodes":[]}', '{"shotgraphClip":1,"nodes":{}}', 'null'])
      expect(parseClip(text), text).toBeUndefined();
  });

  it('pastes with fresh ids, rewired, selected, offset, and deep copies of the data', () => {
    const clip = copySelection(selected, doc.edges)!;
    const made = materialise(clip, doc.nodes, { x: 48, y: 48 });
    const ids = made.nodes.map((n) => n.id);
    expect(ids.some((id) => doc.nodes.some((n) => n.id === id))).toBe(false);
    expect(new Set(ids).size).toBe(2);
    expect(made.nodes.every((n) => n.selected)).toBe(true);
    expect(made.nodes[1]!.position).toEqual({ x: 448.4, y: 57.6 });
    expect(made.edges).toHaveLength(1);
    expect(made.edges[0]).toMatchObject({ source: ids[0], target: ids[1], sourceHandle: 'text' });
    expect(made.edges[0]!.id).toBe(`${ids[0]}:text->${ids[1]}:prompt`);
    made.nodes[1]!.data.params.duration = 9;
    expect(doc.nodes.find((n) => n.id === 'shot')!.data.params.duration).toBe(4);
    // Pasting twice gives two distinct sets of ids.
    const again = materialise(clip, [...doc.nodes, ...made.nodes], { x: 96, y: 96 });
    expect(again.nodes.some((n) => ids.includes(n.id))).toBe(false);
  });
});
