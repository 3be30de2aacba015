// validateGraph on real files with real ffprobe: the broken-graph corpus, several mistakes at once,
// the graph-folder boundary (symlinks, --allow-outside), hashes, and probing each file only once.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadGraphFile } from '../../electron/engine/load';
import { validateGraph } from '../../electron/engine/validate';
import { probeMedia } from '../../electron/media/probe';
import { parseGraphText } from '../../shared/graph/parse';
import type { Graph, GraphEdge, GraphNode } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { BROKEN_FILES, EXPECTATIONS, GRAPH_FILES, VALID_FILES } from '../corpus/corpus';
import { CORPUS_DIR, makeCorpusMedia, MEDIA_DIR } from '../corpus/make-media';

// Real ffprobe underneath; the spy only counts calls.
vi.mock('../../electron/media/probe', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/media/probe')>();
  return { ...real, probeMedia: vi.fn(real.probeMedia) };
});
const probeSpy = vi.mocked(probeMedia);

let tmp: string;
beforeAll(async () => {
  await makeCorpusMedia();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-validate-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
// Braces matter: a function returned from a hook runs as its teardown.
beforeEach(() => {
  probeSpy.mockClear();
});

async function problemsOf(graphPath: string, opts: { allowOutside?: boolean } = {}): Promise<Problem[]> {
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok) return loaded.problems;
  return validateGraph(loaded.graph, loaded.graphDir, opts);
}

/** A project folder in tmp with the corpus media under `media/` and `graph` saved beside it. */
let projects = 0;
async function project(graph: Graph): Promise<string> {
  const dir = path.join(tmp, `project-${++projects}`);
  await mkdir(path.join(dir, 'media'), { recursive: true });
  for (const name of ['still-320.png', 'small-200.png', 'clip-1s.mp4', 'clip-3s.mp4', 'tone-3s.wav']) {
    await copyFile(path.join(MEDIA_DIR, name), path.join(dir, 'media', name));
  }
  await writeFile(path.join(dir, 'graph.json'), JSON.stringify(graph, null, 2));
  return dir;
}

const SHOT = { model: 'seedance-2.0', duration: 5, ratio: '16:9', resolution: '720p' };
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
  name: 'test',
  nodes,
  edges,
});
/** prompt + one reference image → shot → final cut: the smallest valid graph. */
const minimal = (imageParams: Record<string, unknown> = { file: 'media/still-320.png' }): Graph =>
  graphOf(
    [
      n('p1', 'prompt', { text: 'dusk' }),
      n('img1', 'image', imageParams),
      n('s1', 'shot', SHOT),
      n('cut', 'final_cut'),
    ],
    [
      e('p1', 'text', 's1', 'prompt'),
      e('img1', 'image', 's1', 'reference_images'),
      e('s1', 'video', 'cut', 'clips'),
    ],
  );
const brief = (ps: Problem[]) => ps.map((p) => `${p.code} ${p.nodeId ?? '-'} ${p.field ?? '-'}`);

describe('the broken-graph corpus', () => {
  it('has at least 30 cases, and every graph file is either expected to fail or named valid*', () => {
    expect(BROKEN_FILES.length).toBeGreaterThanOrEqual(30);
    expect(GRAPH_FILES.filter((f) => !f.startsWith('valid')).sort()).toEqual(BROKEN_FILES);
    expect(VALID_FILES.length).toBeGreaterThan(0);
  });

  it.each(BROKEN_FILES)('%s yields exactly its one expected problem', async (file) => {
    const want = EXPECTATIONS[file]!;
    const problems = await problemsOf(path.join(CORPUS_DIR, file));
    expect(brief(problems)).toEqual([`${want.code} ${want.nodeId ?? '-'} ${want.field ?? '-'}`]);
    expect(problems[0]!.message).toContain(want.mentions);
  });

  it.each(VALID_FILES)('%s yields no problem', async (file) => {
    expect(await problemsOf(path.join(CORPUS_DIR, file))).toEqual([]);
  });

  it('names every node of a cycle', async () => {
    const [problem] = await problemsOf(path.join(CORPUS_DIR, 'cycle.json'));
    expect(problem!.message).toMatch(/\bs1\b.*\bs2\b/);
  });
});

describe('validateGraph', () => {
  it('reports every independent mistake of a graph in one pass', async () => {
    const graph = graphOf(
      [
        n('p1', 'prompt', { text: 'a' }),
        n('img1', 'image', { file: 'media/gone.png' }),
        n('img2', 'image', { file: 'media/small-200.png' }),
        n('vid1', 'video', { file: 'media/clip-1s.mp4' }),
        n('s1', 'shot', { ...SHOT, duration: 3 }),
        n('s2', 'shot', { ...SHOT, resolution: '4k' }),
        n('s3', 'shot', SHOT),
        n('fx', 'color_grade', { lut: 'warm' }),
        n('cut', 'final_cut'),
      ],
      [
        e('p1', 'text', 's1', 'prompt'),
        e('img1', 'image', 's1', 'reference_images'),
        e('img2', 'image', 's2', 'reference_images'),
        e('vid1', 'video', 's2', 'reference_videos'),
        e('s1', 'video', 'cut', 'clips'),
        e('s2', 'video', 'cut', 'clips'),
        e('s3', 'video', 'ghost', 'clips'),
      ],
    );
    const dir = await project(graph);
    const problems = await problemsOf(path.join(dir, 'graph.json'));
    expect(brief(problems).sort()).toEqual(
      [
        'param s1 duration',
        'shot.resolution s2 resolution',
        'shot.empty s3 prompt',
        'node.unknown-kind fx type',
        'edge.unknown-node s3 edges[6]',
        'media.missing img1 file',
        'media.image-size img2 file',
        'media.duration vid1 file',
      ].sort(),
    );
  });

  it('probes a file used by ten nodes once', async () => {
    const problems = await problemsOf(path.join(CORPUS_DIR, 'ref-images-10.json'));
    expect(brief(problems)).toEqual(['port.too-many s1 reference_images']);
    expect(probeSpy).toHaveBeenCalledTimes(1);
  });

  it('does not probe a node whose path is already refused', async () => {
    await problemsOf(path.join(CORPUS_DIR, 'media-parent.json'));
    expect(probeSpy).not.toHaveBeenCalled();
  });

  it('does not probe remote URLs: only their structure is checked', async () => {
    const dir = await project(minimal({ file: 'https://example.invalid/still.png' }));
    expect(await problemsOf(path.join(dir, 'graph.json'))).toEqual([]);
    expect(probeSpy).not.toHaveBeenCalled();
  });

  it('accepts a matching sha256 and flags a changed file', async () => {
    const bytes = readFileSync(path.join(MEDIA_DIR, 'still-320.png'));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dir = await project(minimal({ file: 'media/still-320.png', sha256 }));
    expect(await problemsOf(path.join(dir, 'graph.json'))).toEqual([]);
    await copyFile(path.join(MEDIA_DIR, 'wide-900x300.png'), path.join(dir, 'media', 'still-320.png'));
    expect(brief(await problemsOf(path.join(dir, 'graph.json')))).toEqual([
      'media.changed img1 file',
      'media.image-aspect img1 file',
    ]);
  });

  it('treats a symlink that leaves the graph folder as outside unless allowed', async () => {
    const dir = await project(minimal({ file: 'media/link.png' }));
    const elsewhere = path.join(tmp, `private-${projects}`);
    await mkdir(elsewhere);
    await copyFile(path.join(MEDIA_DIR, 'still-320.png'), path.join(elsewhere, 'secret.png'));
    await symlink(path.join(elsewhere, 'secret.png'), path.join(dir, 'media', 'link.png'));
    const refused = await problemsOf(path.join(dir, 'graph.json'));
    expect(brief(refused)).toEqual(['media.outside img1 file']);
    expect(refused[0]!.message).toContain('--allow-outside');
    expect(probeSpy).not.toHaveBeenCalled();
    expect(await problemsOf(path.join(dir, 'graph.json'), { allowOutside: true })).toEqual([]);
  });

  it('follows a symlink that stays inside the folder, and reports a dangling one as missing', async () => {
    const dir = await project(minimal({ file: 'alias.png' }));
    await symlink('media/still-320.png', path.join(dir, 'alias.png'));
    expect(await problemsOf(path.join(dir, 'graph.json'))).toEqual([]);
    await rm(path.join(dir, 'media', 'still-320.png'));
    expect(brief(await problemsOf(path.join(dir, 'graph.json')))).toEqual(['media.missing img1 file']);
  });

  it('checks ../ media on the real file once the user allows outside paths', async () => {
    const dir = await project(minimal({ file: '../outside-small.png' }));
    await copyFile(path.join(MEDIA_DIR, 'small-200.png'), path.join(dir, '..', 'outside-small.png'));
    const graphPath = path.join(dir, 'graph.json');
    expect(brief(await problemsOf(graphPath))).toEqual(['media.outside img1 file']);
    expect(brief(await problemsOf(graphPath, { allowOutside: true }))).toEqual([
      'media.image-size img1 file',
    ]);
  });

  it('reports a folder given as a media file', async () => {
    const dir = await project(minimal({ file: 'media' }));
    expect(brief(await problemsOf(path.join(dir, 'graph.json')))).toEqual(['media.not-file img1 file']);
  });

  it('counts an upstream shot’s fixed duration in a reference-video total', async () => {
    const graph = graphOf(
      [
        n('p1', 'prompt', { text: 'a' }),
        n('s1', 'shot', { ...SHOT, duration: 14 }),
        n('vid1', 'video', { file: 'media/clip-3s.mp4' }),
        n('s2', 'shot', SHOT),
      ],
      [
        e('p1', 'text', 's1', 'prompt'),
        e('s1', 'video', 's2', 'reference_videos'),
        e('vid1', 'video', 's2', 'reference_videos'),
      ],
    );
    const dir = await project(graph);
    const problems = await problemsOf(path.join(dir, 'graph.json'));
    expect(brief(problems)).toEqual(['media.total-duration s2 reference_videos']);
    expect(problems[0]!.message).toContain('at most 15 s');
  });

  it('does not hold a clip used only by the final cut to Seedance’s reference limits', async () => {
    const graph = minimal();
    graph.nodes.push(n('intro', 'video', { file: 'media/clip-1s.mp4' }));
    graph.edges.push(e('intro', 'video', 'cut', 'clips'));
    const dir = await project(graph);
    expect(await problemsOf(path.join(dir, 'graph.json'))).toEqual([]);
  });

  it('rejects with an AbortError when cancelled', async () => {
    const parsed = parseGraphText(readFileSync(path.join(CORPUS_DIR, 'valid.json'), 'utf8'));
    if (!parsed.ok) throw new Error('valid.json does not parse');
    const controller = new AbortController();
    controller.abort();
    await expect(
      validateGraph(parsed.graph, CORPUS_DIR, { signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
