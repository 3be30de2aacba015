// Issue 6 through the real command: `render` honours the final cut's timeline, and `export` writes an
// OTIO file and a storyboard sheet from the cached clips, refusing clearly when they were never made.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { sheetLayout } from '../../electron/media/storyboard-sheet';
import type { Graph } from '../../shared/graph/schema';
import { timelineOf } from '../../shared/timeline';
import { copySamples, runCli } from '../helpers/cli';
import { durationOf, loudnessLufs, lumaRange, size } from '../helpers/media';

const NO_KEYS = {
  ARK_API_KEY: '',
  SEED2_API_KEY: '',
  APIFRAME_API_KEY: '',
  XINGCHAO_API_KEY: '',
  INFERENCE_API_KEY: '',
};

let dir: string;
let file: string;

function edit(change: (g: Graph) => void): void {
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  change(g);
  writeFileSync(file, JSON.stringify(g, null, 2));
}

async function render(): Promise<RunReport & { stderr: string }> {
  const reportFile = path.join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const res = await runCli(['render', file, '--report', reportFile], { env: NO_KEYS });
  expect(res.code, res.stderr).toBe(0);
  return Object.assign(JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport, { stderr: res.stderr });
}

beforeAll(() => {
  // The sample chain at 480p: three 5 s shots, a 1 s crossfade, a 1 s fade through black, a music bed.
  dir = copySamples('shotgraph-export-cli-');
  file = path.join(dir, 'chain.json');
  writeFileSync(file, readFileSync(path.join(dir, 'three-shot-chain.json')));
  edit((g) => {
    for (const n of g.nodes)
      if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 5 });
    g.nodes.find((n) => n.id === 'shot-3')!.scene = 'The keeper';
    g.nodes.find((n) => n.type === 'final_cut')!.params = {
      transitions: {
        'shot-2': { type: 'crossfade', duration: 1 },
        'shot-3': { type: 'fade_black', duration: 1 },
      },
      music: { file: 'media/theme.mp3', gain_db: -10 },
    };
  });
});

describe('shotgraph export / render with a timeline', () => {
  it('export before render names each unrendered shot, says to render first and exits 1', async () => {
    const otio = path.join(dir, 'early.otio');
    const res = await runCli(['export', file, '--otio', otio], { env: NO_KEYS });
    expect(res.code).toBe(1);
    for (const id of ['shot-1', 'shot-2', 'shot-3']) expect(res.stderr).toContain(`node "${id}"`);
    expect(res.stderr).toContain('run `shotgraph render` first');
    expect(existsSync(otio)).toBe(false);
    expect((await runCli(['export', file], { env: NO_KEYS })).code).toBe(2);
  });

  it('render honours the timeline: 13.0 s at −14 LUFS', async () => {
    const report = await render();
    expect(report.status).toBe('succeeded');
    expect(report.submissions).toBe(3);
    const film = report.output!;
    expect(Math.abs((await durationOf(film)) - 13)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((await loudnessLufs(film)) - -14)).toBeLessThanOrEqual(1);
  });

  it('export writes an OTIO file and a storyboard sheet from the cached clips', async () => {
    const otio = path.join(dir, 'out', 'film.otio');
    const board = path.join(dir, 'out', 'board.png');
    const res = await runCli(['export', file, '--otio', otio, '--storyboard', board], { env: NO_KEYS });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual([otio, board]);

    const doc = JSON.parse(readFileSync(otio, 'utf8'));
    expect(doc.tracks.children).toHaveLength(1);
    type Item = { OTIO_SCHEMA: string; [k: string]: any };
    const clips = (doc.tracks.children[0].children as Item[]).filter((c) => c.OTIO_SCHEMA === 'Clip.2');
    expect(clips.map((c) => c.metadata.shotgraph.node)).toEqual(['shot-1', 'shot-2', 'shot-3']);
    expect(clips.reduce((a, c) => a + c.source_range.duration.value, 0)).toBe(13 * 24);
    for (const c of clips) {
      const clipFile = fileURLToPath(c.media_references.DEFAULT_MEDIA.target_url);
      expect(clipFile.startsWith(path.join(dir, '.shotgraph', 'cache'))).toBe(true);
      expect(existsSync(clipFile)).toBe(true);
    }

    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    const layout = sheetLayout(timelineOf(g, 'final-cut'));
    expect(await size(board)).toEqual([layout.width, layout.height]);
    expect(layout.headings.map((h) => h.text)).toEqual(['The keeper']);
    for (const r of layout.posters) {
      const poster = await lumaRange(board, 0, r);
      expect(poster.max - poster.min).toBeGreaterThan(40);
    }
  });

  it('writes the storyboard as a PDF when the file name says so', async () => {
    const pdf = path.join(dir, 'board.pdf');
    const res = await runCli(['export', file, '--storyboard', pdf], { env: NO_KEYS });
    expect(res.code, res.stderr).toBe(0);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(bytes.length).toBeGreaterThan(20_000);
  });

  it('a timeline edit re-renders the cut but no shot', async () => {
    edit((g) => {
      const cut = g.nodes.find((n) => n.type === 'final_cut')!;
      (cut.params.transitions as Record<string, { duration: number }>)['shot-2']!.duration = 0.5;
    });
    const report = await render();
    expect(report.submissions).toBe(0);
    expect(report.nodes['final-cut']!.cached).toBe(false);
    for (const id of ['shot-1', 'shot-2', 'shot-3']) expect(report.nodes[id]!.cached).toBe(true);
    expect(Math.abs((await durationOf(report.output!)) - 13.5)).toBeLessThanOrEqual(0.1);
  });

  it('replacing the music bed’s bytes under the same name re-renders the cut, no shot', async () => {
    // An ID3v1 tag appended: same name, same sound, different bytes.
    appendFileSync(
      path.join(dir, 'media', 'theme.mp3'),
      Buffer.concat([Buffer.from('TAG'), Buffer.alloc(125)]),
    );
    const report = await render();
    expect(report.submissions).toBe(0);
    expect(report.nodes['final-cut']!.cached).toBe(false);
    expect((await render()).nodes['final-cut']!.cached).toBe(true);
  });
});
