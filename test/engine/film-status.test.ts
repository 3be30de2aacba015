// The engine's film status (electron/engine/film-status.ts) against the engine's own answers: costs
// equal `estimate` in every state of the cache, the stale set is what a render then makes, a music
// bed no longer makes a reopened film stale, reference audio is priced, gateway capabilities follow
// SHOTGRAPH_MEDIA_HOST, and a broken film still gets its costs beside its problems.
import { appendFileSync, chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimatePlan } from '../../electron/engine/estimate';
import { filmStatus, type FilmStatus } from '../../electron/engine/film-status';
import { preparePlan } from '../../electron/engine/plan';
import { runGraph } from '../../electron/engine/run';
import { resetToolPaths, ffprobePath } from '../../electron/media/ffmpeg';
import { factsLearnt, forgetMediaFacts } from '../../electron/media/media-facts';
import type { Graph } from '../../shared/graph/schema';
import { copySamples } from '../helpers/cli';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

let gw: MockGateway;
let env: NodeJS.ProcessEnv;
let dir: string;
let file: string;
const KEY = `status-${Math.random().toString(36).slice(2)}-key-0000`;

const read = (): Graph => JSON.parse(readFileSync(file, 'utf8')) as Graph;
const write = (g: Graph) => writeFileSync(file, JSON.stringify(g, null, 2));
const edit = (change: (g: Graph) => void) => {
  const g = read();
  change(g);
  write(g);
};

async function status(extraEnv: NodeJS.ProcessEnv = {}): Promise<FilmStatus> {
  const r = await filmStatus({ graphPath: file, env: { ...env, ...extraEnv } });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.status;
}

/** What the engine would do now: `estimate` and the plan's cache misses, independently of the status. */
async function engine(extraEnv: NodeJS.ProcessEnv = {}) {
  const planned = await preparePlan({ graphPath: file, env: { ...env, ...extraEnv } });
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  const { plan } = planned;
  const estimate = await estimatePlan(plan);
  const toRun: string[] = [];
  for (const n of plan.nodes) {
    if (n.type !== 'shot' && n.type !== 'final_cut') continue;
    if (!(await plan.cache.lookup(plan.keys.get(n.id)!))) toRun.push(n.id);
  }
  return { estimate, toRun };
}

async function expectAgreement(extraEnv: NodeJS.ProcessEnv = {}) {
  const s = await status(extraEnv);
  const e = await engine(extraEnv);
  expect(s.problems).toEqual([]);
  expect(s.totalUsd).toBe(e.estimate.totalUsd);
  for (const shot of e.estimate.shots) {
    expect(s.nodes[shot.nodeId]!.cost!.usd).toBe(shot.usd);
    expect(s.nodes[shot.nodeId]!.cost!.listUsd).toBe(shot.listUsd);
  }
  expect([...s.toRun].sort()).toEqual([...e.toRun].sort());
  const stale = Object.entries(s.nodes)
    .filter(([, n]) => n.state === 'stale' || n.state === 'new')
    .map(([id]) => id);
  expect(stale.sort()).toEqual([...e.toRun].sort());
  return s;
}

async function render(extra: Partial<Parameters<typeof runGraph>[0]> = {}) {
  const r = await runGraph({ graphPath: file, env, ...extra });
  expect(r.status, JSON.stringify(r.problems)).toBe('succeeded');
  return r;
}

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, apiKey: KEY });
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
  env = { ...clean, ARK_BASE_URL: gw.url, ARK_API_KEY: KEY, SHOTGRAPH_POLL_MS: '20,60' };
  dir = copySamples('shotgraph-status-');
  file = path.join(dir, 'three-shot-chain.json');
  edit((g) => {
    g.settings = { provider: 'ark' };
    for (const n of g.nodes)
      if (n.type === 'shot') Object.assign(n.params, { duration: 4, resolution: '480p' });
  });
});
afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('film status', () => {
  it('fresh: every shot at its list price, everything to make', async () => {
    const s = await expectAgreement();
    expect(s.totalUsd).toBeGreaterThan(0);
    expect(s.nodes['shot-1']).toMatchObject({ state: 'new', take: 1, provider: 'ark' });
    expect(s.toRun.sort()).toEqual(['final-cut', 'shot-1', 'shot-2', 'shot-3']);
  });

  it('one shot cached: it costs $0 and is no longer in the plan', async () => {
    await render({ until: 'shot-1' });
    const s = await expectAgreement();
    expect(s.nodes['shot-1']).toMatchObject({ state: 'cached', cost: { usd: 0 } });
    expect(s.nodes['shot-1']!.outputs.video).toMatch(/\.mp4$/);
  });

  it('all cached: $0, nothing to make; an edit makes exactly the edited chain stale', async () => {
    await render();
    let s = await expectAgreement();
    expect(s.totalUsd).toBe(0);
    expect(s.toRun).toEqual([]);
    edit((g) => void (g.nodes.find((n) => n.id === 'prompt-2')!.params.text = 'The keeper waves.'));
    s = await expectAgreement();
    expect(s.toRun.sort()).toEqual(['final-cut', 'shot-2', 'shot-3']);
    expect(s.nodes['shot-2']!.state).toBe('stale');
    expect(s.nodes['shot-2']!.outputs.video).toMatch(/\.mp4$/); // the older clip, still shown
  });

  it('a gateway change reprices and re-plans that shot only', async () => {
    await render();
    edit((g) => void (g.nodes.find((n) => n.id === 'shot-3')!.params.provider = 'inference'));
    const s = await expectAgreement();
    expect(s.toRun.sort()).toEqual(['final-cut', 'shot-3']);
    expect(s.nodes['shot-3']!.provider).toBe('inference');
  });

  it('a film with a music bed is cached after its render, also when asked again later', async () => {
    edit((g) => void delete g.nodes.find((n) => n.id === 'shot-3')!.params.provider);
    edit((g) => {
      const cut = g.nodes.find((n) => n.type === 'final_cut')!;
      cut.params.music = { file: 'media/theme.mp3' };
    });
    let s = await expectAgreement();
    expect(s.toRun).toEqual(['final-cut']);
    await render();
    forgetMediaFacts(); // as after a restart: only what is on disk
    s = await expectAgreement();
    expect(s.nodes['final-cut']!.state).toBe('cached');
    expect(s.toRun).toEqual([]);
  });

  it('a frozen shot keeps its clip: frozen, $0, whatever changes upstream', async () => {
    edit((g) => {
      g.nodes.find((n) => n.id === 'shot-2')!.frozen = true;
      g.nodes.find((n) => n.id === 'prompt-1')!.params.text = 'A new dusk.';
    });
    const s = await expectAgreement();
    expect(s.nodes['shot-2']).toMatchObject({ state: 'frozen', cost: { usd: 0 } });
    expect(s.nodes['shot-1']!.state).toBe('stale');
    edit((g) => {
      delete g.nodes.find((n) => n.id === 'shot-2')!.frozen;
    });
  });

  it('prices reference audio (seed2.io: media rate) and follows SHOTGRAPH_MEDIA_HOST', async () => {
    const g: Graph = {
      format: 'shotgraph',
      version: 2,
      name: 'audio',
      settings: { provider: 'seed2' },
      nodes: [
        { id: 'p', type: 'prompt', params: { text: 'image 1 sings to audio 1' } },
        { id: 'q', type: 'prompt', params: { text: 'a quiet harbour' } },
        { id: 'img', type: 'image', params: { file: 'media/harbour-dawn.png' } },
        { id: 'tune', type: 'audio', params: { file: 'media/theme.mp3' } },
        { id: 's', type: 'shot', params: { duration: 5 } },
        { id: 'plain', type: 'shot', params: { duration: 5 } },
      ],
      edges: [
        { source: 'p', sourcePort: 'text', target: 's', targetPort: 'prompt' },
        { source: 'img', sourcePort: 'image', target: 's', targetPort: 'reference_images' },
        { source: 'tune', sourcePort: 'audio', target: 's', targetPort: 'reference_audios' },
        { source: 'q', sourcePort: 'text', target: 'plain', targetPort: 'prompt' },
      ],
    };
    const audioFile = path.join(dir, 'audio.json');
    writeFileSync(audioFile, JSON.stringify(g));
    const ask = async (extra: NodeJS.ProcessEnv) => {
      const r = await filmStatus({ graphPath: audioFile, env: { ...env, ...extra } });
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return r.status;
    };
    const without = await ask({});
    // Local files on a URL-only gateway: flagged before anything is paid for, naming the gateway.
    expect(without.problems.some((p) => p.nodeId === 's' && /seed2\.io/.test(p.message))).toBe(true);
    const hosted = await ask({ SHOTGRAPH_MEDIA_HOST: 'https://bucket.example/films' });
    expect(hosted.problems).toEqual([]);
    expect(hosted.nodes['s']!.cost!.usd).toBe(2 * hosted.nodes['plain']!.cost!.usd);
    const planned = await preparePlan({
      graphPath: audioFile,
      env: { ...env, SHOTGRAPH_MEDIA_HOST: 'https://bucket.example/films' },
    });
    if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
    const e = await estimatePlan(planned.plan);
    expect(hosted.totalUsd).toBe(e.totalUsd);
  });

  it('a broken film still gets its costs beside its problems', async () => {
    const broken = path.join(dir, 'broken.json');
    const g = read();
    g.nodes.push({ id: 'still', type: 'image', params: { file: 'media/missing.png' } });
    g.edges.push({ source: 'still', sourcePort: 'image', target: 'shot-1', targetPort: 'reference_images' });
    writeFileSync(broken, JSON.stringify(g));
    const r = await filmStatus({ graphPath: broken, env });
    if (!r.ok) throw new Error('expected a status');
    expect(r.status.problems.some((p) => p.nodeId === 'still' && p.field === 'file')).toBe(true);
    expect(r.status.nodes['shot-1']!.cost!.listUsd).toBeGreaterThan(0);
    expect(r.status.nodes['shot-1']!.state).not.toBe('cached');
    const notJson = path.join(dir, 'not-json.json');
    writeFileSync(notJson, '{');
    const bad = await filmStatus({ graphPath: notJson, env });
    expect(bad.ok).toBe(false);
  });
});

describe('cheap to ask', () => {
  it('runs no ffprobe on an unchanged film, also after a restart', async () => {
    // A counting ffprobe: the real one, behind a script that logs each call.
    const log = path.join(dir, 'ffprobe-calls.log');
    const wrapper = path.join(dir, 'ffprobe-counting');
    writeFileSync(wrapper, `#!/bin/sh\necho x >> "${log}"\nexec "${ffprobePath()}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const calls = () => {
      try {
        return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    const refFile = path.join(dir, 'reference-driven.json');
    const offline = { ...env, ARK_API_KEY: '' }; // the animatic takes local reference videos
    const ask = async () => {
      const r = await filmStatus({ graphPath: refFile, env: offline });
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      expect(r.status.problems).toEqual([]);
    };
    const saved = process.env.FFPROBE_PATH;
    process.env.FFPROBE_PATH = wrapper;
    resetToolPaths();
    try {
      forgetMediaFacts();
      await rm(path.join(dir, '.shotgraph'), { recursive: true, force: true });
      await runGraph({ graphPath: refFile, env: offline, until: 'character' }); // makes .shotgraph/
      // The run kept what it learnt; cold means nothing known at all.
      await rm(path.join(dir, '.shotgraph/media-facts.json'), { force: true });
      forgetMediaFacts();
      const [before, learntBefore] = [calls(), factsLearnt()];
      await ask();
      const cold = calls() - before;
      // Two images, a video, an audio: the video's headers are read in process (mp4-facts.ts).
      expect(factsLearnt() - learntBefore).toBeGreaterThanOrEqual(4);
      const learntCold = factsLearnt() - learntBefore;
      expect(cold).toBeGreaterThanOrEqual(3);
      await ask();
      expect(calls() - before).toBe(cold); // warm: not one more ffprobe
      expect(factsLearnt() - learntBefore).toBe(learntCold); // nor a header read
      forgetMediaFacts(); // a restart: the facts come back from .shotgraph/media-facts.json
      await ask();
      expect(calls() - before).toBe(cold);
      expect(factsLearnt() - learntBefore).toBe(learntCold);
      // A changed file is probed again (and only that one).
      // (Bytes of its own: a copy of set-design.png would need no probe, its bytes are known.)
      copyFileSync(path.join(dir, 'media/set-design.png'), path.join(dir, 'media/character-sheet.png'));
      appendFileSync(path.join(dir, 'media/character-sheet.png'), Buffer.alloc(16));
      await ask();
      expect(calls() - before).toBe(cold + 1);
      // A corrupt facts file is an empty one: everything is probed again, nothing breaks.
      writeFileSync(path.join(dir, '.shotgraph/media-facts.json'), '{"version":1,"files":[');
      forgetMediaFacts();
      await ask();
      expect(calls() - before).toBe(2 * cold + 1);
    } finally {
      if (saved === undefined) delete process.env.FFPROBE_PATH;
      else process.env.FFPROBE_PATH = saved;
      resetToolPaths();
    }
  });
});

describe('the cast in the film status', () => {
  it('each member with the shots that call it in, as a run attaches them; a changed mention moves', async () => {
    const castDir = copySamples('shotgraph-status-cast-');
    const castFile = path.join(castDir, 'continuity-film.json');
    const ask = async (graph?: Graph) => {
      const r = await filmStatus({ graphPath: castFile, ...(graph ? { graph } : {}), env: {} });
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return r.status.cast;
    };
    expect(await ask()).toEqual([
      { name: 'Mira', shots: ['shot-3', 'shot-4', 'shot-5'] },
      { name: 'Harbour', shots: ['shot-1', 'shot-2', 'shot-3'] },
    ]);
    // Mentions are case-insensitive; a shot that stops mentioning Harbour leaves its list.
    const g = JSON.parse(readFileSync(castFile, 'utf8')) as Graph;
    g.nodes.find((n) => n.id === 'prompt-1')!.params.text = 'Wide shot of @mira alone on the quay.';
    expect(await ask(g)).toEqual([
      { name: 'Mira', shots: ['shot-1', 'shot-3', 'shot-4', 'shot-5'] },
      { name: 'Harbour', shots: ['shot-2', 'shot-3'] },
    ]);
  });
});
