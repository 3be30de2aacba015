// The sample film with keyframes, offline through the CLI: a gate stops the run before any shot and
// says why, `shotgraph approve` opens it, and the film renders with each keyframe-seamed shot
// starting on its keyframe (measured with SSIM on the decoded frames).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { probeMedia } from '../../electron/media/probe';
import type { Graph } from '../../shared/graph/schema';
import { copySamples, runCli } from '../helpers/cli';
import { ssimBetween } from '../helpers/media';

const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));

describe('graphs/keyframes-film.json offline, with an approval gate', () => {
  let file: string;
  const render = async (): Promise<RunReport & { code: number | null; stderr: string }> => {
    const reportFile = path.join(path.dirname(file), `r-${Math.random().toString(36).slice(2)}.json`);
    const res = await runCli(['render', file, '--report', reportFile], { env });
    return Object.assign(JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport, {
      code: res.code,
      stderr: res.stderr,
    });
  };

  beforeAll(() => {
    file = path.join(copySamples('shotgraph-kf-cli-'), 'keyframes-film.json');
    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    g.nodes.find((n) => n.id === 'kf-open')!.needsApproval = true;
    writeFileSync(file, JSON.stringify(g, null, 2));
  });

  it('stops before the gated shots, says why, and still renders the rest of what it can', async () => {
    const r = await render();
    // Its own outcome and exit code (5), not a failure (3): the gate, what waits, and the command.
    expect(r.code).toBe(5);
    expect(r.status).toBe('awaiting-approval');
    expect(r.provider).toBe('animatic');
    expect(r.stderr).toContain(
      'Waiting for approval of "kf-open" (take 1); held back: shot-1, shot-2, cut.\n  Look at the take, then: shotgraph approve keyframes-film.json kf-open --take 1',
    );
    expect(r.stderr).not.toMatch(/render failed/);
    expect(r.nodes['shot-1']!.status).toBe('skipped');
    expect(r.nodes['shot-2']!.status).toBe('skipped');
    expect(r.nodes['shot-3']!.status).toBe('succeeded');
    // The animatic's stills: real PNGs of the keyframe's aspect (16:9, at most 1280 wide).
    const still = await probeMedia(r.nodes['kf-open']!.outputs!.image!);
    expect(still.video).toMatchObject({ width: 1280, height: 720 });
  });

  it('approve: usage errors exit 2, a refused approval 1 naming the field, an approval 0', async () => {
    expect((await runCli(['approve', file], { env })).code).toBe(2);
    const refused = await runCli(['approve', file, 'shot-1'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/node "shot-1", field "needsApproval": this node has no approval gate/);
    const ok = await runCli(['approve', file, 'kf-open', '--take', '1'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
    expect(g.nodes.find((n) => n.id === 'kf-open')!.approved).toEqual({ take: 1 });
  });

  it('after approval the film renders; each keyframe seam starts on its keyframe', async () => {
    const r = await render();
    expect(r.code, r.stderr).toBe(0);
    expect(r.nodes['kf-open']!.status).toBe('cached');
    // The wait after the last node is explained while it happens, before the report is printed.
    const measuring = r.stderr.indexOf('Measuring continuity (1 seam)…');
    expect(measuring).toBeGreaterThan(r.stderr.lastIndexOf('  cut '));
    expect(measuring).toBeLessThan(r.stderr.indexOf('Continuity:'));
    expect((await probeMedia(r.output!)).durationSec).toBeCloseTo(16, 0);
    for (const [shot, kf] of [
      ['shot-1', 'kf-open'],
      ['shot-3', 'kf-close'],
    ] as const) {
      const ssim = await ssimBetween(r.nodes[shot]!.outputs!.video!, 0, r.nodes[kf]!.outputs!.image!, 0);
      expect(ssim, `${shot} frame 0 vs ${kf}`).toBeGreaterThan(0.9);
    }
    // The last-frame seam continues from shot 1's last frame.
    const seam = await ssimBetween(
      r.nodes['shot-2']!.outputs!.video!,
      0,
      r.nodes['shot-1']!.outputs!.last_frame!,
      0,
    );
    expect(seam).toBeGreaterThan(0.9);
  });
});
