// The offline provider as the executor sees it: renders into ctx.outDir, reports progress, never
// touches the journal, and stops on cancel.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAnimaticProvider } from '../../electron/providers/animatic';
import type { ShotContext, ShotJournal, ShotRequest } from '../../electron/providers/types';
import { streams, tempDir } from '../helpers/media';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-animatic-provider-');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const req: ShotRequest = {
  nodeId: 'shot-1',
  key: 'k',
  prompt: 'A paper boat on a puddle',
  referenceImages: [],
  referenceVideos: [],
  referenceAudios: [],
  model: 'seedance-2.0',
  duration: 4,
  ratio: '1:1',
  resolution: '480p',
  generateAudio: true,
  seed: 1,
  watermark: false,
};

const untouchable = new Proxy({} as ShotJournal, {
  get: () => {
    throw new Error('the animatic must not use the journal');
  },
});

function context(outDir: string, signal: AbortSignal, progress: number[]): ShotContext {
  return { signal, outDir, progress: (f) => progress.push(f), journal: untouchable };
}

it('renders a shot into ctx.outDir', async () => {
  const provider = createAnimaticProvider({});
  expect(provider.name).toBe('animatic');
  expect(provider.concurrency).toBe(3);
  const outDir = path.join(dir, 'ok');
  const progress: number[] = [];
  const result = await provider.generate(req, context(outDir, new AbortController().signal, progress));
  expect(path.dirname(result.video)).toBe(outDir);
  expect(path.dirname(result.lastFrame)).toBe(outDir);
  expect(result.durationSec).toBe(4);
  expect(result.costUsd ?? 0).toBe(0);
  const video = (await streams(result.video)).find((s) => s.type === 'video')!;
  expect([video.width, video.height, video.frames]).toEqual([640, 640, 96]);
  expect(progress.at(-1)).toBe(1);
});

it('stops on cancel', async () => {
  const provider = createAnimaticProvider({});
  const outDir = path.join(dir, 'cancelled');
  const abort = new AbortController();
  abort.abort();
  await expect(provider.generate(req, context(outDir, abort.signal, []))).rejects.toMatchObject({
    name: 'AbortError',
  });
  expect(await readdir(outDir).catch(() => [])).toEqual([]);
});
