// Issue 14 item 3 through the CLI: graphs/cast-film.json (a cast of two, a five-shot chain) renders
// offline and through the strict mock Ark gateway with exact create counts, each shot's body carries
// its members' images in order with Ark's wording, and changing one member's image pays for exactly
// the shots that mention them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { findTool } from '../../electron/media/binaries';
import { probeMedia } from '../../electron/media/probe';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { copySamples, runCli } from '../helpers/cli';

const KEY = 'ark-cast-test-0c41d7e29b5a6f83';
let gw: MockGateway;
let env: NodeJS.ProcessEnv;
let offlineEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, apiKey: KEY });
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
  offlineEnv = clean;
  env = { ...clean, ARK_BASE_URL: gw.url, ARK_API_KEY: KEY, SHOTGRAPH_POLL_MS: '30,100' };
});
afterAll(() => gw?.close());

async function render(
  file: string,
  useEnv: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<RunReport & { code: number | null; stderr: string; stdout: string }> {
  const reportFile = path.join(path.dirname(file), `r-${Math.random().toString(36).slice(2)}.json`);
  const res = await runCli(['render', file, '--report', reportFile, ...args], { env: useEnv });
  return Object.assign(JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport, {
    code: res.code,
    stderr: res.stderr,
    stdout: res.stdout,
  });
}

type Content = { type: string; text?: string; role?: string; image_url?: { url: string } };
function createBodies(from: number): Content[][] {
  return gw
    .stats()
    .log.filter((e) => e.route === 'create' && e.status === 200)
    .slice(from)
    .map((e) => (e.body as { content: Content[] }).content);
}
const createCount = () => gw.stats().log.filter((e) => e.route === 'create' && e.status === 200).length;

describe('the cast film', () => {
  it('renders offline: five animatic shots, a 20 s film', async () => {
    const dir = copySamples('shotgraph-cast-offline-');
    const r = await render(path.join(dir, 'cast-film.json'), offlineEnv, '--out', path.join(dir, 'film.mp4'));
    expect(r.code, r.stderr).toBe(0);
    expect(['shot-1', 'shot-2', 'shot-3', 'shot-4', 'shot-5'].map((id) => r.nodes[id]!.cached)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect((await probeMedia(path.join(dir, 'film.mp4'))).durationSec).toBeCloseTo(20, 0);
    // The continuity report on the five-shot chain: four seams, one chain, printed and in the report.
    const c = r.continuity!;
    expect(c.seams.map((s) => `${s.from}>${s.to}`)).toEqual([
      'shot-1>shot-2',
      'shot-2>shot-3',
      'shot-3>shot-4',
      'shot-4>shot-5',
    ]);
    for (const s of c.seams) (expect(s.ssim).toBeGreaterThan(0), expect(s.ssim).toBeLessThanOrEqual(1));
    expect(c.chains.map((ch) => ch.shots.map((s) => s.nodeId))).toEqual([
      ['shot-1', 'shot-2', 'shot-3', 'shot-4', 'shot-5'],
    ]);
    expect(c.chains[0]!.shots[0]!.ratio).toBe(1);
    expect(r.stderr).toContain('Continuity:');
    expect(r.stderr).toMatch(/seam shot-4 → shot-5 {2}SSIM \d\.\d{3}/);
  }, 600_000);

  describe('through the mock Ark gateway', () => {
    let dir: string;
    let file: string;
    beforeAll(() => {
      dir = copySamples('shotgraph-cast-ark-');
      file = path.join(dir, 'cast-film.json');
    });

    it('5 creates; each body carries its members in order, frames as named references', async () => {
      const from = createCount();
      const r = await render(file, env, '--provider', 'ark');
      expect(r.code, r.stderr).toBe(0);
      expect(createCount() - from).toBe(5);
      expect(r.continuity!.seams).toHaveLength(4);
      const bodies = createBodies(from);
      const byText = (needle: string) => bodies.find((c) => c.some((i) => i.text?.includes(needle)))!;
      // shot-1: no frame; Harbour is image 1.
      const one = byText('Wide shot at dawn');
      expect(one.find((i) => i.type === 'text')!.text).toBe(
        'Wide shot at dawn: Harbour ([image 1]), fishing boats rocking on a calm swell, gulls circling the breakwater.',
      );
      expect(one.filter((i) => i.type === 'image_url').map((i) => i.role)).toEqual(['reference_image']);
      // shot-3: the chained first frame is image 1, then Mira (2) and Harbour (3), all references.
      const three = byText('steps out from behind the crates');
      expect(three.find((i) => i.type === 'text')!.text).toBe(
        '[image 1] is the first frame. Mira ([image 2]) steps out from behind the crates onto the quay of Harbour ([image 3]), shading her eyes against the low sun.',
      );
      expect(three.filter((i) => i.type === 'image_url').map((i) => i.role)).toEqual([
        'reference_image',
        'reference_image',
        'reference_image',
      ]);
      const sheet = readFileSync(path.join(dir, 'media/character-sheet.png')).toString('base64');
      expect(three.filter((i) => i.type === 'image_url')[1]!.image_url!.url).toBe(
        `data:image/png;base64,${sheet}`,
      );
    }, 600_000);

    it('an unchanged re-render makes 0 creates', async () => {
      const from = createCount();
      const r = await render(file, env, '--provider', 'ark');
      expect(r.code, r.stderr).toBe(0);
      expect(createCount()).toBe(from);
    }, 600_000);

    it("changing Mira's image makes exactly 3 creates: the shots that mention her", async () => {
      // A different picture of the same size, written over the member's file.
      execFileSync(findTool('ffmpeg'), [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'color=c=0x884422:s=512x512',
        '-frames:v',
        '1',
        path.join(dir, 'media/character-sheet.png'),
      ]);
      const from = createCount();
      const r = await render(file, env, '--provider', 'ark');
      expect(r.code, r.stderr).toBe(0);
      expect(createCount() - from).toBe(3);
      expect(['shot-1', 'shot-2', 'shot-3', 'shot-4', 'shot-5'].map((id) => r.nodes[id]!.cached)).toEqual([
        true,
        true,
        false,
        false,
        false,
      ]);
    }, 600_000);
  });
});
