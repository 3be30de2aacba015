// Where a wire lands on a light card's drop zone: on the first port of that side, in card order,
// that the wire rules accept — the same answer wireRefusal gives for that port, never a second copy.
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/schema';
import { DROP_ZONE, landWire, wireRefusal, type WireRequest } from '../../renderer/model/connect';
import { graphToCanvas } from '../../renderer/model/convert';

/** Prompt p wired into shot a; prompt q, shot b and an image loose; a cut taking a. */
function film(extra: Graph['edges'] = []) {
  const g: Graph = {
    format: 'shotgraph',
    version: 2,
    name: 'drop zones',
    nodes: [
      { id: 'p', type: 'prompt', position: { x: 0, y: 0 }, params: { text: 'a street at dusk' } },
      { id: 'q', type: 'prompt', position: { x: 0, y: 100 }, params: { text: 'rain' } },
      { id: 'i', type: 'image', position: { x: 0, y: 200 }, params: { file: 'still.png' } },
      { id: 'a', type: 'shot', position: { x: 300, y: 0 }, params: { duration: 4 } },
      { id: 'b', type: 'shot', position: { x: 600, y: 0 }, params: { duration: 4 } },
      { id: 'cut', type: 'final_cut', position: { x: 900, y: 0 }, params: {} },
    ],
    edges: [
      { source: 'p', sourcePort: 'text', target: 'a', targetPort: 'prompt' },
      { source: 'a', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 0 },
      ...extra,
    ],
  };
  const { nodes, edges } = graphToCanvas(g);
  return { nodes, edges };
}

const wire = (source: string, sourcePort: string, target: string, targetPort: string): WireRequest => ({
  source,
  sourcePort,
  target,
  targetPort,
});

describe('landWire', () => {
  it('lands a shot dropped on the next shot on last frame → first frame (the chain wire)', () => {
    const { nodes, edges } = film();
    const landed = landWire(nodes, edges, wire('a', DROP_ZONE.outputs, 'b', DROP_ZONE.inputs));
    expect(landed).toEqual({ wire: wire('a', 'last_frame', 'b', 'first_frame') });
    // Video into a shot is a reference, later in the card: it is not where a drop lands first.
    expect(wireRefusal(nodes, edges, wire('a', 'video', 'b', 'reference_videos'))).toBeUndefined();
  });

  it('lands on the first free port: a second image goes to last frame once first frame is taken', () => {
    const taken = film([{ source: 'i', sourcePort: 'image', target: 'b', targetPort: 'first_frame' }]);
    expect(landWire(taken.nodes, taken.edges, wire('i', 'image', 'b', DROP_ZONE.inputs))).toEqual({
      wire: wire('i', 'image', 'b', 'last_frame'),
    });
    const free = film();
    expect(landWire(free.nodes, free.edges, wire('i', DROP_ZONE.outputs, 'b', DROP_ZONE.inputs))).toEqual({
      wire: wire('i', 'image', 'b', 'first_frame'),
    });
  });

  it('lands a shot dropped on a cut on its clips, from the shot’s video', () => {
    const { nodes, edges } = film();
    expect(landWire(nodes, edges, wire('b', DROP_ZONE.outputs, 'cut', DROP_ZONE.inputs))).toEqual({
      wire: wire('b', 'video', 'cut', 'clips'),
    });
  });

  it('refuses with the rules’ reason for the port that takes the type: a second prompt', () => {
    const { nodes, edges } = film();
    const refused = landWire(nodes, edges, wire('q', 'text', 'a', DROP_ZONE.inputs));
    expect(refused.wire).toBeUndefined();
    expect(refused.refusal).toBe(wireRefusal(nodes, edges, wire('q', 'text', 'a', 'prompt')));
    expect(refused.refusal).toMatch(/prompt already has an input/);
  });

  it('passes a wire between named ports to the rules unchanged', () => {
    const { nodes, edges } = film();
    expect(landWire(nodes, edges, wire('p', 'text', 'b', 'prompt'))).toEqual({
      wire: wire('p', 'text', 'b', 'prompt'),
    });
    const wrong = wire('p', 'text', 'b', 'first_frame');
    expect(landWire(nodes, edges, wrong)).toEqual({ refusal: wireRefusal(nodes, edges, wrong) });
    expect(landWire(nodes, edges, wrong).refusal).toBeTruthy();
  });

  it('refuses a drop on a node that has gone', () => {
    const { nodes, edges } = film();
    expect(landWire(nodes, edges, wire('p', 'text', 'gone', DROP_ZONE.inputs))).toEqual({
      refusal: 'that node no longer exists',
    });
  });
});
