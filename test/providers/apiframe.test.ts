// What the Apiframe provider sends and reads (docs/gateways.md §2.2): X-API-Key (never a Bearer
// header), the Seedance fields under seedanceParams, 202 with a jobId, uppercase states with
// progress, a string error; media as URLs only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../electron/providers/types';
import { defaultShotDuration } from '../../shared/seedance/capabilities';
import { serveFolder, type Bucket } from '../mocks/bucket';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { makeFixtures, type Fixtures } from './fixtures';
import {
  createBodies,
  gatewayHarness,
  gatewayShot,
  GATEWAY_KEYS,
  INACTIVE_APIFRAME_KEY,
  type GatewayHarness,
} from './gateways-harness';

let gw: MockGateway;
let h: GatewayHarness;
let media: Fixtures;
let bucket: Bucket;

beforeAll(async () => {
  gw = await startMockGateway({
    kind: 'apiframe',
    queuedMs: 20,
    runningMs: 200,
    apiKey: GATEWAY_KEYS.apiframe,
    inactiveKeys: [INACTIVE_APIFRAME_KEY],
  });
  h = await gatewayHarness(gw, 'apiframe');
  media = await makeFixtures(h.dir);
  bucket = await serveFolder(h.dir);
});
afterAll(async () => {
  await bucket?.close();
  await h?.close();
  await gw?.close();
});

describe('Apiframe wire format', () => {
  it('sends X-API-Key and seedanceParams with start/end images, audio off and the seed; reads 202, progress and the video', async () => {
    const req = gatewayShot('apiframe', {
      model: 'seedance-2.0-fast',
      prompt: 'Image 1 dissolves into image 2',
      firstFrame: { url: bucket.url('harbour.png') },
      lastFrame: { url: bucket.url('character.jpg') },
      generateAudio: false,
      seed: 42,
      ratio: '4:3',
    });
    const ctx = await h.ctx(req);
    const from = gw.stats().log.length;
    const r = await h.provider().generate(req, ctx);
    expect(createBodies(gw).at(-1)).toEqual({
      prompt: 'image 1 dissolves into image 2',
      model: 'seedance-2-fast',
      seedanceParams: {
        resolution: '480p',
        aspect_ratio: '4:3',
        duration: 4,
        start_image: bucket.url('harbour.png'),
        end_image: bucket.url('character.jpg'),
        generate_audio: false,
        seed: 42,
      },
    });
    const calls = gw.stats().log.slice(from);
    expect(calls.find((e) => e.route === 'create')?.status).toBe(202);
    expect(calls.every((e) => !e.authorization)).toBe(true); // X-API-Key only, and nothing on downloads
    expect(r.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.messages).toContain('PROCESSING');
    expect(bucket.fetched).toEqual(expect.arrayContaining(['harbour.png', 'character.jpg']));
  });

  it('sends reference URL lists in port order and always says whether to generate audio', async () => {
    const req = gatewayShot('apiframe', {
      prompt: 'audio 1 over image 1',
      referenceImages: [{ url: bucket.url('harbour.png') }],
      referenceVideos: [{ url: 'https://cdn.example.com/move.mp4' }],
      referenceAudios: [{ url: bucket.url('theme.wav') }],
    });
    await h.provider().generate(req, await h.ctx(req));
    const p = createBodies(gw).at(-1)!.seedanceParams as Record<string, unknown>;
    expect(p.reference_image_urls).toEqual([bucket.url('harbour.png')]);
    expect(p.reference_video_urls).toEqual(['https://cdn.example.com/move.mp4']);
    expect(p.reference_audio_urls).toEqual([bucket.url('theme.wav')]);
    expect(p.generate_audio).toBe(true);
    expect(p).not.toHaveProperty('seed'); // -1 means "random": not sent
    expect(p).not.toHaveProperty('return_last_frame');
  });

  it('explains an inactive key (403) and a failed job, and says failed jobs are refunded', async () => {
    const req = gatewayShot('apiframe');
    const inactive = (await h
      .provider({ apiKey: INACTIVE_APIFRAME_KEY })
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as ProviderError;
    expect(inactive.message).toContain('Apiframe could not create the job: API key is inactive');
    expect(inactive.message).toContain('Check APIFRAME_API_KEY');

    gw.setFaults({ script: [{ route: 'create', kind: 'fail_task' }] });
    const req2 = gatewayShot('apiframe', { prompt: 'A storm over the cliffs' });
    const failed = (await h
      .provider()
      .generate(req2, await h.ctx(req2))
      .catch((e: unknown) => e)) as ProviderError;
    gw.setFaults({});
    expect(failed.message).toMatch(
      /^Task \S+ failed on Apiframe: Provider returned an error: content policy violation/,
    );
    expect(failed.message).toContain('creditCost becomes 0');
  });

  it('takes only the listed durations: a 5 s shot is refused before any call, naming the nearest; 6 s is the default', async () => {
    expect(defaultShotDuration('apiframe')).toBe(6);
    expect(defaultShotDuration('ark')).toBe(5);
    const before = gw.stats().requests;
    const req = gatewayShot('apiframe', { duration: 5 });
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toContain(
      'Apiframe takes 4, 6, 8, 10, 12 or 15 s only; 5 s is not available (the nearest is 6 s)',
    );
    expect(gw.stats().requests).toBe(before);
    // The mock holds the same list: a client that skipped the check gets the gateway's 400.
    const raw = await fetch(`${gw.url}/v2/videos/generate`, {
      method: 'POST',
      headers: { 'X-API-Key': GATEWAY_KEYS.apiframe, 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', model: 'seedance-2', seedanceParams: { duration: 5 } }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toContain('seedanceParams.duration must be one of 4, 6, 8, 10, 12, 15');
    const six = gatewayShot('apiframe', { duration: 6 });
    await h.provider().generate(six, await h.ctx(six));
    expect((createBodies(gw).at(-1)!.seedanceParams as { duration: number }).duration).toBe(6);
  });

  it('needs a prompt: a shot of media alone is refused before any call', async () => {
    const before = gw.stats().requests;
    const req = gatewayShot('apiframe', {
      prompt: '',
      referenceImages: [{ url: bucket.url('harbour.png') }],
    });
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.message).toContain('Apiframe needs a prompt for every shot');
    expect(gw.stats().requests).toBe(before);
  });

  it.each(['video_url', 'url', 'videos', 'string'] as const)(
    'reads the finished link wherever it sits: result as %s',
    async (resultShape) => {
      const m = await startMockGateway({
        kind: 'apiframe',
        queuedMs: 10,
        runningMs: 30,
        apiKey: GATEWAY_KEYS.apiframe,
        resultShape,
      });
      try {
        const req = gatewayShot('apiframe');
        const r = await h.provider({ baseUrl: m.url }).generate(req, await h.ctx(req));
        expect(r.video).toMatch(/video\.mp4$/);
        expect(m.stats().creates).toBe(1);
      } finally {
        await m.close();
      }
    },
  );

  it('refuses local media and a watermark before any call', async () => {
    for (const c of [
      { firstFrame: { path: media.png } },
      { referenceVideos: [{ path: media.mp4 }] },
      { watermark: true },
    ]) {
      const before = gw.stats().requests;
      const req = gatewayShot('apiframe', c);
      const err = (await h
        .provider()
        .generate(req, await h.ctx(req))
        .catch((e: unknown) => e)) as ProviderError;
      expect(err.message).toMatch(/^Apiframe (takes (images|videos) only as URLs|cannot add a watermark)/);
      expect(gw.stats().requests).toBe(before);
    }
  });
});
