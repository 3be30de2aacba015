// Issue 13 item 3 through the real command: every template Shotgraph ships makes a new project
// (`new --template`), lists its inputs, validates and renders offline into a film ffprobe agrees with.
// The copies are rendered at 480p (the templates are 720p) to keep this suite quick; that changes
// pixel counts, not the wiring, media or inputs under test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { probeMedia } from '../../electron/media/probe';
import type { FilmInput } from '../../shared/graph/inputs';
import type { Graph } from '../../shared/graph/schema';
import { runCli } from '../helpers/cli';

const OFFLINE = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k))),
  SHOTGRAPH_TEMPLATES_DIR: mkdtempSync(path.join(os.tmpdir(), 'shotgraph-no-user-templates-')),
};
/** The film's mean loudness in dB (ffmpeg's volumedetect); silence reads -91. */
function meanVolumeDb(file: string): number {
  const out = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-i', file, '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  ).stderr;
  return Number(/mean_volume: (-?[\d.]+) dB/.exec(out)?.[1] ?? -91);
}
const cli = (args: string[], cwd?: string) => runCli(args, { env: OFFLINE, ...(cwd ? { cwd } : {}) });

/** What each rendered film should be: its files, their pixel size (Seedance's 480p) and length, and
 *  whether its sound must be heard (the music video's shots make none: the track is its sound). */
const FILMS: Record<
  string,
  { file: string; width: number; height: number; seconds: number; music?: boolean }[]
> = {
  'product-ad': [
    { file: 'product-ad-16x9.mp4', width: 864, height: 496, seconds: 8 },
    { file: 'product-ad-9x16.mp4', width: 496, height: 864, seconds: 8 },
  ],
  'two-scene-short': [{ file: 'film.mp4', width: 864, height: 496, seconds: 16 }],
  'dialogue-beat': [{ file: 'film.mp4', width: 864, height: 496, seconds: 8 }],
  'music-video': [{ file: 'film.mp4', width: 864, height: 496, seconds: 12, music: true }],
  // Two 0.5 s transitions: a cut takes no time, a crossfade overlaps its clips.
  'social-teaser': [{ file: 'film.mp4', width: 496, height: 864, seconds: 11.5 }],
};

describe('shotgraph templates', () => {
  it('lists the five templates with their inputs', async () => {
    const res = await cli(['templates']);
    expect(res.code, res.stderr).toBe(0);
    for (const name of Object.keys(FILMS))
      expect(res.stdout).toMatch(new RegExp(`^${name}\\s+\\d+\\s+\\w`, 'm'));
    expect(res.stdout).toMatch(
      /^product-ad\s+4\s+product, photo, closing, length\s+Product ad, 16:9 and 9:16$/m,
    );
    const json = JSON.parse((await cli(['templates', '--json'])).stdout) as { name: string }[];
    expect(json.map((t) => t.name).sort()).toEqual(Object.keys(FILMS).sort());
  });
});

describe('shotgraph new and save-template', () => {
  it('new without a template: an empty film; never into a folder with something in it', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-new-empty-'));
    const res = await cli(['new', 'blank'], root);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(root, 'blank', 'film.json'), 'utf8'))).toEqual({
      format: 'shotgraph',
      version: 2,
      name: 'blank',
      nodes: [],
      edges: [],
    });
    const again = await cli(['new', '--template', 'product-ad', 'blank'], root);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty; name a new folder so nothing is overwritten/);
    expect(readFileSync(path.join(root, 'blank', 'film.json'), 'utf8')).toMatch(/"name": "blank"/);
    expect((await cli(['new', '--template', 'nope', 'x'], root)).stderr).toMatch(/no template named "nope"/);
  });

  it("save-template makes one of the user's own: listed as theirs, and a new film comes from it", async () => {
    const userDir = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-cli-user-templates-'));
    const env = { ...OFFLINE, SHOTGRAPH_TEMPLATES_DIR: userDir };
    const root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-save-template-'));
    expect((await runCli(['new', '--template', 'dialogue-beat', 'src'], { env, cwd: root })).code).toBe(0);
    const saved = await runCli(['save-template', 'src/film.json', 'our-beat', '--title', 'Our beat'], {
      env,
      cwd: root,
    });
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout.trim()).toBe(path.join(userDir, 'our-beat'));
    const listed = await runCli(['templates'], { env });
    expect(listed.stdout).toMatch(/^our-beat \(yours\)\s+2\s+portrait, line, delivery\s+Our beat$/m);
    const made = await runCli(['new', '--template', 'our-beat', 'copy'], { env, cwd: root });
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'copy', 'media', 'line.mp3'))).toEqual(
      readFileSync(path.join(root, 'src', 'media', 'line.mp3')),
    );
    const dup = await runCli(['save-template', 'src/film.json', 'our-beat'], { env, cwd: root });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already have a template named "our-beat"/);
  });
});

describe.each(Object.entries(FILMS))('template %s', (name, films) => {
  it('new, inputs, validate and an offline render', { timeout: 600_000 }, async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), `shotgraph-template-${name}-`));
    const made = await cli(['new', '--template', name, 'film'], root);
    expect(made.code, made.stderr).toBe(0);
    const graphPath = path.join(root, 'film', 'film.json');
    expect(made.stdout.trim()).toBe(graphPath);

    const listed = await cli(['inputs', graphPath, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { inputs, problems } = JSON.parse(listed.stdout) as { inputs: FilmInput[]; problems: unknown[] };
    expect(problems).toEqual([]);
    expect(inputs.length).toBeGreaterThanOrEqual(3);
    for (const i of inputs) expect(i.value, i.name).not.toBeUndefined();

    const valid = await cli(['validate', graphPath]);
    expect(valid.code, valid.stderr).toBe(0);

    const g = JSON.parse(readFileSync(graphPath, 'utf8')) as Graph;
    for (const n of g.nodes) if (n.type === 'shot') n.params.resolution = '480p';
    writeFileSync(graphPath, JSON.stringify(g));
    const report = path.join(root, 'report.json');
    const started = Date.now();
    const run = await cli(['render', graphPath, '--report', report]);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    expect(r.provider).toBe('animatic');
    expect(r.submissions).toBe(g.nodes.filter((n) => n.type === 'shot').length);
    // For the report: how long each template takes to render offline on this machine.
    console.log(
      `template ${name}: ${r.submissions} shots rendered offline in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const film of films) {
      const probe = await probeMedia(path.join(root, 'film', film.file));
      expect(probe.video, film.file).toMatchObject({ width: film.width, height: film.height });
      expect(probe.durationSec, film.file).toBeGreaterThan(film.seconds - 0.3);
      expect(probe.durationSec, film.file).toBeLessThan(film.seconds + 0.3);
      if (film.music) expect(meanVolumeDb(path.join(root, 'film', film.file))).toBeGreaterThan(-35);
    }
  });
});
