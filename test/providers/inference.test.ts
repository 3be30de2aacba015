// What the inference.sh provider sends and reads (docs/gateways.md §2.4): both wire versions,
// /apps/run with the /run fallback, statuses by meaning in either numbering, output.video as a string
// or a file object, local images and audio inline as data URIs, local video refused.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoMeaning, statusMeaning } from '../../electron/providers/inference';
import { decodeDataUri } from '../../electron/providers/remote/media';
import { ProviderError } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { makeFixtures, type Fixtures } from './fixtures';
import {
  createBodies,
  gatewayHarness,
  gatewayShot,
  GATEWAY_KEYS,
  type GatewayHarness,
} from './gateways-harness';

let gw: MockGateway;
let h: GatewayHarness;
let media: Fixtures;
const extra: MockGateway[] = [];

beforeAll(async () => {
  gw = await startMockGateway({
    kind: 'inference',
    queuedMs: 20,
    runningMs: 40,
    apiKey: GATEWAY_KEYS.inference,
  });
  h = await gatewayHarness(gw, 'inference');
  media = await makeFixtures(h.dir);
});
afterAll(async () => {
  for (const m of extra) await m.close();
  await h?.close();
  await gw?.close();
});

async function mock(options: Record<string, unknown>): Promise<MockGateway> {
  const m = await startMockGateway({
    kind: 'inference',
    queuedMs: 20,
    runningMs: 40,
    apiKey: GATEWAY_KEYS.inference,
    ...options,
  });
  extra.push(m);
  return m;
}

const run = (req: ReturnType<typeof gatewayShot>, opts: Parameters<GatewayHarness['provider']>[0] = {}) =>
  h.ctx(req).then((ctx) => h.provider(opts).generate(req, ctx));
const failure = (req: ReturnType<typeof gatewayShot>, opts: Parameters<GatewayHarness['provider']>[0] = {}) =>
  run(req, opts).then(
    () => {
      throw new Error('expected the shot to fail');
    },
    (e: unknown) => e as ProviderError,
  );

describe('inference.sh wire format', () => {
  it('v2: X-API-Version 2, bare DTOs; a local first frame goes inline with its exact bytes', async () => {
    const from = gw.stats().log.length;
    const req = gatewayShot('inference', {
      prompt: 'Image 1 wakes up',
      firstFrame: { path: media.png },
      seed: 7,
    });
    const r = await run(req);
    const body = createBodies(gw).at(-1)! as { app: string; input: Record<string, unknown>; wait: boolean };
    expect(body.app).toBe('bytedance/seedance-2-0');
    expect(body.wait).toBe(false);
    expect(body.input).toMatchObject({
      prompt: 'image 1 wakes up',
      resolution: '480p',
      ratio: '16:9',
      duration: 4,
      generate_audio: true,
      seed: 7,
      watermark: false,
    });
    const sent = decodeDataUri(body.input.image as string)!;
    expect(sent.mime).toBe('image/png');
    expect(sent.bytes.equals(await readFile(media.png))).toBe(true);
    const calls = gw
      .stats()
      .log.slice(from)
      .filter((e) => e.route !== 'download');
    expect(calls.map((e) => e.apiVersion)).toEqual(calls.map(() => '2'));
    expect(calls[0]!.path).toBe('/apps/run');
    expect(r.taskId).toMatch(/^task_/);
  });

  it('fills reference_image, _2, _3 in port order, the audio inline, auto duration as -1', async () => {
    const req = gatewayShot('inference', {
      model: 'seedance-2.0-fast',
      duration: 'auto',
      prompt: 'image 3 and image 1 dance to audio 1',
      referenceImages: [{ path: media.png }, { path: media.jpg }, { url: 'https://cdn.example.com/c.png' }],
      referenceAudios: [{ path: media.wav }],
    });
    await run(req);
    const input = (createBodies(gw).at(-1)! as { input: Record<string, string | number> }).input;
    expect(decodeDataUri(input.reference_image as string)!.mime).toBe('image/png');
    expect(decodeDataUri(input.reference_image_2 as string)!.mime).toBe('image/jpeg');
    expect(input.reference_image_3).toBe('https://cdn.example.com/c.png');
    expect(decodeDataUri(input.reference_audio as string)!.mime).toBe('audio/wav');
    expect(input.duration).toBe(-1);
    expect((createBodies(gw).at(-1) as { app: string }).app).toBe('bytedance/seedance-2-0-fast');
  });

  it('v1: no version header, the {success,data} envelope is opened and its errors read', async () => {
    const from = gw.stats().log.length;
    await run(gatewayShot('inference'), { inference: { apiVersion: 1 } });
    expect(
      gw
        .stats()
        .log.slice(from)
        .every((e) => e.apiVersion === undefined),
    ).toBe(true);
    gw.setFaults({
      script: [{ route: 'create', kind: 'error', status: 422, message: 'input.prompt is too long' }],
    });
    const err = await failure(gatewayShot('inference'), { inference: { apiVersion: 1 } });
    gw.setFaults({});
    expect(err.message).toContain('inference.sh could not create the task: input.prompt is too long');
  });

  it('falls back from /apps/run to /run, and then keeps using /run', async () => {
    const old = await mock({ runPaths: ['/run'] });
    const provider = h.provider({ baseUrl: old.url });
    for (let i = 0; i < 2; i++) {
      const req = gatewayShot('inference');
      await provider.generate(req, await h.ctx(req));
    }
    const posts = old
      .stats()
      .log.filter((e) => e.method === 'POST')
      .map((e) => `${e.path} ${e.status}`);
    expect(posts).toEqual(['/apps/run 404', '/run 200', '/run 200']);
    expect(old.stats().creates).toBe(2);
  });

  it('when neither run path exists, says both answers and creates nothing', async () => {
    const none = await mock({ runPaths: [] });
    const err = await failure(gatewayShot('inference'), { baseUrl: none.url });
    expect(err.message).toContain('/apps/run is not found');
    expect(err.message).toContain('/run is not found');
    expect(err.message).toContain('no such app or run endpoint');
    expect(none.stats().creates).toBe(0);
  });

  it('compares statuses by meaning: status_text first, else the configured numbering', async () => {
    expect(statusMeaning(9, undefined, 'current')).toBe('uploading');
    expect(statusMeaning(9, undefined, 'legacy')).toBe('completed');
    expect(statusMeaning(10, 'Completed', 'legacy')).toBe('completed');
    expect(statusMeaning(13, undefined, 'current')).toBe('failed');
    // An older deployment that names its statuses: the default (current) numbering still finishes.
    const named = await mock({ numbering: 'legacy', statusText: true });
    await run(gatewayShot('inference'), { baseUrl: named.url });
    // One that does not: the configured numbering decides.
    const bare = await mock({ numbering: 'legacy' });
    await run(gatewayShot('inference'), { baseUrl: bare.url, inference: { numbering: 'legacy' } });
    // Misconfigured, its "failed" (10) reads as "completed" without a video: still reported as the failure it is.
    bare.setFaults({ script: [{ route: 'create', kind: 'fail_task', message: 'worker crashed' }] });
    const err = await failure(gatewayShot('inference'), { baseUrl: bare.url });
    expect(err.message).toMatch(/^Task task_\S+ failed on inference\.sh: worker crashed/);
  });

  it('without status_text or a setting, detects the numbering: 9 and 10 both finish as completed', async () => {
    expect(autoMeaning(9, { video: true, error: false, settled: false })).toBe('uploading');
    expect(autoMeaning(9, { video: true, error: false, settled: true })).toBe('completed');
    expect(autoMeaning(10, { video: true, error: false, settled: false })).toBe('completed');
    expect(autoMeaning(10, { video: false, error: true, settled: false })).toBe('failed');
    expect(autoMeaning(11, { video: false, error: false, settled: false })).toBe('cancelled');
    for (const numbering of ['legacy', 'current'] as const) {
      const m = await mock({ numbering, apiKey: GATEWAY_KEYS.inference });
      const req = gatewayShot('inference');
      const ctx = await h.ctx(req);
      const r = await h.provider({ baseUrl: m.url }).generate(req, ctx);
      expect(r.video, numbering).toMatch(/\.mp4$/);
      expect(m.stats().creates, numbering).toBe(1);
      const finished = m.stats().log.filter((e) => e.route === 'get').length;
      expect(finished, numbering).toBeGreaterThan(0);
    }
  });

  it('reads output.video as a URL string, {uri} or {url}', async () => {
    for (const output of ['uri', 'url'] as const) {
      const m = await mock({ output });
      const r = await run(gatewayShot('inference'), { baseUrl: m.url });
      expect(r.video, output).toMatch(/video\.mp4$/);
    }
  });

  it('problem+json errors: the detail is shown, 402 gets credit advice, nothing is retried', async () => {
    const poor = await mock({ credits: 1 });
    const err = await failure(gatewayShot('inference'), { baseUrl: poor.url });
    expect(err.message).toContain('inference.sh could not create the task: insufficient credits');
    expect(err.message).toContain('insufficient credits (HTTP 402)');
    expect(poor.stats().createRequests).toBe(1);
  });

  it('refuses a 4th reference image and a local video before any call', async () => {
    for (const c of [
      { referenceImages: [1, 2, 3, 4].map(() => ({ path: media.png })) },
      { referenceImages: [{ path: media.png }], referenceVideos: [{ path: media.mp4 }] },
    ]) {
      const before = gw.stats().requests;
      const err = await failure(gatewayShot('inference', c));
      expect(err.message).toMatch(
        /^inference\.sh takes (at most 3 reference images; 4 are wired|videos only as URLs)/,
      );
      expect(gw.stats().requests).toBe(before);
    }
  });

  it('cancels a queued task when the run is stopped; the next run sees it cancelled and submits anew', async () => {
    const before = gw.stats().creates;
    const req = gatewayShot('inference', { prompt: 'A ship leaves the harbour' });
    gw.hold(['queued']);
    const abort = new AbortController();
    const ctx = await h.ctx(req, abort.signal);
    const first = h.provider().generate(req, ctx);
    while (!ctx.taskIds.length) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await expect(first).rejects.toThrow(/cancel/);
    gw.hold([]);
    const cancel = gw.stats().log.filter((e) => e.path === `/tasks/${ctx.taskIds[0]}/cancel`);
    expect(cancel.map((e) => e.status)).toEqual([204]);
    // Whether a cancelled task is billed is undocumented: the journal keeps it until a run sees it cancelled.
    expect(h.journal.forShot(req.key, req.nodeId, 'inference').current()?.taskId).toBe(ctx.taskIds[0]);
    const r = await run(req);
    expect(r.taskId).not.toBe(ctx.taskIds[0]);
    expect(gw.stats().creates - before).toBe(2);
  });
});
