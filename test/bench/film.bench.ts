// The 20-clip film of issue 17: 20 compatible five-second 480p clips (video nodes into a final cut,
// a fresh project each time) through the real `shotgraph render` and `shotgraph validate`, against
// what a user would type by hand, interleaved in one session so load hits both sides alike:
// `ffmpeg -f concat -c:v copy -c:a aac` (it keeps the sound in sync, unlike a plain `-c copy`) for
// the render and the final cut, and 20 `ffprobe` runs one after another for validate.
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { ffmpegPath, ffprobePath } from '../../electron/media/ffmpeg';
import type { RunReport } from '../../electron/engine/run-report';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { audioSamples, makeClip, tempDir } from '../helpers/media';
import { runMeasured } from './cpu';
import { median, type Bench, type BenchRow } from './types';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/shotgraph.js');
const CLIPS = 20;
const SECONDS = 5;
// Five interleaved runs: on a shared machine one slow run of three moves the median.
const RUNS = 5;
/** One AAC frame at 48 kHz. */
const AAC_FRAME_MS = (1024 / 48000) * 1000;

function film(): Graph {
  const nodes: Graph['nodes'] = [{ id: 'cut', type: 'final_cut', params: {} }];
  const edges: Graph['edges'] = [];
  for (let i = 0; i < CLIPS; i++) {
    const id = `clip${i}`;
    nodes.push({ id, type: 'video', params: { file: `clips/clip-${String(i).padStart(2, '0')}.mp4` } });
    edges.push({ source: id, sourcePort: 'video', target: 'cut', targetPort: 'clips', order: i });
  }
  return { format: 'shotgraph', version: 2, name: 'film', nodes, edges };
}

/** The load average (1, 5, 15 min): the machine is shared, figures under load are pessimistic. */
const loadNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** A child measured from outside (wall, CPU of it and its children), failing loudly. */
async function measured(command: string, args: string[]) {
  const r = await runMeasured(command, args);
  if (r.code !== 0) throw new Error(`${path.basename(command)} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

async function cli(args: string[], cwd: string) {
  const r = await runMeasured(process.execPath, [CLI, ...args], { cwd });
  if (r.code !== 0) throw new Error(`shotgraph ${args[0]} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

const bench: Bench = {
  name: '20-clip film (render, final cut, validate)',
  async run(): Promise<BenchRow[]> {
    const dir = await tempDir('shotgraph-bench-film-');
    try {
      const patterns = ['testsrc2', 'mandelbrot', 'smptebars'] as const;
      const sources: string[] = [];
      await mkdir(path.join(dir, 'src'));
      for (let i = 0; i < CLIPS; i++) {
        const name = `clip-${String(i).padStart(2, '0')}.mp4`;
        sources.push(
          await makeClip(path.join(dir, 'src', name), {
            width: 864,
            height: 496,
            seconds: SECONDS,
            pattern: patterns[i % patterns.length]!,
            // 20 different files: the same bytes twice would be probed and hashed once.
            toneHz: 220 + 10 * i,
            encoder: houseEncoderArgs(),
          }),
        );
      }
      const list = path.join(dir, 'list.txt');
      await writeFile(list, sources.map((c) => `file '${c}'`).join('\n') + '\n');
      // A fresh project: its own folder, clips linked in (new paths, so nothing is known about them).
      let n = 0;
      const project = async () => {
        const p = path.join(dir, `project-${n++}`);
        await mkdir(path.join(p, 'clips'), { recursive: true });
        for (const s of sources) await link(s, path.join(p, 'clips', path.basename(s)));
        await writeFile(path.join(p, 'film.json'), serializeGraph(film()));
        return p;
      };
      // Warm the CLI bundle, so no measured start builds it.
      await cli(['validate', path.join(await project(), 'film.json')], dir);

      const raw = path.join(dir, 'raw.mp4');
      const wall = { raw: [] as number[], render: [] as number[], cut: [] as number[] };
      const cpu = { raw: [] as number[], render: [] as number[] };
      let filmFile = '';
      for (let i = 0; i < RUNS; i++) {
        await rm(raw, { force: true });
        const r0 = await measured(ffmpegPath(), [
          ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', list],
          ...['-c:v', 'copy', '-c:a', 'aac', raw],
        ]);
        wall.raw.push(r0.wallMs);
        if (r0.cpuSec !== undefined) cpu.raw.push(r0.cpuSec);
        const p = await project();
        const r = await cli(['render', 'film.json', '--report', 'report.json'], p);
        wall.render.push(r.wallMs);
        if (r.cpuSec !== undefined) cpu.render.push(r.cpuSec);
        const report = JSON.parse(await readFile(path.join(p, 'report.json'), 'utf8')) as RunReport;
        const cut = report.nodes.cut!;
        wall.cut.push(cut.finishedAt! - cut.startedAt!);
        filmFile = path.join(p, 'film.mp4');
      }
      const renderLoad = loadNow();

      const probes = { wall: [] as number[], cpu: [] as number[] };
      const cold = { wall: [] as number[], cpu: [] as number[] };
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        let [w, c] = [0, 0];
        for (const s of sources) {
          const args = ['-v', 'error', '-of', 'json', '-show_format', '-show_streams', s];
          const r = await measured(ffprobePath(), args);
          w += r.wallMs;
          c += r.cpuSec ?? NaN;
        }
        probes.wall.push(w);
        probes.cpu.push(c);
        const p = await project();
        const r = await cli(['validate', 'film.json'], p);
        cold.wall.push(r.wallMs);
        cold.cpu.push(r.cpuSec ?? NaN);
        warm.push((await cli(['validate', 'film.json'], p)).wallMs);
      }

      const total = CLIPS * SECONDS;
      const drift = ((await audioSamples(filmFile)).length / 48000 - total) * 1000;
      const rawDrift = ((await audioSamples(raw)).length / 48000 - total) * 1000;
      const m = (xs: number[]) => median(xs);
      // CPU-seconds hardly grow with the load, wall time does: both are given.
      const cpuNote = (ours: number[], theirs: number[]) =>
        ours.length && theirs.length && Number.isFinite(m(ours) + m(theirs))
          ? `; CPU ${m(ours).toFixed(2)} s vs ${m(theirs).toFixed(2)} s (${(m(ours) / m(theirs)).toFixed(2)}×)`
          : '';
      const rows: BenchRow[] = [
        {
          metric: `shotgraph render, ${CLIPS}×${SECONDS} s, fresh project (median of ${RUNS})`,
          value: Math.round(m(wall.render)),
          unit: 'ms',
          baseline: Math.round(m(wall.raw)),
          ratio: m(wall.render) / m(wall.raw),
          note: `goal ≤ 1.5×; by hand: ffmpeg -f concat -c:v copy -c:a aac${cpuNote(cpu.render, cpu.raw)}; load ${renderLoad}`,
        },
        {
          metric: 'the final cut alone (from the run report)',
          value: Math.round(m(wall.cut)),
          unit: 'ms',
          baseline: Math.round(m(wall.raw)),
          ratio: m(wall.cut) / m(wall.raw),
          note: 'goal ≤ 1.2×',
        },
        {
          metric: 'sound longer than picture, shotgraph film',
          value: Math.round(drift * 10) / 10,
          unit: 'ms',
          note: `goal |drift| ≤ one AAC frame (${AAC_FRAME_MS.toFixed(1)} ms); by hand ${rawDrift.toFixed(1)} ms`,
        },
        {
          metric: `shotgraph validate, cold (fresh project, median of ${RUNS})`,
          value: Math.round(m(cold.wall)),
          unit: 'ms',
          baseline: Math.round(m(probes.wall)),
          ratio: m(cold.wall) / m(probes.wall),
          note: `goal ≤ 1.5×; by hand: ${CLIPS} ffprobe runs one after another${cpuNote(cold.cpu, probes.cpu)}`,
        },
        {
          metric: `shotgraph validate, warm (same project again, median of ${RUNS})`,
          value: Math.round(m(warm)),
          unit: 'ms',
          note: `goal < 300 ms, process start included; load ${loadNow()}`,
        },
      ];
      return rows;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
