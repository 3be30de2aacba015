// Issue 2 acceptance: the sample graphs render to a real final cut, offline, from the CLI.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import type { RunReport } from '../../electron/engine/run-report';
import { copySamples, runCli } from '../helpers/cli';
import { ssimBetween } from '../helpers/media';

const NO_KEYS = {
  ARK_API_KEY: '',
  SEED2_API_KEY: '',
  APIFRAME_API_KEY: '',
  XINGCHAO_API_KEY: '',
  INFERENCE_API_KEY: '',
};

describe('shotgraph render three-shot-chain (animatic, offline)', () => {
  let dir: string;
  let film: string;
  let report: RunReport;
  let stderr: string;

  beforeAll(async () => {
    dir = copySamples();
    film = path.join(dir, 'out', 'x.mp4');
    const res = await runCli(
      [
        'render',
        path.join(dir, 'three-shot-chain.json'),
        '--out',
        film,
        '--report',
        path.join(dir, 'report.json'),
      ],
      { env: NO_KEYS },
    );
    stderr = res.stderr;
    expect(res.code, res.stderr).toBe(0);
    report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as RunReport;
  });

  it('reports the chain of animatic stand-ins without judging its sharpness', () => {
    // Each animatic shot ends 6 % into its picture, so every chained start is resampled: no warning.
    const chain = report.continuity?.chains[0];
    expect(chain?.shots.map((s) => s.nodeId)).toEqual(['shot-1', 'shot-2', 'shot-3']);
    expect(chain?.standIn).toBe(true);
    expect(chain?.warning).toBeUndefined();
    expect(stderr).toContain('(animatic stand-ins: not judged)');
    expect(stderr).not.toMatch(/goes soft/);
  });

  it('writes one H.264 and one AAC stream, 1280×720, 15.0 s', async () => {
    const info = await probeMedia(film);
    expect(info.video?.codec).toBe('h264');
    expect(info.audio?.codec).toBe('aac');
    expect([info.video?.width, info.video?.height]).toEqual([1280, 720]);
    expect(info.durationSec).toBeGreaterThan(14.9);
    expect(info.durationSec).toBeLessThan(15.1);
  });

  it('each shot starts on the previous shot’s last frame (SSIM across every seam ≥ 0.9)', async () => {
    for (const seam of [5, 10]) {
      const ssim = await ssimBetween(film, seam - 1.5 / 24, film, seam + 0.5 / 24);
      expect(ssim, `seam at ${seam} s`).toBeGreaterThanOrEqual(0.9);
    }
    // And a cut between unrelated frames would not pass: the check can fail.
    expect(await ssimBetween(film, 0.5 / 24, film, 14.9)).toBeLessThan(0.9);
  });

  it('reports status, output, submissions and every node', () => {
    expect(report.status).toBe('succeeded');
    expect(report.output).toBe(film);
    expect(report.submissions).toBe(3);
    for (const id of ['shot-1', 'shot-2', 'shot-3']) {
      expect(report.nodes[id]).toMatchObject({ status: 'succeeded', cached: false });
      expect(existsSync(report.nodes[id]!.output!)).toBe(true);
    }
    expect(report.nodes['final-cut']?.output).toBe(film);
    expect(stderr).toMatch(/shot-2/);
  });

  it('a second render of the unchanged graph generates nothing and reuses the final cut', async () => {
    const again = path.join(dir, 'again.json');
    const res = await runCli(
      ['render', path.join(dir, 'three-shot-chain.json'), '--out', film, '--report', again],
      { env: NO_KEYS },
    );
    expect(res.code, res.stderr).toBe(0);
    const r = JSON.parse(readFileSync(again, 'utf8')) as RunReport;
    expect(r.submissions).toBe(0);
    for (const n of Object.values(r.nodes)) expect(n.cached).toBe(true);
  });
});

describe('the other sample graphs', () => {
  it('storyboard-film renders its two scenes concurrently into one film', async () => {
    const dir = copySamples();
    const reportFile = path.join(dir, 'r.json');
    const res = await runCli(['render', path.join(dir, 'storyboard-film.json'), '--report', reportFile], {
      env: NO_KEYS,
    });
    expect(res.code, res.stderr).toBe(0);
    const r = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
    const info = await probeMedia(r.output!);
    expect(info.durationSec).toBeGreaterThan(23.9);
    expect(info.durationSec).toBeLessThan(24.1);
    // Scene 2 started before scene 1 finished: independent branches ran side by side.
    const a = ['a1', 'a2', 'a3'].map((id) => r.nodes[id]!);
    const b = ['b1', 'b2', 'b3'].map((id) => r.nodes[id]!);
    expect(b[0]!.startedAt!).toBeLessThan(a[2]!.finishedAt!);
    expect(a[0]!.startedAt!).toBeLessThan(b[2]!.finishedAt!);
    // The scene opening on an image starts on that image.
    expect(
      await ssimBetween(r.nodes.b1!.output!, 0, path.join(dir, 'media/harbour-dawn.png'), 0),
    ).toBeGreaterThan(0.9);
  });

  it('reference-driven renders with reference images, video and audio', async () => {
    const dir = copySamples();
    const out = path.join(dir, 'ref.mp4');
    const res = await runCli(['render', path.join(dir, 'reference-driven.json'), '--out', out], {
      env: NO_KEYS,
    });
    expect(res.code, res.stderr).toBe(0);
    const info = await probeMedia(out);
    expect(info.video?.codec).toBe('h264');
    expect(info.audio?.codec).toBe('aac');
    expect(info.durationSec).toBeGreaterThan(9.9);
    expect(info.durationSec).toBeLessThan(10.1);
  });
});
