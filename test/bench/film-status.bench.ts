// film.status of a 50-shot film (issue 12 §3): what the editor asks after every edit. Cold (nothing
// known), after a restart (facts from .shotgraph/media-facts.json), and warm (the same process
// asking again), against a by-hand baseline measured in the same run: cold against one ffprobe and
// one sha256 of each media file (pool of 2), warm against one stat per media file and one read of
// each cache manifest the status needs.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { filmStatus } from '../../electron/engine/film-status';
import { projectPaths } from '../../electron/engine/project';
import { computeNodeKeys } from '../../electron/engine/node-keys';
import { runFfmpeg, runFfprobe } from '../../electron/media/ffmpeg';
import { forgetMediaFacts } from '../../electron/media/media-facts';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { median, medianMs, timeMs, type Bench, type BenchRow } from './types';

const SHOTS = 50;
const IMAGES = 20;
const WARM_TARGET_MS = 100;

/** 50 shots: every other one opens on one of 20 images, the rest chain on the shot before; a
 *  reference audio on every fifth; all cut together over a music bed. */
export function film(): Graph {
  const g: Graph = { format: 'shotgraph', version: 2, name: 'Bench: 50 shots', nodes: [], edges: [] };
  for (let i = 0; i < IMAGES; i++)
    g.nodes.push({ id: `img${i}`, type: 'image', params: { file: `media/still-${i}.png` } });
  g.nodes.push({ id: 'tune', type: 'audio', params: { file: 'media/tune.wav' } });
  for (let s = 0; s < SHOTS; s++) {
    g.nodes.push({ id: `p${s}`, type: 'prompt', params: { text: `Shot ${s}: the harbour at dawn` } });
    g.nodes.push({ id: `s${s}`, type: 'shot', params: { duration: 4, resolution: '480p' } });
    g.edges.push({ source: `p${s}`, sourcePort: 'text', target: `s${s}`, targetPort: 'prompt' });
    if (s % 2 === 0 || s === 0)
      g.edges.push({
        source: `img${(s / 2) % IMAGES}`,
        sourcePort: 'image',
        target: `s${s}`,
        targetPort: 'first_frame',
      });
    else
      g.edges.push({
        source: `s${s - 1}`,
        sourcePort: 'last_frame',
        target: `s${s}`,
        targetPort: 'first_frame',
      });
    g.edges.push({ source: `s${s}`, sourcePort: 'video', target: 'cut', targetPort: 'clips', order: s });
  }
  g.nodes.push({ id: 'cut', type: 'final_cut', params: { music: { file: 'media/tune.wav' } } });
  return g;
}

export async function makeMedia(dir: string): Promise<string[]> {
  await mkdir(path.join(dir, 'media'), { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const file = path.join(dir, 'media', `still-${i}.png`);
    await runFfmpeg([
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${640 + i * 8}x360`,
      '-frames:v',
      '1',
      file,
    ]);
    files.push(file);
  }
  const tune = path.join(dir, 'media', 'tune.wav');
  await runFfmpeg(['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=8', tune]);
  files.push(tune);
  return files;
}

/** Cache entries by hand (as a render leaves them): every shot with a clip, half of them current. */
export async function fillCache(dir: string, file: string, graph: Graph): Promise<void> {
  const paths = projectPaths(file);
  const clip = path.join(dir, 'clip.mp4');
  await runFfmpeg([
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:duration=1',
    '-pix_fmt',
    'yuv420p',
    clip,
  ]);
  const keys = await computeNodeKeys(graph, paths.graphDir, () => 'animatic');
  let n = 0;
  for (const node of graph.nodes.filter((x) => x.type === 'shot')) {
    // Odd shots were made with other settings: an older entry under another key (shown as stale).
    const key =
      n++ % 2 === 0 ? keys.get(node.id)! : createHash('sha256').update(`old ${node.id}`).digest('hex');
    const entry = path.join(paths.cacheDir, key);
    await mkdir(entry, { recursive: true });
    await copyFile(clip, path.join(entry, 'video.mp4'));
    await writeFile(path.join(entry, 'last.png'), await readFile(path.join(dir, 'media/still-0.png')));
    const manifest = {
      key,
      nodeId: node.id,
      kind: 'shot',
      files: { video: 'video.mp4', last_frame: 'last.png' },
      createdAt: Date.now(),
      provider: 'animatic',
      take: 1,
      durationSec: 1,
    };
    await writeFile(path.join(entry, 'manifest.json'), JSON.stringify(manifest));
  }
}

/** The least a cold status must do: probe and hash each media file once, two at a time. */
async function byHandCold(files: string[]): Promise<void> {
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      await runFfprobe(['-print_format', 'json', '-show_format', '-show_streams', f]);
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex');
    }
  };
  await Promise.all([worker(), worker()]);
}

/** The least a warm status must do: stat each media file, read each current cache manifest. */
async function byHandWarm(files: string[], cacheDir: string): Promise<void> {
  await Promise.all(files.map((f) => stat(f)));
  const names = await import('node:fs/promises').then((fs) => fs.readdir(cacheDir));
  await Promise.all(
    names.map((n) => readFile(path.join(cacheDir, n, 'manifest.json'), 'utf8').catch(() => '')),
  );
}

const bench: Bench = {
  name: `film.status of a ${SHOTS}-shot film`,
  async run(): Promise<BenchRow[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-bench-status-'));
    try {
      const graph = film();
      const file = path.join(dir, 'film.json');
      await writeFile(file, serializeGraph(graph));
      const media = await makeMedia(dir);
      await fillCache(dir, file, graph);
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
      const ask = async () => {
        const r = await filmStatus({ graphPath: file, env });
        if (!r.ok || r.status.problems.length)
          throw new Error(JSON.stringify(r.ok ? r.status.problems : r.problems));
        if (r.status.toRun.length !== SHOTS / 2 + 1)
          throw new Error(`unexpected plan: ${r.status.toRun.length} to run`);
      };
      const facts = path.join(projectPaths(file).stateDir, 'media-facts.json');

      const coldRuns: number[] = [];
      const restartRuns: number[] = [];
      for (let i = 0; i < 3; i++) {
        forgetMediaFacts();
        await rm(facts, { force: true });
        coldRuns.push(await timeMs(ask));
        forgetMediaFacts(); // a restart: memory empty, facts on disk
        restartRuns.push(await timeMs(ask));
      }
      const cold = median(coldRuns);
      const restart = median(restartRuns);
      const warm = await medianMs(9, ask);
      const baseCold = await medianMs(3, () => byHandCold(media));
      const baseWarm = await medianMs(9, () => byHandWarm(media, projectPaths(file).cacheDir));
      const note = `${SHOTS} shots, ${media.length} media files, ${SHOTS / 2} cached`;
      return [
        {
          metric: 'cold (nothing known)',
          value: round(cold),
          unit: 'ms',
          baseline: round(baseCold),
          ratio: cold / baseCold,
          note: `baseline: ffprobe + sha256 of each media file by hand; ${note}`,
        },
        {
          metric: 'after a restart (facts from .shotgraph)',
          value: round(restart),
          unit: 'ms',
          baseline: round(baseWarm),
          ratio: restart / baseWarm,
          note: 'baseline: stat each media file, read each cache manifest',
        },
        {
          metric: 'warm (asked again)',
          value: round(warm),
          unit: 'ms',
          baseline: round(baseWarm),
          ratio: warm / baseWarm,
          note: `target < ${WARM_TARGET_MS} ms: ${warm < WARM_TARGET_MS ? 'met' : 'MISSED'}`,
        },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

export default bench;
