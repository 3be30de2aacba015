// The timeline model: params stored in the graph with defaults, clips laid out in cut order with
// settings keyed by source node, and every impossible timeline a Problem naming node and field.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateGraph } from '../../electron/engine/validate';
import type { Graph } from '../../shared/graph/schema';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { defaultParams } from '../../shared/nodes/registry';
import { timelineOf } from '../../shared/timeline';
import { validateStructure } from '../../shared/validate/structure';
import { makeCorpusMedia } from '../corpus/make-media';
import { makeImage, makeTone } from '../helpers/media';

/** Three 5 s shots wired into `cut` in the order given, with `params` on the cut. */
function film(params: Record<string, unknown>, order = ['shot-1', 'shot-2', 'shot-3']): Graph {
  const shot = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'shot',
    params: { duration: 5, resolution: '480p' },
    ...extra,
  });
  return {
    format: 'shotgraph',
    version: 2,
    name: 'model',
    nodes: [
      { id: 'p1', type: 'prompt', params: { text: 'A lighthouse at dusk' } },
      shot('shot-1', { label: 'Lighthouse', scene: 'Coast' }),
      shot('shot-2'),
      shot('shot-3', { scene: 'Keeper' }),
      { id: 'cut', type: 'final_cut', params },
    ],
    edges: [
      { source: 'p1', sourcePort: 'text', target: 'shot-1', targetPort: 'prompt' },
      { source: 'p1', sourcePort: 'text', target: 'shot-2', targetPort: 'prompt' },
      { source: 'p1', sourcePort: 'text', target: 'shot-3', targetPort: 'prompt' },
      ...order.map((id, i) => ({
        source: id,
        sourcePort: 'video',
        target: 'cut',
        targetPort: 'clips',
        order: i,
      })),
    ],
  } as Graph;
}

const cutProblems = (g: Graph) => validateStructure(g).filter((p) => p.nodeId === 'cut');

describe('final cut params', () => {
  it('fill in the documented defaults and keep `output`', () => {
    expect(finalCutParams.parse({ output: 'film.mp4' })).toEqual({
      output: 'film.mp4',
      clips: {},
      transitions: {},
      loudness: { enabled: true, target_lufs: -14 },
      preset: { resolution: 'source', fps: 24, codec: 'h264', quality: 'standard' },
    });
    expect(defaultParams('final_cut')).toMatchObject({ loudness: { enabled: true, target_lufs: -14 } });
    const music = finalCutParams.parse({ music: { file: 'media/theme.mp3' } }).music;
    expect(music).toEqual({
      file: 'media/theme.mp3',
      gain_db: -12,
      fade_in: 1,
      fade_out: 2,
      duck: true,
      duck_db: 12,
    });
  });

  it('convert to JSON Schema (the editor builds its fields from it)', () => {
    const schema = z.toJSONSchema(finalCutParams, { io: 'input' }) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual([
      'clips',
      'loudness',
      'music',
      'output',
      'preset',
      'transitions',
    ]);
  });

  it('name the field of every bad value', () => {
    const g = film({
      clips: { 'shot-1': { trim_in: 3, trim_out: 2, gain_db: 20 } },
      transitions: { 'shot-2': { type: 'wipe', duration: 5 } },
      loudness: { target_lufs: -40 },
      preset: { fps: 23, codec: 'vp9', resolution: '4k', quality: 'best' },
    });
    const fields = cutProblems(g)
      .map((p) => p.field)
      .sort();
    expect(fields).toEqual([
      'clips.shot-1.gain_db',
      'clips.shot-1.trim_out',
      'loudness.target_lufs',
      'preset.codec',
      'preset.fps',
      'preset.quality',
      'preset.resolution',
      'transitions.shot-2.duration',
      'transitions.shot-2.type',
    ]);
    expect(cutProblems(g).find((p) => p.field === 'clips.shot-1.trim_out')?.message).toMatch(
      /later than trim_in/,
    );
  });
});

describe('timelineOf', () => {
  it('lays the clips out in cut order with in/out points, transitions and start times', () => {
    const g = film({
      clips: { 'shot-1': { trim_in: 1, trim_out: 4.5, gain_db: -3 } },
      transitions: {
        'shot-2': { type: 'crossfade', duration: 1 },
        'shot-3': { type: 'fade_black', duration: 0.5 },
      },
    });
    const t = timelineOf(g, 'cut');
    expect(t.problems).toEqual([]);
    expect(
      t.clips.map((c) => [
        c.nodeId,
        c.in,
        c.out,
        c.start,
        c.transition.type,
        c.transition.duration,
        c.gainDb,
      ]),
    ).toEqual([
      ['shot-1', 1, 4.5, 0, 'cut', 0, -3],
      ['shot-2', 0, 5, 2.5, 'crossfade', 1, 0],
      ['shot-3', 0, 5, 7, 'fade_black', 0.5, 0],
    ]);
    expect(t.duration).toBe(12);
    expect(t.clips[0]).toMatchObject({ label: 'Lighthouse', scene: 'Coast', prompt: 'A lighthouse at dusk' });
  });

  it('keeps each clip’s settings when the clips are reordered (keys are source node ids)', () => {
    const params = {
      clips: { 'shot-1': { trim_out: 2 } },
      transitions: { 'shot-1': { type: 'crossfade', duration: 1 } },
    };
    const t = timelineOf(film(params, ['shot-3', 'shot-1', 'shot-2']), 'cut');
    expect(t.problems).toEqual([]);
    expect(t.clips.map((c) => c.nodeId)).toEqual(['shot-3', 'shot-1', 'shot-2']);
    expect(t.clips[1]).toMatchObject({ out: 2, start: 4, transition: { type: 'crossfade', duration: 1 } });
    expect(t.duration).toBe(11);
  });

  it('uses probed lengths where given, and leaves unknown lengths unknown', () => {
    const g = film({});
    g.nodes.find((n) => n.id === 'shot-2')!.params.duration = 'auto';
    const t = timelineOf(g, 'cut');
    expect(t.clips[1]!.out).toBeUndefined();
    expect(t.clips[2]!.start).toBeUndefined();
    expect(t.duration).toBeUndefined();
    expect(timelineOf(g, 'cut', { 'shot-2': 7.5 }).duration).toBe(17.5);
  });
});

describe('impossible timelines', () => {
  const problem = (params: Record<string, unknown>, order?: string[]) => cutProblems(film(params, order));

  it('a transition longer than a neighbouring clip after trims', () => {
    const ps = problem({
      clips: { 'shot-1': { trim_in: 4.5 } },
      transitions: { 'shot-2': { type: 'crossfade', duration: 1 } },
    });
    expect(ps).toEqual([
      expect.objectContaining({
        code: 'timeline.transition-too-long',
        field: 'transitions.shot-2.duration',
        nodeId: 'cut',
      }),
    ]);
    expect(ps[0]!.message).toMatch(/longer than "shot-1" \(0\.5 s after trims\)/);
  });

  it('two transitions that overlap inside one clip', () => {
    const ps = problem({
      clips: { 'shot-2': { trim_out: 1.5 } },
      transitions: {
        'shot-2': { type: 'crossfade', duration: 1 },
        'shot-3': { type: 'crossfade', duration: 1 },
      },
    });
    expect(ps.map((p) => [p.code, p.field])).toEqual([
      ['timeline.transitions-overlap', 'transitions.shot-3.duration'],
    ]);
  });

  it('settings for a node that is not wired into the cut, and a transition into the first clip', () => {
    const ps = problem({
      clips: { ghost: { gain_db: -3 } },
      transitions: { 'shot-1': { type: 'crossfade', duration: 1 }, p1: { type: 'cut', duration: 1 } },
    });
    expect(ps.map((p) => [p.code, p.field]).sort()).toEqual([
      ['timeline.first-transition', 'transitions.shot-1.type'],
      ['timeline.not-in-cut', 'clips.ghost'],
      ['timeline.not-in-cut', 'transitions.p1'],
    ]);
  });

  it('a trim beyond the clip’s end', () => {
    const ps = problem({ clips: { 'shot-3': { trim_out: 6 }, 'shot-2': { trim_in: 5 } } });
    expect(ps.map((p) => [p.code, p.field]).sort()).toEqual([
      ['timeline.trim-beyond', 'clips.shot-2.trim_in'],
      ['timeline.trim-beyond', 'clips.shot-3.trim_out'],
    ]);
  });

  it('a music bed outside the graph folder or at a URL', () => {
    expect(problem({ music: { file: '../music.mp3' } }).map((p) => [p.code, p.field])).toEqual([
      ['media.outside', 'music.file'],
    ]);
    expect(problem({ music: { file: 'https://example.com/a.mp3' } }).map((p) => p.field)).toEqual([
      'music.file',
    ]);
    expect(validateStructure(film({ music: { file: '../music.mp3' } }), { allowOutside: true })).toEqual([]);
  });
});

describe('the music bed is validated like an audio input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-music-'));
    await makeTone(path.join(dir, 'bed.wav'), 1);
    await makeImage(path.join(dir, 'picture.png'), 64, 64);
    await writeFile(path.join(dir, 'noise.mp3'), 'not audio at all');
    // The corpus media are made on demand; never rely on another suite having made them first.
    await copyFile(path.join(await makeCorpusMedia(), 'tone-3s.flac'), path.join(dir, 'bed.flac'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const musicProblems = async (file: string, sha256?: string) =>
    (await validateGraph(film({ music: { file, ...(sha256 ? { sha256 } : {}) } }), dir)).filter(
      (p) => p.field === 'music.file',
    );

  it('accepts a wav beside the graph', async () => {
    expect(await musicProblems('bed.wav')).toEqual([]);
  });

  it('refuses a missing, undecodable, wrongly typed or changed file, naming music.file', async () => {
    expect((await musicProblems('gone.wav')).map((p) => p.code)).toEqual(['media.missing']);
    expect((await musicProblems('noise.mp3')).map((p) => p.code)).toEqual(['media.unreadable']);
    expect((await musicProblems('picture.png')).map((p) => p.code)).toEqual(['media.format']);
    expect((await musicProblems('bed.flac')).map((p) => p.code)).toEqual(['media.format']);
    expect((await musicProblems('bed.wav', '0'.repeat(64))).map((p) => p.code)).toEqual(['media.changed']);
  });
});
