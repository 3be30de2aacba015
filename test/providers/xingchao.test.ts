// What the xingchaoyiqing provider sends and reads (docs/gateways.md §2.3): field names verbatim
// (first_image, referenceVideos, aspect_ratio, generateAudio), friendly model names mapped to the
// pro models and raw ids passed, the reference-video rule of seedance_2_0, both error shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../electron/providers/types';
import { serveFolder, type Bucket } from '../mocks/bucket';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { makeFixtures } from './fixtures';
import {
  createBodies,
  gatewayHarness,
  gatewayShot,
  GATEWAY_KEYS,
  type GatewayHarness,
} from './gateways-harness';

let gw: MockGateway;
let h: GatewayHarness;
let bucket: Bucket;

beforeAll(async () => {
  gw = await startMockGateway({
    kind: 'xingchao',
    queuedMs: 20,
    runningMs: 40,
    apiKey: GATEWAY_KEYS.xingchao,
  });
  h = await gatewayHarness(gw, 'xingchao');
  await makeFixtures(h.dir);
  bucket = await serveFolder(h.dir);
});
afterAll(async () => {
  await bucket?.close();
  await h?.close();
  await gw?.close();
});

describe('xingchaoyiqing wire format', () => {
  it('maps seedance-2.0 to seedance_2_0_pro and sends first_image/last_image with its own field names', async () => {
    const req = gatewayShot('xingchao', {
      prompt: 'From image 1 to Image 2',
      firstFrame: { url: bucket.url('harbour.png') },
      lastFrame: { url: bucket.url('character.jpg') },
      ratio: '9:16',
      generateAudio: false,
    });
    const r = await h.provider().generate(req, await h.ctx(req));
    expect(createBodies(gw).at(-1)).toEqual({
      model: 'seedance_2_0_pro',
      prompt: 'From image 1 to image 2',
      duration: 4,
      aspect_ratio: '9:16',
      generateAudio: false,
      first_image: bucket.url('harbour.png'),
      last_image: bucket.url('character.jpg'),
    });
    expect(r.taskId).toMatch(/^video_/);
    // totalTokens of a 720p 9:16 4 s clip, as the gateway reports it.
    expect(r.tokens).toBe(Math.floor((720 * 1280 * (24 * 4 + 1)) / 1024));
  });

  it('passes the raw id seedance_2_0 with the reference video it needs, in referenceVideos', async () => {
    const req = gatewayShot('xingchao', {
      model: 'seedance_2_0',
      prompt: 'The dancer of image 1 moves like video 1',
      referenceImages: [{ url: bucket.url('character.jpg') }],
      referenceVideos: [{ url: bucket.url('move.mp4') }],
    });
    await h.provider().generate(req, await h.ctx(req));
    const body = createBodies(gw).at(-1)!;
    expect(body).toMatchObject({
      model: 'seedance_2_0',
      referenceImages: [bucket.url('character.jpg')],
      referenceVideos: [bucket.url('move.mp4')],
    });
    expect(body).not.toHaveProperty('first_image');
    expect(body).not.toHaveProperty('resolution');
  });

  it('refuses a text-only shot on seedance_2_0 before any call, and says which models take one', async () => {
    const before = gw.stats().requests;
    const req = gatewayShot('xingchao', { model: 'seedance_2_0' });
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.message).toBe(
      "xingchaoyiqing's seedance_2_0 needs at least one reference video; wire one, or use model seedance_2_0_pro or seedance_2_0_fast_pro, which also render text-only and first-frame shots. Nothing was submitted.",
    );
    expect(err.opts.field).toBe('reference_videos');
    expect(gw.stats().requests).toBe(before);
  });

  it('the mock is as strict as the docs: audio alone, and frames beside references, get a 400', async () => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${gw.url}/v1/kyyvideo2/videos`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${GATEWAY_KEYS.xingchao}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'seedance_2_0_pro', prompt: 'x', ...body }),
      });
    const a = await post({ referenceAudios: ['https://cdn.example.com/a.mp3'] });
    expect(a.status).toBe(400);
    expect(await a.text()).toContain('referenceAudios needs a reference image or video');
    const mixed = await post({
      first_image: 'https://cdn.example.com/a.png',
      referenceImages: ['https://cdn.example.com/b.png'],
    });
    expect(mixed.status).toBe(400);
  });

  it('reads both error shapes: {"error":{"message"}} and {"error":"…"}', async () => {
    for (const errorShape of ['object', 'string'] as const) {
      const other = await startMockGateway({ kind: 'xingchao', errorShape, apiKey: GATEWAY_KEYS.xingchao });
      try {
        other.setFaults({
          script: [
            { route: 'create', kind: 'error', status: 400, message: 'prompt contains sensitive words' },
          ],
        });
        const req = gatewayShot('xingchao');
        const err = (await h
          .provider({ baseUrl: other.url })
          .generate(req, await h.ctx(req))
          .catch((e: unknown) => e)) as ProviderError;
        expect(err.message, errorShape).toContain('xingchaoyiqing could not create the task: ');
        expect(err.message, errorShape).toContain('prompt contains sensitive words');
        expect(err.message, errorShape).toContain('Rephrase it');
        expect(err.opts.field, errorShape).toBe('prompt');
        expect(other.stats().creates).toBe(0);
      } finally {
        await other.close();
      }
    }
  });
});
