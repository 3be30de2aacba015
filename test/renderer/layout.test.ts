// Auto-layout with the real ELK (in-process build of the same algorithm the editor runs in a
// worker): wires run left to right, chains read in cut order, inputs sit beside their shots.
import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/schema';
import { graphToCanvas } from '../../renderer/model/convert';
import { cutOrder, filmGraph, layoutPositions } from '../../renderer/model/layout';

const elk = new ELK();
const W = 260;

function film(shots: number, opts: { chained?: boolean; cutOrder?: number[]; promptPerShot?: boolean } = {}) {
  const g: Graph = { format: 'shotgraph', version: 2, name: 't', nodes: [], edges: [] };
  // Stacked in one column, as the old layout left them: every frame wire looped back.
  g.nodes.push({ id: 'cut', type: 'final_cut', position: { x: 0, y: 0 }, params: {} });
  for (let s = 0; s < shots; s++) {
    g.nodes.push({ id: `s${s}`, type: 'shot', position: { x: 0, y: 200 * s }, params: {} });
    if (opts.promptPerShot) {
      g.nodes.push({
        id: `p${s}`,
        type: 'prompt',
        position: { x: 0, y: 9000 + s },
        params: { text: `${s}` },
      });
      g.edges.push({ source: `p${s}`, sourcePort: 'text', target: `s${s}`, targetPort: 'prompt' });
    }
    if (opts.chained && s > 0)
      g.edges.push({
        source: `s${s - 1}`,
        sourcePort: 'last_frame',
        target: `s${s}`,
        targetPort: 'first_frame',
      });
    g.edges.push({
      source: `s${s}`,
      sourcePort: 'video',
      target: 'cut',
      targetPort: 'clips',
      order: opts.cutOrder?.[s] ?? s,
    });
  }
  return graphToCanvas(g);
}

async function laidOut(doc: ReturnType<typeof film>) {
  const at = await layoutPositions(elk, doc.nodes, doc.edges);
  const pos = (id: string) => {
    const p = at.get(id);
    if (!p) throw new Error(`no position for ${id}`);
    return p;
  };
  return { at, pos };
}

describe('auto-layout (ELK layered)', () => {
  it('lays a chain of shots left to right, so no frame wire loops back', async () => {
    const doc = film(6, { chained: true, promptPerShot: true });
    const { at, pos } = await laidOut(doc);
    expect(at.size).toBe(doc.nodes.length);
    for (let s = 1; s < 6; s++) expect(pos(`s${s}`).x).toBeGreaterThanOrEqual(pos(`s${s - 1}`).x + W);
    // Every wire leaves its source's right side and enters its target's left side.
    for (const e of doc.edges) expect(pos(e.target).x, e.id).toBeGreaterThanOrEqual(pos(e.source).x + W);
    expect(pos('cut').x).toBeGreaterThan(pos('s5').x);
  });

  it('puts each shot’s prompt beside it: the column just before, not all at the far left', async () => {
    const doc = film(5, { chained: true, promptPerShot: true });
    const { pos } = await laidOut(doc);
    for (let s = 1; s < 5; s++) {
      expect(pos(`p${s}`).x).toBeLessThan(pos(`s${s}`).x);
      expect(pos(`p${s}`).x).toBeGreaterThan(pos(`s${s - 1}`).x - W);
    }
  });

  it('stacks unchained shots in cut order, first shot on top', async () => {
    // Document order s0..s4, but the cut plays s3, s1, s4, s0, s2.
    const order = [3, 1, 4, 0, 2];
    const doc = film(5, { cutOrder: order });
    const { pos } = await laidOut(doc);
    const byCut = [0, 1, 2, 3, 4].sort((a, b) => order[a]! - order[b]!).map((s) => pos(`s${s}`).y);
    expect(byCut).toEqual([...byCut].sort((a, b) => a - b));
    expect(new Set(byCut).size).toBe(5);
  });

  it('offers nodes in cut order, each after its inputs', () => {
    const doc = film(3, { chained: true, promptPerShot: true, cutOrder: [0, 1, 2] });
    expect(cutOrder(doc.nodes, doc.edges).map((n) => n.id)).toEqual([
      'p0',
      's0',
      'p1',
      's1',
      'p2',
      's2',
      'cut',
    ]);
  });

  it('fixes ports on their sides in the order the node draws them', () => {
    const doc = film(2, { chained: true });
    const shot = filmGraph(doc.nodes, doc.edges).children!.find((c) => c.id === 's1')!;
    expect(shot.layoutOptions?.['elk.portConstraints']).toBe('FIXED_POS');
    const ins = shot.ports!.filter((p) => p.layoutOptions?.['elk.port.side'] === 'WEST');
    const outs = shot.ports!.filter((p) => p.layoutOptions?.['elk.port.side'] === 'EAST');
    expect(ins.length).toBeGreaterThan(2);
    expect(outs.every((p) => p.x === W - 1)).toBe(true);
    const ys = ins.map((p) => p.y ?? -1);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  it('uses the port positions the canvas measured when it has them', () => {
    const doc = film(1);
    const handles = new Map([
      ['s0', { inputs: { prompt: { x: 0, y: 101 } }, outputs: { video: { x: 260, y: 77 } } }],
    ]);
    const shot = filmGraph(doc.nodes, doc.edges, handles).children!.find((c) => c.id === 's0')!;
    expect(shot.ports!.find((p) => p.id.endsWith('\u0000in\u0000prompt'))!.y).toBe(101);
    expect(shot.ports!.find((p) => p.id.endsWith('\u0000out\u0000video'))!.y).toBe(77);
  });

  it('finishes on a 1,000-shot chain (no recursion to overflow) and on a cycle', async () => {
    const doc = film(1000, { chained: true });
    const order = cutOrder(doc.nodes, doc.edges);
    expect(order.length).toBe(1001);
    expect(order.slice(0, 3).map((n) => n.id)).toEqual(['s0', 's1', 's2']);
    // A cycle is an invalid film, but layout must still finish and place every node.
    const cyc = film(3, { chained: true });
    cyc.edges.push({
      ...cyc.edges[1]!,
      id: 'back',
      source: 's2',
      target: 's0',
      sourceHandle: 'last_frame',
      targetHandle: 'first_frame',
    });
    const { at } = await laidOut(cyc);
    expect(at.size).toBe(4);
  });

  it('keeps nodes of an unknown kind and the ports their wires use', async () => {
    const doc = film(1);
    doc.nodes.push({
      id: 'x',
      type: 'unknown',
      position: { x: 0, y: 0 },
      data: { kind: 'mystery', params: {}, extra: {} },
    });
    doc.edges.push({ id: 'x-w', source: 'x', target: 's0', sourceHandle: 'odd', targetHandle: 'prompt' });
    const { pos } = await laidOut(doc);
    expect(pos('s0').x).toBeGreaterThanOrEqual(pos('x').x + W);
  });

  it('snaps positions to the canvas grid', async () => {
    const { at } = await laidOut(film(3, { chained: true }));
    for (const p of at.values()) expect([p.x % 8, p.y % 8]).toEqual([0, 0]);
  });
});
