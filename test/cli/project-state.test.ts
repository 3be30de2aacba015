// A project's state under hostile conditions (issue 10 §7), through the real CLI with the offline
// animatic: a read-only `.shotgraph` still re-renders a cached film (and says why nothing needs
// writing), or names the folder; a manifest holding `null` is rebuilt; a full disk while writing the
// film or a cache entry names the path and the free space. Read-only folders and full disks are
// real kernel mounts in a private namespace (test/helpers/mounts.ts).
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import { probeMedia } from '../../electron/media/probe';
import type { Graph } from '../../shared/graph/schema';
import { copySamples, runCli, type CliResult } from '../helpers/cli';
import { mountsAvailable, runCliWithMounts, type Mount } from '../helpers/mounts';

const NO_KEYS = {
  ARK_API_KEY: '',
  SEED2_API_KEY: '',
  APIFRAME_API_KEY: '',
  XINGCHAO_API_KEY: '',
  INFERENCE_API_KEY: '',
};
const isRoot = process.getuid?.() === 0;
// As root, permissions do not stop writes: only a read-only mount does.
const canMakeReadOnly = mountsAvailable || (!isRoot && process.platform !== 'win32');

let dir: string;
let file: string;
let state: string;
let firstFilm: Buffer;
const scratch: string[] = [];

function edit(change: (g: Graph) => void): void {
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  change(g);
  writeFileSync(file, JSON.stringify(g, null, 2));
}

async function render(args: string[], mounts: Mount[] = []): Promise<CliResult & { report?: RunReport }> {
  const reportFile = path.join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const all = ['render', file, '--report', reportFile, ...args];
  const res = mounts.length
    ? await runCliWithMounts(mounts, all, NO_KEYS)
    : await runCli(all, { env: NO_KEYS });
  let report: RunReport | undefined;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
  } catch {
    // no report: the process failed before writing one
  }
  return { ...res, ...(report ? { report } : {}) };
}

/** The state folder read-only for one render: a mount where possible, else permissions. */
async function renderReadOnly(args: string[]) {
  if (mountsAvailable) return render(args, [{ readOnly: state }]);
  const all = [state, ...readdirSync(state, { recursive: true }).map((p) => path.join(state, String(p)))];
  for (const p of all) chmodSync(p, statSync(p).isDirectory() ? 0o555 : 0o444);
  try {
    return await render(args);
  } finally {
    for (const p of all) chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
  }
}

/** Every path under the state folder with its size and mtime: what a run changed there. */
function snapshot(): string[] {
  return readdirSync(state, { recursive: true })
    .map((p) => {
      const st = statSync(path.join(state, String(p)));
      return `${String(p)} ${st.size} ${st.mtimeMs}`;
    })
    .sort();
}

beforeAll(async () => {
  dir = copySamples('shotgraph-state-');
  file = path.join(dir, 'chain.json');
  state = path.join(dir, '.shotgraph');
  const g = JSON.parse(readFileSync(path.join(dir, 'three-shot-chain.json'), 'utf8')) as Graph;
  for (const n of g.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
  writeFileSync(file, JSON.stringify(g, null, 2));
  const first = await render(['--out', path.join(dir, 'film.mp4')]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.report!.submissions).toBe(3);
  firstFilm = readFileSync(path.join(dir, 'film.mp4'));
}, 600_000);

afterAll(async () => {
  for (const d of [dir, ...scratch]) if (d) await rm(d, { recursive: true, force: true });
});

describe('a read-only project', () => {
  it.skipIf(!canMakeReadOnly)(
    're-renders a fully cached film, writing nothing in .shotgraph, and says so',
    async () => {
      const before = snapshot();
      const r = await renderReadOnly(['--out', path.join(dir, 'film-ro.mp4')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `${state} is read-only; everything is cached and nothing will be paid for, so this run writes no lock, journal or history there`,
      );
      expect(r.report!.submissions).toBe(0);
      expect(readFileSync(path.join(dir, 'film-ro.mp4')).equals(firstFilm)).toBe(true);
      expect(snapshot()).toEqual(before);
    },
    300_000,
  );

  it.skipIf(!canMakeReadOnly)(
    'refuses a run with shots to make, naming the folder and the shots; nothing is made',
    async () => {
      const text = readFileSync(file, 'utf8');
      edit((g) => {
        g.nodes.find((n) => n.id === 'prompt-3')!.params.text =
          'Close-up: the keeper turns away from the beam.';
      });
      try {
        const r = await renderReadOnly(['--out', path.join(dir, 'film-ro2.mp4')]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(
          new RegExp(
            `the project folder ${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be written \\((EROFS|EACCES)\\), and "shot-3", "final-cut" must be made`,
          ),
        );
        expect(r.stderr).toContain('Nothing was submitted');
        expect(r.report!.status).toBe('invalid');
      } finally {
        writeFileSync(file, text);
      }
    },
    300_000,
  );
});

describe('corrupt cache entries', () => {
  it('a manifest holding null (shot and final cut) is a miss: rebuilt, exit 0, a good film', async () => {
    const entries = readdirSync(path.join(state, 'cache')).filter((n) => /^[0-9a-f]{64}$/.test(n));
    const owner = (e: string) =>
      (JSON.parse(readFileSync(path.join(state, 'cache', e, 'manifest.json'), 'utf8')) as { nodeId: string })
        .nodeId;
    const byNode = new Map(entries.map((e) => [owner(e), e]));
    for (const id of ['shot-2', 'final-cut'])
      writeFileSync(path.join(state, 'cache', byNode.get(id)!, 'manifest.json'), 'null');
    const r = await render(['--out', path.join(dir, 'film-rebuilt.mp4')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/TypeError/);
    expect(r.report!.nodes['shot-2']).toMatchObject({ status: 'succeeded', cached: false });
    expect(r.report!.nodes['shot-1']!.cached).toBe(true);
    expect(r.report!.nodes['final-cut']).toMatchObject({ status: 'succeeded', cached: false });
    expect(r.report!.submissions).toBe(1);
    for (const id of ['shot-2', 'final-cut']) {
      const m = JSON.parse(
        readFileSync(path.join(state, 'cache', byNode.get(id)!, 'manifest.json'), 'utf8'),
      ) as {
        sha256: Record<string, string>;
      };
      expect(Object.keys(m.sha256).length).toBeGreaterThan(0);
    }
    const info = await probeMedia(path.join(dir, 'film-rebuilt.mp4'));
    expect(Math.abs(info.durationSec - 12)).toBeLessThanOrEqual(0.1);
  }, 600_000);
});

describe('a full disk', () => {
  it.skipIf(!mountsAvailable)(
    'while writing the film: names the film and the free space, exit 3',
    async () => {
      const tiny = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-tiny-'));
      scratch.push(tiny);
      const out = path.join(tiny, 'film.mp4');
      const r = await render(['--out', out], [{ tmpfs: tiny, kb: 64 }]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        new RegExp(
          `the disk is full: the film could not be written to ${out.replace(/\./g, '\\.')} \\(\\d+(\\.\\d)? (KB|bytes) free on that disk, \\d+(\\.\\d)? (KB|MB) needed\\)`,
        ),
      );
      expect(r.stderr).not.toMatch(/ENOSPC:/);
    },
    300_000,
  );

  it.skipIf(!mountsAvailable)(
    'while writing a cache entry: names the cache folder and the free space, exit 3',
    async () => {
      const cacheDir = path.join(state, 'cache');
      const seed = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-cache-seed-'));
      scratch.push(seed);
      await cp(cacheDir, seed, { recursive: true });
      const used = readdirSync(seed, { recursive: true }).reduce(
        (a, p) => a + Math.ceil(statSync(path.join(seed, String(p))).size / 4096) * 4 + 4,
        0,
      );
      // Room for what is cached and a little more, not for a new cut of the same clips.
      const kb = used + Math.ceil(firstFilm.length / 1024 / 4);
      edit((g) => {
        for (const e of g.edges) if (e.targetPort === 'clips') e.order = 2 - (e.order ?? 0);
      });
      const r = await render(['--out', path.join(dir, 'film-full.mp4')], [{ tmpfs: cacheDir, kb, seed }]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        new RegExp(
          `the disk is full: the final cut could not be written to ${cacheDir.replace(/\./g, '\\.')} \\(\\d+(\\.\\d)? (KB|bytes) free on that disk\\)`,
        ),
      );
    },
    300_000,
  );
});
