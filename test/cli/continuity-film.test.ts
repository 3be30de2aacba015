// Issue 14's acceptance through the CLI on graphs/continuity-film.json (a cast of two, two keyframes,
// a five-shot chain): it renders offline, and through the strict mock Ark gateway with exact counts —
// an approval gate holds every shot create until approved, then exactly the gated shots are created;
// an unchanged re-render creates nothing; changing one member's image re-creates exactly the shots
// that mention them. The continuity report's seams and chain are checked on both renders.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { findTool } from '../../electron/media/binaries';
import { probeMedia } from '../../electron/media/probe';
import type { ContinuityReport } from '../../shared/continuity';
import type { Graph } from '../../shared/graph/schema';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { arkMockEnv, copySamples, runCli } from '../helpers/cli';

const KEY = 'ark-continuity-film-7d1e4b9a2c6f';
const SHOTS = ['shot-1', 'shot-2', 'shot-3', 'shot-4', 'shot-5'];
const offlineEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));

type Rendered = RunReport & { code: number | null; stderr: string };
async function render(file: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<Rendered> {
  const reportFile = path.join(path.dirname(file), `r-${Math.random().toString(36).slice(2)}.json`);
  const res = await runCli(['render', file, '--report', reportFile, ...args], { env });
  return Object.assign(JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport, {
    code: res.code,
    stderr: res.stderr,
  });
}

/** The report's seams and chain are the five-shot chain's: 4 seams in order, 1 chain from shot-1. */
function expectChainReport(c: ContinuityReport | undefined): void {
  expect(c!.seams.map((s) => `${s.from}>${s.to}`)).toEqual([
    'shot-1>shot-2',
    'shot-2>shot-3',
    'shot-3>shot-4',
    'shot-4>shot-5',
  ]);
  for (const s of c!.seams) (expect(s.ssim).toBeGreaterThan(0), expect(s.ssim).toBeLessThanOrEqual(1));
  expect(c!.chains.map((ch) => ch.shots.map((s) => s.nodeId))).toEqual([SHOTS]);
  expect(c!.chains[0]!.shots[0]!.ratio).toBe(1);
  for (const s of c!.chains[0]!.shots) expect(s.ratio).toBeGreaterThan(0);
}

describe('graphs/continuity-film.json offline', () => {
  it('two animatic keyframes, five shots, a 20 s film and the continuity report', async () => {
    const dir = copySamples('shotgraph-continuity-offline-');
    const r = await render(
      path.join(dir, 'continuity-film.json'),
      offlineEnv,
      '--out',
      path.join(dir, 'f.mp4'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.provider).toBe('animatic');
    expect(['kf-open', 'kf-close'].map((id) => r.nodes[id]!.status)).toEqual(['succeeded', 'succeeded']);
    expect(SHOTS.map((id) => r.nodes[id]!.status)).toEqual(Array(5).fill('succeeded'));
    expect((await probeMedia(path.join(dir, 'f.mp4'))).durationSec).toBeCloseTo(20, 0);
    expectChainReport(r.continuity);
    // While it measures, the run says so; then the report is printed.
    expect(r.stderr).toContain('Measuring continuity (4 seams)…');
    expect(r.stderr).toMatch(/seam shot-4 → shot-5 {2}SSIM \d\.\d{3}/);
  }, 600_000);
});

describe('graphs/continuity-film.json through the mock Ark gateway', () => {
  let gw: MockGateway;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let file: string;
  const stats = () => {
    const s = gw.stats();
    return {
      shots: s.creates,
      imageRequests: s.imageRequests as number,
      images: s.imagesGenerated as number,
    };
  };
  type Content = { type: string; text?: string; role?: string; image_url?: { url: string } };
  const createBodies = (from: number): Content[][] =>
    gw
      .stats()
      .log.filter((e) => e.route === 'create' && e.status === 200 && e.path.endsWith('/tasks'))
      .slice(from)
      .map((e) => (e.body as { content: Content[] }).content);

  beforeAll(async () => {
    gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, apiKey: KEY });
    env = arkMockEnv(gw.url, KEY);
    dir = copySamples('shotgraph-continuity-ark-');
    file = path.join(dir, 'continuity-film.json');
    // The opening keyframe needs approval: the whole chain starts on it.
    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    g.nodes.find((n) => n.id === 'kf-open')!.needsApproval = true;
    writeFileSync(file, JSON.stringify(g, null, 2));
  });
  afterAll(() => gw?.close());

  it('gated: both keyframes are made (2 requests, 2 images billed), 0 shot creates, exit 5', async () => {
    const r = await render(file, env, '--provider', 'ark');
    expect(r.code, r.stderr).toBe(5);
    expect(r.status).toBe('awaiting-approval');
    expect(stats()).toEqual({ shots: 0, imageRequests: 2, images: 2 });
    expect(r.costUsd).toBeCloseTo(0.06, 4);
    expect(SHOTS.map((id) => r.nodes[id]!.status)).toEqual(Array(5).fill('skipped'));
    expect(r.stderr).toContain('shotgraph approve continuity-film.json kf-open --take 1');
  }, 600_000);

  it('approved: exactly the 5 gated shots are created, no image asked again; cast and frames in each body', async () => {
    const ok = await runCli(['approve', file, 'kf-open', '--take', '1'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    const r = await render(file, env, '--provider', 'ark');
    expect(r.code, r.stderr).toBe(0);
    expect(stats()).toEqual({ shots: 5, imageRequests: 2, images: 2 });
    expect((await probeMedia(r.output!)).durationSec).toBeCloseTo(20, 0);
    expectChainReport(r.continuity);
    const bodies = createBodies(0);
    const byText = (needle: string) => bodies.find((c) => c.some((i) => i.text?.includes(needle)))!;
    // shot-1 starts on the keyframe and calls in Harbour: frames go as references (Seedance takes one or the other).
    expect(byText('Wide shot at dawn').find((i) => i.type === 'text')!.text).toBe(
      '[image 1] is the first frame. Wide shot at dawn: Harbour ([image 2]), fishing boats rocking on a calm swell, gulls over the breakwater.',
    );
    // shot-5: the chained first frame, the closing keyframe as last frame, then Mira.
    const five = byText('distant horn');
    expect(five.find((i) => i.type === 'text')!.text).toBe(
      '[image 1] is the first frame. [image 2] is the last frame. Close-up: Mira ([image 3]) turns back toward the town as a distant horn sounds.',
    );
    const mira = readFileSync(path.join(dir, 'media/cast-mira.png')).toString('base64');
    expect(five.filter((i) => i.type === 'image_url')[2]!.image_url!.url).toBe(
      `data:image/png;base64,${mira}`,
    );
  }, 600_000);

  it('an unchanged re-render makes 0 creates and asks for no image', async () => {
    const r = await render(file, env, '--provider', 'ark');
    expect(r.code, r.stderr).toBe(0);
    expect(stats()).toEqual({ shots: 5, imageRequests: 2, images: 2 });
  }, 600_000);

  it("changing Mira's image re-creates exactly the 3 shots that mention her", async () => {
    execFileSync(findTool('ffmpeg'), [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x884422:s=360x480'],
      ...['-frames:v', '1', path.join(dir, 'media/cast-mira.png')],
    ]);
    const r = await render(file, env, '--provider', 'ark');
    expect(r.code, r.stderr).toBe(0);
    expect(stats()).toEqual({ shots: 8, imageRequests: 2, images: 2 });
    expect(SHOTS.map((id) => r.nodes[id]!.cached)).toEqual([true, true, false, false, false]);
  }, 600_000);
});
