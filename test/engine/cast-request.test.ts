// What a shot's request carries once its cast is attached (electron/engine/cast-request.ts): media
// after the wired ones, frames moved into references where the gateway sends frames by role, asset
// ids passed as they are (never read here), and files held to the project-path rule.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCast } from '../../electron/engine/cast-request';
import type { ShotRequest } from '../../electron/providers/types';
import type { Graph } from '../../shared/graph/schema';
import { ProblemError } from '../../shared/problems';
import { copySamples } from '../helpers/cli';

const dir = copySamples('shotgraph-cast-request-');
const graph: Graph = {
  format: 'shotgraph',
  version: 2,
  name: 'cast',
  nodes: [{ id: 'shot-2', type: 'shot', params: {} }],
  edges: [],
  cast: [
    { name: 'Mira', kind: 'character', images: ['media/character-sheet.png'], voice: 'media/theme.mp3' },
    { name: 'Lamp', kind: 'prop', images: [], assetId: 'asset://lamp-01' },
  ],
};
const request = (prompt: string): ShotRequest => ({
  nodeId: 'shot-2',
  key: 'k',
  prompt,
  firstFrame: { path: '/abs/last-frame-of-shot-1.png' },
  referenceImages: [],
  referenceVideos: [],
  referenceAudios: [],
  model: 'seedance-2.0',
  duration: 5,
  ratio: '16:9',
  resolution: '720p',
  generateAudio: true,
  seed: -1,
  watermark: false,
});
const paths = { graphDir: dir, allowOutside: false };

describe('a request with its cast', () => {
  it('Ark: the first frame becomes reference image 1, named in the prompt; then the members', async () => {
    const r = await withCast(graph, graph.nodes[0]!, request('@Mira lifts @Lamp.'), 'ark', paths);
    expect(r.firstFrame).toBeUndefined();
    expect(r.prompt).toBe(
      '[image 1] is the first frame. Mira ([image 2], [audio 1]) lifts Lamp ([image 3]).',
    );
    expect(r.referenceImages).toEqual([
      { path: '/abs/last-frame-of-shot-1.png' },
      { path: path.join(dir, 'media/character-sheet.png') },
      { url: 'asset://lamp-01' },
    ]);
    expect(r.referenceAudios).toEqual([{ path: path.join(dir, 'media/theme.mp3') }]);
  });

  it('the animatic keeps its first frame (it has no modes) and the same numbering', async () => {
    const r = await withCast(graph, graph.nodes[0]!, request('@Mira waits.'), 'animatic', paths);
    expect(r.firstFrame).toEqual({ path: '/abs/last-frame-of-shot-1.png' });
    expect(r.prompt).toBe('Mira ([image 2], [audio 1]) waits.');
    expect(r.referenceImages).toHaveLength(1);
  });

  it('a shot that mentions nobody is sent exactly as before', async () => {
    const before = request('The lamp flickers.');
    expect(await withCast(graph, graph.nodes[0]!, before, 'ark', paths)).toBe(before);
  });

  it('a cast file outside the project is refused, naming the member field', async () => {
    const hostile: Graph = {
      ...graph,
      cast: [{ name: 'Mira', kind: 'character', images: ['../../etc/passwd'] }],
    };
    const err = await withCast(hostile, graph.nodes[0]!, request('@Mira'), 'ark', paths).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).problems[0]).toMatchObject({ nodeId: 'shot-2', field: 'cast[0].images[0]' });
  });
});
