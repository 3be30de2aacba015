// Pure structural rules: kinds, params, ports, types, cardinality, cycles and Seedance's mode rules.
import { describe, expect, it } from 'vitest';
import type { Graph, GraphEdge, GraphNode } from '../../shared/graph/schema';
import { defaultParams } from '../../shared/nodes';
import type { Problem } from '../../shared/problems';
import { shotModeProblems, validateStructure } from '../../shared/validate/structure';

const n = (id: string, type: string, params: Record<string, unknown> = {}): GraphNode => ({
  id,
  type,
  params,
});
const e = (source: string, sourcePort: string, target: string, targetPort: string): GraphEdge => ({
  source,
  sourcePort,
  target,
  targetPort,
});
const graphOf = (nodes: GraphNode[], edges: GraphEdge[]): Graph => ({
  format: 'shotgraph',
  version: 2,
  name: 't',
  nodes,
  edges,
});
const brief = (ps: Problem[]) => ps.map((p) => `${p.code} ${p.nodeId ?? '-'} ${p.field ?? '-'}`);

/** prompt + reference image → shot → final cut. */
function valid(): Graph {
  return graphOf(
    [
      n('p1', 'prompt', { text: 'dusk' }),
      n('img1', 'image', { file: 'media/a.png' }),
      n('s1', 'shot'),
      n('cut', 'final_cut'),
    ],
    [
      e('p1', 'text', 's1', 'prompt'),
      e('img1', 'image', 's1', 'reference_images'),
      e('s1', 'video', 'cut', 'clips'),
    ],
  );
}

describe('validateStructure', () => {
  it('accepts a valid graph, and a shot with every param defaulted', () => {
    expect(validateStructure(valid())).toEqual([]);
    const g = valid();
    g.nodes[2]!.params = defaultParams('shot');
    expect(validateStructure(g)).toEqual([]);
  });

  it('reports an unknown kind once and leaves its edges alone (inert placeholder)', () => {
    const g = valid();
    g.nodes.push(n('fx', 'color_grade', { lut: 'warm' }));
    g.edges.push(e('s1', 'video', 'fx', 'in'));
    const ps = validateStructure(g);
    expect(brief(ps)).toEqual(['node.unknown-kind fx type']);
    expect(ps[0]!.message).toContain('known kinds: prompt, image, video, audio, shot, final_cut');
  });

  it('reports an edge to a missing node instead of crashing the cycle search', () => {
    const g = valid();
    g.edges.push(e('s1', 'video', 'ghost', 'clips'), e('phantom', 'text', 's1', 'prompt'));
    expect(brief(validateStructure(g))).toEqual([
      'edge.unknown-node s1 edges[3]',
      'edge.unknown-node s1 edges[4]',
      'port.too-many s1 prompt',
    ]);
  });

  it('names the ports that exist when a port is unknown', () => {
    const g = valid();
    g.edges.push(e('p1', 'words', 's1', 'prompt'));
    const [problem] = validateStructure(g).filter((p) => p.code === 'edge.unknown-port');
    expect(problem).toMatchObject({ nodeId: 'p1', field: 'words' });
    expect(problem!.message).toContain('its outputs are text');
  });

  it('checks port types', () => {
    const g = valid();
    g.edges[0] = e('img1', 'image', 's1', 'prompt');
    expect(brief(validateStructure(g))).toEqual(['edge.type s1 prompt']);
  });

  it('checks cardinality of single and multi ports, and required inputs', () => {
    const g = valid();
    for (let i = 2; i <= 10; i++) {
      g.nodes.push(n(`img${i}`, 'image', { file: 'media/a.png' }));
      g.edges.push(e(`img${i}`, 'image', 's1', 'reference_images'));
    }
    g.nodes.push(n('p2', 'prompt'));
    g.edges.push(e('p2', 'text', 's1', 'prompt'));
    g.edges = g.edges.filter((x) => x.target !== 'cut');
    const ps = validateStructure(g);
    expect(brief(ps)).toEqual([
      'port.too-many s1 prompt',
      'port.too-many s1 reference_images',
      'port.required cut clips',
    ]);
    expect(ps[1]!.message).toContain('at most 9; 10 are wired');
  });

  it('reports a cycle naming its nodes, and a self-loop', () => {
    const g = valid();
    g.nodes.push(n('s2', 'shot'));
    g.edges.push(e('s1', 'video', 's2', 'reference_videos'), e('s2', 'video', 's1', 'reference_videos'));
    const [cycle] = validateStructure(g);
    expect(cycle).toMatchObject({ code: 'graph.cycle', field: 'edges' });
    expect(cycle!.message).toContain('s1 → s2 → s1');
    const loop = valid();
    loop.edges.push(e('s1', 'video', 's1', 'reference_videos'));
    expect(brief(validateStructure(loop))).toEqual(['graph.cycle s1 edges']);
  });

  it.each([
    ['duration', 3],
    ['duration', 16],
    ['duration', '5s'],
    ['duration', 4.5],
    ['ratio', '2:1'],
    ['resolution', '8k'],
    ['seed', -2],
    ['generate_audio', 'yes'],
  ])('refuses shot param %s = %j, saying what is allowed', (field, value) => {
    const g = valid();
    g.nodes[2]!.params = { [field]: value };
    const ps = validateStructure(g);
    expect(brief(ps)).toEqual([`param s1 ${field}`]);
    if (field === 'duration')
      expect(ps[0]!.message).toBe('must be a whole number of seconds from 4 to 15, or "auto"');
  });

  it.each([4, 15, 'auto'])('accepts duration %j', (duration) => {
    const g = valid();
    g.nodes[2]!.params = { duration };
    expect(validateStructure(g)).toEqual([]);
  });

  it('checks resolutions per model', () => {
    const at = (model: string, resolution: string) => {
      const g = valid();
      g.nodes[2]!.params = { model, resolution };
      return brief(validateStructure(g));
    };
    expect(at('seedance-2.0', '1080p')).toEqual([]);
    expect(at('seedance-2.0', '4k')).toEqual(['shot.resolution s1 resolution']);
    expect(at('seedance-2.0-fast', '720p')).toEqual([]);
    expect(at('seedance-2.0-fast', '1080p')).toEqual(['shot.resolution s1 resolution']);
  });

  it('reports duplicate ids and malformed media params', () => {
    const g = valid();
    g.nodes.push(
      n('p1', 'prompt'),
      n('img2', 'image', { file: '' }),
      n('img3', 'image', { file: 'a.png', sha256: 'xyz' }),
    );
    expect(brief(validateStructure(g))).toEqual([
      'node.duplicate-id p1 id',
      'param img2 file',
      'param img3 sha256',
    ]);
  });

  it('refuses media paths outside the folder unless allowed', () => {
    const g = valid();
    g.nodes[1]!.params = { file: '../secret.png' };
    expect(brief(validateStructure(g))).toEqual(['media.outside img1 file']);
    expect(validateStructure(g, { allowOutside: true })).toEqual([]);
  });

  it('reports every independent mistake at once', () => {
    const g = valid();
    g.nodes[2]!.params = { duration: 3, resolution: '4k' };
    g.nodes.push(
      n('s2', 'shot', { ratio: 'wide' }),
      n('fx', 'blur'),
      n('img2', 'image', { file: '/etc/x.png' }),
    );
    g.edges.push(e('img2', 'image', 's2', 'last_frame'), e('p1', 'text', 'nowhere', 'prompt'));
    expect(brief(validateStructure(g)).sort()).toEqual(
      [
        'param s1 duration',
        'param s2 ratio',
        'node.unknown-kind fx type',
        'media.outside img2 file',
        'edge.unknown-node p1 edges[4]',
        'shot.last-frame s2 last_frame',
      ].sort(),
    );
  });

  it('handles a 5,000-node chain (no overflow, no quadratic blow-up in input counting)', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => n(`s${i}`, 'shot'));
    const edges = nodes.slice(1).map((_, i) => e(`s${i}`, 'video', `s${i + 1}`, 'reference_videos'));
    expect(brief(validateStructure(graphOf(nodes, edges)))).toEqual(['shot.empty s0 prompt']);
  });
});

describe('shotModeProblems (docs/gateways.md §1.5)', () => {
  const codes = (count: Record<string, number>) =>
    shotModeProblems('s', count).map((p) => `${p.code} ${p.field}`);
  it('allows each single mode', () => {
    expect(codes({ prompt: 1 })).toEqual([]);
    expect(codes({ first_frame: 1 })).toEqual([]);
    expect(codes({ first_frame: 1, last_frame: 1 })).toEqual([]);
    expect(codes({ reference_images: 2, reference_videos: 1, reference_audios: 1 })).toEqual([]);
    expect(codes({ reference_videos: 1, reference_audios: 3 })).toEqual([]);
  });
  it('refuses mixing, a lone last frame, lone audio and an empty shot', () => {
    expect(codes({ first_frame: 1, reference_images: 1 })).toEqual(['shot.mode first_frame']);
    expect(codes({ last_frame: 1, first_frame: 1, reference_videos: 1 })).toEqual(['shot.mode first_frame']);
    expect(codes({ last_frame: 1 })).toEqual(['shot.last-frame last_frame']);
    expect(codes({ prompt: 1, reference_audios: 1 })).toEqual(['shot.audio-alone reference_audios']);
    expect(codes({})).toEqual(['shot.empty prompt']);
  });
});
