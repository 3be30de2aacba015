// What the Ark provider sends: content[] roles in port order, lowercase base64 data URIs with the
// file's exact bytes, region model ids, and local reference videos refused before any paid call.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArkContent, resolveArkModel, shotMarker } from '../../electron/providers/ark';
import { decodeDataUri } from '../../electron/providers/remote/media';
import { ProviderError } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { makeFixtures, type Fixtures } from './fixtures';
import { harness, lastSeq, logged, shot, TEST_KEY, type Harness } from './helpers';

let gw: MockGateway;
let h: Harness;
let media: Fixtures;

beforeAll(async () => {
  gw = await startMockGateway({
    kind: 'ark',
    queuedMs: 30,
    runningMs: 30,
    autoDurationSec: 4,
    apiKey: TEST_KEY,
  });
  h = await harness(gw);
  media = await makeFixtures(h.dir);
});
afterAll(async () => {
  await h?.close();
  await gw?.close();
});

type Item = {
  type: string;
  role?: string;
  text?: string;
  image_url?: { url: string };
  video_url?: { url: string };
  audio_url?: { url: string };
};

function lastCreateBody(from: number): { model: string; content: Item[]; [k: string]: unknown } {
  const creates = logged(gw, 'create', from);
  expect(creates).toHaveLength(1);
  return creates[0]!.body as { model: string; content: Item[] };
}

describe('Ark content[]', () => {
  it('sends text, first frame, last frame in port order as lowercase base64 of the exact file bytes', async () => {
    const from = lastSeq(gw);
    const req = shot({
      prompt: 'Image 1 fades into image 2, "hello" she says',
      firstFrame: { path: media.png },
      lastFrame: { path: media.jpg },
    });
    const result = await h.provider().generate(req, await h.ctx(req));
    const body = lastCreateBody(from);
    expect(body.content.map((c) => [c.type, c.role ?? null])).toEqual([
      ['text', null],
      ['image_url', 'first_frame'],
      ['image_url', 'last_frame'],
    ]);
    expect(body.content[0]!.text).toBe(req.prompt); // the prompt goes as written
    const first = body.content[1]!.image_url!.url;
    const last = body.content[2]!.image_url!.url;
    expect(first.startsWith('data:image/png;base64,')).toBe(true);
    expect(last.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(decodeDataUri(first)!.bytes.equals(await readFile(media.png))).toBe(true);
    expect(decodeDataUri(last)!.bytes.equals(await readFile(media.jpg))).toBe(true);
    expect(body).toMatchObject({
      model: 'dreamina-seedance-2-0-260128',
      ratio: '16:9',
      resolution: '480p',
      duration: 4,
      generate_audio: true,
      watermark: false,
      return_last_frame: true,
      safety_identifier: shotMarker(req.key),
    });
    expect(body).not.toHaveProperty('seed'); // -1 means "not chosen": not sent
    expect(result.taskId).toMatch(/^cgt-\d{14}-[a-z0-9]{5}$/);
  });

  it('numbers reference media in wiring order: images, then videos, then audios', async () => {
    const from = lastSeq(gw);
    const req = shot({
      prompt:
        'The character from image 2 walks through the set of image 1, camera like video 1, music audio 1',
      referenceImages: [{ path: media.png }, { path: media.jpg }],
      referenceVideos: [
        { url: 'https://cdn.example.com/move.mp4' },
        { url: 'asset://asset-20260924140015-hczmn' },
      ],
      referenceAudios: [{ path: media.wav }],
      duration: 'auto',
      seed: 7,
    });
    const result = await h.provider().generate(req, await h.ctx(req));
    const body = lastCreateBody(from);
    expect(body.content.map((c) => [c.type, c.role ?? null])).toEqual([
      ['text', null],
      ['image_url', 'reference_image'],
      ['image_url', 'reference_image'],
      ['video_url', 'reference_video'],
      ['video_url', 'reference_video'],
      ['audio_url', 'reference_audio'],
    ]);
    expect(decodeDataUri(body.content[1]!.image_url!.url)!.bytes.equals(await readFile(media.png))).toBe(
      true,
    );
    expect(decodeDataUri(body.content[2]!.image_url!.url)!.bytes.equals(await readFile(media.jpg))).toBe(
      true,
    );
    expect(body.content[3]!.video_url!.url).toBe('https://cdn.example.com/move.mp4');
    expect(body.content[4]!.video_url!.url).toBe('asset://asset-20260924140015-hczmn');
    expect(body.content[5]!.audio_url!.url.startsWith('data:audio/wav;base64,')).toBe(true);
    expect(body.duration).toBe(-1); // auto: the model chooses
    expect(body.seed).toBe(7);
    expect(result.durationSec).toBeCloseTo(4, 1); // what the mock chose for -1
  });

  it('refuses a local reference video before any call, naming the field and how to fix it', async () => {
    const before = gw.stats();
    const req = shot({ referenceImages: [{ path: media.png }], referenceVideos: [{ path: media.mp4 }] });
    const ctx = await h.ctx(req);
    const err = await h
      .provider()
      .generate(req, ctx)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).opts.field).toBe('reference_videos');
    expect((err as ProviderError).message).toMatch(/https URL/);
    expect((err as ProviderError).message).toMatch(/asset:\/\//);
    const after = gw.stats();
    expect(after.creates).toBe(before.creates);
    expect(after.requests).toBe(before.requests); // not even a list or a get
    expect(ctx.journal.current()).toBeUndefined(); // no intent: nothing could have been paid for
  });

  it('lowercases the media type of data URIs given as URLs and passes remote URLs through', async () => {
    const png = (await readFile(media.png)).toString('base64');
    const built = await buildArkContent(
      shot({
        prompt: '',
        referenceImages: [{ url: `data:IMAGE/PNG;base64,${png}` }, { url: 'https://cdn.example.com/a.png' }],
      }),
    );
    expect(
      built.content.map((c) => (c.type === 'image_url' ? c.image_url.url.slice(0, 22) : c.type)),
    ).toEqual(['data:image/png;base64,', 'https://cdn.example.co']);
    expect(built.ports).toEqual(['reference_images', 'reference_images']);
  });

  it('refuses a file that is not the media kind its port expects', async () => {
    const err = await buildArkContent(shot({ firstFrame: { path: media.wav } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).opts.field).toBe('first_frame');
  });
});

describe('Ark model names', () => {
  const cn = 'https://ark.cn-beijing.volces.com/api/v3';
  const intl = 'https://ark.ap-southeast.bytepluses.com/api/v3';
  it('maps friendly names to each region', () => {
    expect(resolveArkModel('seedance-2.0', cn)).toBe('doubao-seedance-2-0-260128');
    expect(resolveArkModel('seedance-2.0-fast', cn)).toBe('doubao-seedance-2-0-fast-260128');
    expect(resolveArkModel('seedance-2.0', intl)).toBe('dreamina-seedance-2-0-260128');
    expect(resolveArkModel('seedance-2.0-fast', intl)).toBe('dreamina-seedance-2-0-fast-260128');
    expect(resolveArkModel('seedance-2.0', 'http://127.0.0.1:8787/api/v3')).toBe(
      'dreamina-seedance-2-0-260128',
    );
  });
  it('passes raw model ids and endpoint ids through', () => {
    expect(resolveArkModel('doubao-seedance-2-0-mini-260615', cn)).toBe('doubao-seedance-2-0-mini-260615');
    expect(resolveArkModel('ep-20260401123456-abcde', intl)).toBe('ep-20260401123456-abcde');
  });
});
