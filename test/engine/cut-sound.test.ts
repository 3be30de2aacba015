// The final cut's loudness without a pass over the film's sound (issue 17): each clip's sound is
// measured as the clip arrives, clips arriving together by one ffmpeg, remembered in the project,
// and the cut pools them; a changed clip is the only one measured again. Real clips and ffmpeg;
// ffmpeg is counted through a wrapper named by FFMPEG_PATH.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CutSoundAhead } from '../../electron/engine/cut-sound';
import { runGraph } from '../../electron/engine/run';
import { clipSounds } from '../../electron/media/clip-sound';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { forgetMediaFacts } from '../../electron/media/media-facts';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { loudnessLufs, makeClip } from '../helpers/media';
import { countedFfmpegSuite } from '../helpers/tool-calls';

const suite = countedFfmpegSuite('shotgraph-cut-sound-');
const calls = () => suite.calls();
const soundMeasures = () => calls().filter((c) => c.includes('pcm_f32le'));
const mixMeasures = () => calls().filter((c) => c.includes('ebur128'));

const clip = (file: string, toneHz: number) =>
  makeClip(file, { width: 320, height: 180, seconds: 2, toneHz, encoder: houseEncoderArgs() });

function film(clips: number, cut: Record<string, unknown> = {}): Graph {
  const nodes: Graph['nodes'] = [{ id: 'cut', type: 'final_cut', params: cut }];
  const edges: Graph['edges'] = [];
  for (let i = 0; i < clips; i++) {
    nodes.push({ id: `clip${i}`, type: 'video', params: { file: `clips/${i}.mp4` } });
    edges.push({ source: `clip${i}`, sourcePort: 'video', target: 'cut', targetPort: 'clips', order: i });
  }
  return { format: 'shotgraph', version: 2, name: 'film', nodes, edges };
}

describe('a render’s final cut', () => {
  it('pools the film’s loudness from its clips, measured once each, and lands on target', async () => {
    const project = path.join(suite.dir(), 'render');
    await mkdir(path.join(project, 'clips'), { recursive: true });
    for (let i = 0; i < 4; i++) await clip(path.join(project, 'clips', `${i}.mp4`), 220 + 110 * i);
    const graphPath = path.join(project, 'film.json');
    await writeFile(graphPath, serializeGraph(film(4)));

    const [sound0, mix0] = [soundMeasures().length, mixMeasures().length];
    const report = await runGraph({ graphPath });
    expect(report.status).toBe('succeeded');
    const measured = soundMeasures().slice(sound0);
    expect(measured).toHaveLength(1); // four clips arriving together: one ffmpeg
    for (let i = 0; i < 4; i++) expect(measured[0]).toContain(path.join(project, 'clips', `${i}.mp4`));
    expect(mixMeasures().length - mix0).toBe(0); // no pass over the film's sound before the join
    const film1 = path.join(project, 'film.mp4');
    expect(Math.abs((await loudnessLufs(film1)) - -14)).toBeLessThanOrEqual(0.5);

    // Another process, one clip replaced: only that clip's sound is measured (the rest is remembered).
    forgetMediaFacts();
    await clip(path.join(project, 'clips', '2.mp4'), 1000);
    const [sound1, mix1] = [soundMeasures().length, mixMeasures().length];
    const again = await runGraph({ graphPath });
    expect(again.status).toBe('succeeded');
    const remeasured = soundMeasures().slice(sound1);
    expect(remeasured).toHaveLength(1);
    expect(remeasured[0]).toContain(path.join(project, 'clips', '2.mp4'));
    expect(remeasured[0]).not.toContain(path.join(project, 'clips', '1.mp4'));
    expect(mixMeasures().length - mix1).toBe(0);
    expect(Math.abs((await loudnessLufs(film1)) - -14)).toBeLessThanOrEqual(0.5);
  });
});

describe('measuring clips as they arrive', () => {
  it('measures what a loudness-normalising cut joins, and nothing for a cut with a bed or without loudness', async () => {
    const files = [path.join(suite.dir(), 'ahead-a.mp4'), path.join(suite.dir(), 'ahead-b.mp4')];
    await clip(files[0]!, 300);
    await clip(files[1]!, 500);
    const outputs = new Map(files.map((f, i) => [`clip${i}`, { video: f }]));
    const jobs = files.map((file) => ({ file, start: 0, end: 2 * 48000 }));

    for (const cut of [{ loudness: { enabled: false } }, { music: { file: 'bed.wav' } }]) {
      const before = soundMeasures().length;
      const ahead = new CutSoundAhead(film(2, cut), outputs);
      ahead.nodeDone('clip0');
      ahead.nodeDone('clip1');
      await ahead.drain();
      expect(soundMeasures().length - before).toBe(0);
    }

    const before = soundMeasures().length;
    const ahead = new CutSoundAhead(film(2), outputs);
    ahead.nodeDone('clip0');
    ahead.nodeDone('clip1');
    await ahead.drain();
    expect(soundMeasures().length - before).toBe(1);
    // What the cut will ask for is known now: asking measures nothing.
    const figures = await clipSounds(jobs);
    expect(figures.every((f) => f && f.blockDb.length === 20)).toBe(true);
    expect(soundMeasures().length - before).toBe(1);
  });
});

describe('a film of many clips', () => {
  it('measures 20 clips under one cancel signal without a MaxListenersExceededWarning, 30 by two ffmpegs', async () => {
    const files: string[] = [];
    for (let i = 0; i < 30; i++) {
      const file = path.join(suite.dir(), `many-${i}.mp4`);
      files.push(await makeClip(file, { width: 64, height: 36, seconds: 1, toneHz: 200 + 20 * i }));
    }
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      // As a run does: every clip arrives under the run's signal, then the cut asks for them all.
      const run = new AbortController();
      const ahead = new CutSoundAhead(
        film(20),
        new Map(files.slice(0, 20).map((f, i) => [`clip${i}`, { video: f }])),
        run.signal,
      );
      for (let i = 0; i < 20; i++) ahead.nodeDone(`clip${i}`);
      await ahead.drain();
      forgetMediaFacts(); // nothing known: the cut hashes and measures every clip again
      const cut = new AbortController();
      const before = soundMeasures().length;
      const figures = await clipSounds(
        files.map((file) => ({ file, start: 0, end: 48000 })),
        cut.signal,
      );
      expect(figures.every((f) => f && f.blockDb.length === 10)).toBe(true);
      // 30 clips asked for together: the two ffmpegs that may run, each started once.
      expect(soundMeasures().length - before).toBe(2);
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
