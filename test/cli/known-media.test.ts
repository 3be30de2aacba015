// Know each file once, across commands (issue 17): `validate` keeps what it learnt of the project's
// media in .shotgraph/media-facts.json, so a second validate and the render after it learn nothing
// again, and the final cut takes its clips' facts from there. What each process learns is listed by
// SHOTGRAPH_MEDIA_TRACE; ffprobe runs are counted through a wrapper named by FFPROBE_PATH (plain MP4
// clips need none: their headers are read in process).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { serializeGraph } from '../../shared/graph/serialize';
import type { Graph } from '../../shared/graph/schema';
import { runCli } from '../helpers/cli';
import { audioSamples, makeClip, streams, tempDir } from '../helpers/media';
import { toolCalls, type ToolCalls } from '../helpers/tool-calls';

const CLIPS = 3;
let dir: string;
let ffprobe: ToolCalls;
let learnt: string;
let env: NodeJS.ProcessEnv;
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const calls = () => ffprobe.calls();
const reads = () => lines(learnt);

beforeAll(async () => {
  dir = await tempDir('shotgraph-known-media-');
  ffprobe = toolCalls(dir, 'ffprobe');
  learnt = path.join(dir, 'facts-learnt.log');
  env = { FFPROBE_PATH: ffprobe.wrapper, ARK_API_KEY: '', SHOTGRAPH_MEDIA_TRACE: learnt };
  const nodes: Graph['nodes'] = [{ id: 'cut', type: 'final_cut', params: {} }];
  const edges: Graph['edges'] = [];
  await mkdir(path.join(dir, 'clips'));
  for (let i = 0; i < CLIPS; i++) {
    const file = `clips/clip-${i}.mp4`;
    // A tone each: three different files (the same bytes twice would be probed once).
    await makeClip(path.join(dir, file), {
      width: 480,
      height: 272,
      seconds: 2,
      toneHz: 300 + 50 * i,
      encoder: houseEncoderArgs(),
    });
    nodes.push({ id: `clip${i}`, type: 'video', params: { file } });
    edges.push({ source: `clip${i}`, sourcePort: 'video', target: 'cut', targetPort: 'clips', order: i });
  }
  writeFileSync(
    path.join(dir, 'film.json'),
    serializeGraph({ format: 'shotgraph', version: 2, name: 'film', nodes, edges }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('each media file is probed once', () => {
  it('validate learns each clip once (no ffprobe), and again not at all', async () => {
    const first = await runCli(['validate', 'film.json'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(reads().filter((c) => c.includes('clips/clip-'))).toHaveLength(CLIPS);
    expect(calls()).toEqual([]);
    expect(existsSync(path.join(dir, '.shotgraph/media-facts.json'))).toBe(true);
    const before = reads().length;
    const again = await runCli(['validate', 'film.json'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(reads().length - before).toBe(0);
    expect(calls()).toEqual([]);
  });

  it('render after validate learns no clip again; the film is whole and in sync', async () => {
    const before = reads().length;
    const r = await runCli(['render', 'film.json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(
      reads()
        .slice(before)
        .filter((c) => c.includes('clip-')),
    ).toEqual([]);
    expect(calls().filter((c) => c.includes('clip-'))).toEqual([]);
    const film = path.join(dir, 'film.mp4');
    const video = (await streams(film)).find((s) => s.type === 'video')!;
    expect(video.frames).toBe(CLIPS * 2 * 24);
    expect(Math.abs((await audioSamples(film)).length / 48000 - CLIPS * 2)).toBeLessThanOrEqual(1024 / 48000);
  });

  it('a graph without media leaves no state folder behind', async () => {
    const bare = path.join(dir, 'bare');
    await mkdir(bare);
    const graph: Graph = {
      format: 'shotgraph',
      version: 2,
      name: 'bare',
      nodes: [{ id: 'p', type: 'prompt', params: { text: 'a lighthouse at dusk' } }],
      edges: [],
    };
    writeFileSync(path.join(bare, 'bare.json'), serializeGraph(graph));
    const r = await runCli(['validate', 'bare.json'], { cwd: bare, env });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(bare, '.shotgraph'))).toBe(false);
  });
});
