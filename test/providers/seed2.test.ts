// What the seed2.io provider sends and how it reads the answers (docs/gateways.md §2.1): the flat
// body with media as URLs in port order, @image_file_N in the prompt, the envelope read before the
// HTTP status, integer task ids, credits as the shot's cost; local files refused before any call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../electron/providers/types';
import { serveFolder, type Bucket } from '../mocks/bucket';
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
let bucket: Bucket;

beforeAll(async () => {
  gw = await startMockGateway({
    kind: 'seed2',
    queuedMs: 20,
    runningMs: 40,
    apiKey: GATEWAY_KEYS.seed2,
    balance: 20_000,
  });
  h = await gatewayHarness(gw, 'seed2');
  media = await makeFixtures(h.dir);
  bucket = await serveFolder(h.dir);
});
afterAll(async () => {
  await bucket?.close();
  await h?.close();
  await gw?.close();
});

const requests = () => gw.stats().requests;
const balance = () => gw.stats().balance as number;

describe('seed2.io wire format', () => {
  it('sends the first frame as image_files[0], names it in the prompt, and spells references @image_file_N', async () => {
    const req = gatewayShot('seed2', {
      model: 'seedance-2.0-fast',
      prompt: 'Image 1 slowly comes alive',
      firstFrame: { url: bucket.url('harbour.png') },
    });
    const before = balance();
    const r = await h.provider().generate(req, await h.ctx(req));
    const body = createBodies(gw).at(-1)!;
    expect(body).toEqual({
      prompt: '@image_file_1 is the first frame. @image_file_1 slowly comes alive',
      model: 'seedance_2.0_fast',
      duration: 4,
      ratio: '16:9',
      image_files: [bucket.url('harbour.png')],
    });
    expect(bucket.fetched).toContain('harbour.png'); // the mock opened on it
    // Integer task id, kept as text; 4 s on fast = 2,320 credits = $0.232.
    expect(r.taskId).toMatch(/^\d+$/);
    expect(r.costUsd).toBeCloseTo(0.232, 6);
    expect(before - balance()).toBe(2320);
  });

  it('sends references as URL lists in port order, and no field seed2.io does not document', async () => {
    const req = gatewayShot('seed2', {
      prompt: 'The figure of image 2 walks through image 1 to the beat of audio 1, moving like video 1',
      referenceImages: [{ url: bucket.url('harbour.png') }, { url: bucket.url('character.jpg') }],
      referenceVideos: [{ url: 'https://cdn.example.com/move.mp4' }],
      referenceAudios: [{ url: bucket.url('theme.wav') }],
    });
    await h.provider().generate(req, await h.ctx(req));
    const body = createBodies(gw).at(-1)!;
    expect(body.prompt).toBe(
      'The figure of @image_file_2 walks through @image_file_1 to the beat of @audio_file_1, moving like @video_file_1',
    );
    expect(body.image_files).toEqual([bucket.url('harbour.png'), bucket.url('character.jpg')]);
    expect(body.video_files).toEqual(['https://cdn.example.com/move.mp4']);
    expect(body.audio_files).toEqual([bucket.url('theme.wav')]);
    expect(Object.keys(body).sort()).toEqual([
      'audio_files',
      'duration',
      'image_files',
      'model',
      'prompt',
      'ratio',
      'video_files',
    ]);
  });

  it('reads the envelope before the status: an error inside an HTTP 200 is an error', async () => {
    // The mock answers {"code":402,"message":"insufficient points…"} with HTTP 200 once the balance is low.
    const req = gatewayShot('seed2', {
      model: 'seedance-2.0',
      duration: 15,
      prompt: 'A long take across the bay',
    });
    const createsBefore = gw.stats().createRequests;
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toContain('seed2.io could not create the task: 402: insufficient points');
    expect(err.message).toContain('Top up in the seed2.io dashboard');
    expect(gw.stats().createRequests - createsBefore).toBe(1); // a refusal is not retried
    expect(h.journal.forShot(req.key, req.nodeId, 'seed2').current()?.state).toBe('failed');
  });

  it('reads the same envelope when the gateway also sets the HTTP status', async () => {
    const mirror = await startMockGateway({
      kind: 'seed2',
      httpErrors: 'mirror',
      apiKey: GATEWAY_KEYS.seed2,
    });
    try {
      const req = gatewayShot('seed2');
      const err = (await h
        .provider({ baseUrl: mirror.url, apiKey: 'sk-s2-not-the-right-key-000000000' })
        .generate(req, await h.ctx(req))
        .catch((e: unknown) => e)) as ProviderError;
      expect(err.message).toContain('seed2.io could not create the task: 401: invalid api key');
      expect(err.message).toContain('Check SEED2_API_KEY');
      expect(mirror.stats().log.map((e) => e.status)).toEqual([401]);
    } finally {
      await mirror.close();
    }
  });

  it('refuses local files, a last frame and an adaptive ratio before any call', async () => {
    const cases = [
      { firstFrame: { path: media.png } },
      { referenceAudios: [{ path: media.wav }], referenceImages: [{ url: bucket.url('harbour.png') }] },
      { firstFrame: { url: bucket.url('harbour.png') }, lastFrame: { url: bucket.url('character.jpg') } },
      { ratio: 'adaptive' as const },
    ];
    const expected = [
      /^seed2\.io takes images only as URLs, but the first frame is harbour\.png, a file on this machine; upload it where an https link reaches it/,
      /^seed2\.io takes audios only as URLs, but the reference audio is theme\.wav/,
      /^seed2\.io has no last-frame input/,
      /^seed2\.io has no adaptive ratio/,
    ];
    for (const [i, c] of cases.entries()) {
      const before = requests();
      const req = gatewayShot('seed2', c);
      const err = (await h
        .provider()
        .generate(req, await h.ctx(req))
        .catch((e: unknown) => e)) as ProviderError;
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.message).toMatch(expected[i]!);
      expect(err.message).toContain('Nothing was submitted');
      expect(requests()).toBe(before);
      expect(h.journal.forShot(req.key, req.nodeId, 'seed2').current()).toBeUndefined();
    }
  });

  it('says that a failed task is refunded, and the mock gives the credits back', async () => {
    gw.setFaults({
      script: [{ route: 'create', kind: 'fail_task', message: 'generation failed: upstream timeout' }],
    });
    const before = balance();
    const req = gatewayShot('seed2', { prompt: 'A gull over the harbour' });
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as ProviderError;
    gw.setFaults({});
    expect(err.message).toMatch(/^Task \d+ failed on seed2\.io: generation failed: upstream timeout/);
    expect(err.message).toContain('refunds the credits of a failed task');
    expect(balance()).toBe(before);
  });
});
