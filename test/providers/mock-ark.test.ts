// The mock gateway itself must be faithful to docs/gateways.md §1.3–1.11, or the provider tests prove
// nothing. Raw HTTP here, no provider code.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { tempDir, TEST_KEY } from './helpers';

let gw: MockGateway;
let dir: string;
const auth = { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' };
const MODEL = 'dreamina-seedance-2-0-260128';

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 150, runningMs: 150, apiKey: TEST_KEY });
  dir = await tempDir('shotgraph-mock-test-');
});
afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

const tasks = () => `${gw.url}/contents/generations/tasks`;
async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = auth) {
  const res = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as Record<string, any>) : undefined,
  };
}
const text = (t = 'a paper boat on a pond') => [{ type: 'text', text: t }];
const create = (extra: Record<string, unknown> = {}) =>
  call('POST', tasks(), {
    model: MODEL,
    content: text(),
    resolution: '480p',
    ratio: '16:9',
    duration: 4,
    ...extra,
  });
async function until(id: string, statuses: string[]): Promise<Record<string, any>> {
  for (;;) {
    const r = await call('GET', `${tasks()}/${id}`);
    if (statuses.includes(r.json!.status as string)) return r.json!;
    await new Promise((res) => setTimeout(res, 25));
  }
}

describe('create', () => {
  it('answers {id} in the cgt-… format, echoing safety_identifier', async () => {
    const r = await create({ safety_identifier: 'sg-abc' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      id: expect.stringMatching(/^cgt-\d{14}-[a-z0-9]{5}$/),
      safety_identifier: 'sg-abc',
    });
    expect(r.headers.get('x-request-id')).toMatch(/^0217[0-9a-f]+/);
  });

  it('reads null as "not provided" (the Python SDK sends every field)', async () => {
    const r = await create({
      callback_url: null,
      seed: null,
      tools: null,
      frames: null,
      camera_fixed: null,
      service_tier: null,
    });
    expect(r.status).toBe(200);
  });

  const bad: [string, Record<string, unknown>, string, string?][] = [
    ['unknown field', { colour: 'red' }, 'colour'],
    ['duration out of range', { duration: 16 }, 'duration'],
    [
      'resolution the model lacks',
      { model: 'dreamina-seedance-2-0-fast-260128', resolution: '1080p' },
      'resolution',
    ],
    ['frames on a 2.x model', { frames: 121 }, 'frames'],
    ['missing model', { model: undefined }, 'model', 'MissingParameter'],
    [
      'uppercase base64 type',
      {
        content: [
          { type: 'image_url', image_url: { url: 'data:image/PNG;base64,AAAA' }, role: 'first_frame' },
        ],
      },
      'content[0].image_url.url',
    ],
    [
      'base64 reference video',
      {
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' }, role: 'reference_image' },
          { type: 'video_url', video_url: { url: 'data:video/mp4;base64,AAAA' }, role: 'reference_video' },
        ],
      },
      'content[1].video_url.url',
    ],
    [
      'mixed modes',
      {
        content: [
          { type: 'image_url', image_url: { url: 'https://x/a.png' }, role: 'first_frame' },
          { type: 'image_url', image_url: { url: 'https://x/b.png' }, role: 'reference_image' },
        ],
      },
      'content',
    ],
    [
      'audio alone on 2.0',
      { content: [{ type: 'audio_url', audio_url: { url: 'https://x/a.wav' }, role: 'reference_audio' }] },
      'content',
    ],
    [
      'bad role',
      { content: [{ type: 'video_url', video_url: { url: 'https://x/a.mp4' }, role: 'first_frame' }] },
      'content[0].role',
    ],
  ];
  for (const [name, extra, param, code] of bad) {
    it(`400 with param for ${name}`, async () => {
      const before = gw.stats().creates;
      const r = await create(extra);
      expect(r.status).toBe(400);
      expect(r.json!.error).toMatchObject({ code: code ?? 'InvalidParameter', param, type: 'BadRequest' });
      expect(r.json!.error.message).toMatch(/Request id: 0217/);
      expect(gw.stats().creates).toBe(before);
    });
  }

  it('401 envelope without a valid key', async () => {
    for (const headers of [{}, { Authorization: 'Bearer nope-nope-nope' }] as Record<string, string>[]) {
      const r = await call(
        'POST',
        tasks(),
        { model: MODEL, content: text() },
        { 'Content-Type': 'application/json', ...headers },
      );
      expect(r.status).toBe(401);
      expect(r.json!.error).toMatchObject({ code: 'AuthenticationError', param: '', type: 'Unauthorized' });
    }
  });
});

describe('task life cycle', () => {
  it('queued → running → succeeded with real media, Content-Length and the token formula', async () => {
    gw.hold(['queued', 'running']);
    const { json } = await create({ return_last_frame: true });
    const id = json!.id as string;
    const first = await call('GET', `${tasks()}/${id}`);
    expect(first.json).toMatchObject({
      id,
      model: MODEL,
      status: 'queued',
      service_tier: 'default',
      execution_expires_after: 172800,
    });
    expect(first.json).not.toHaveProperty('content');
    expect(first.json).not.toHaveProperty('usage');
    gw.hold(['running']);
    const running = await until(id, ['running']);
    expect(running).not.toHaveProperty('content');
    gw.hold([]);
    const done = await until(id, ['succeeded']);
    expect(done).toMatchObject({ resolution: '480p', ratio: '16:9', duration: 4, framespersecond: 24 });
    expect(done.usage).toEqual({ completion_tokens: 40594, total_tokens: 40594 });
    expect(done).not.toHaveProperty('error');
    expect(done.content.video_url).toMatch(/X-Tos-Expires=86400/);
    const video = await fetch(done.content.video_url as string);
    const bytes = Buffer.from(await video.arrayBuffer());
    expect(Number(video.headers.get('content-length'))).toBe(bytes.length);
    const file = path.join(dir, 'v.mp4');
    await writeFile(file, bytes);
    const info = await probeMedia(file);
    expect(info.video).toMatchObject({ codec: 'h264', width: 864, height: 496 });
    expect(info.audio?.codec).toBe('aac');
    expect(info.durationSec).toBeCloseTo(4, 1);
    const frame = await fetch(done.content.last_frame_url as string);
    expect(frame.headers.get('content-type')).toBe('image/png');
  });

  it('404 envelope for an unknown id', async () => {
    const r = await call('GET', `${tasks()}/cgt-20260101000000-nope0`);
    expect(r.status).toBe(404);
    expect(r.json!.error).toMatchObject({ code: 'NotFound', param: 'id' });
  });

  it('DELETE: cancels a queued task, refuses a running or cancelled one, deletes a finished one', async () => {
    gw.hold(['queued', 'running']);
    const q = (await create()).json!.id as string;
    expect((await call('DELETE', `${tasks()}/${q}`)).json).toEqual({});
    expect((await call('GET', `${tasks()}/${q}`)).json!.status).toBe('cancelled');
    expect((await call('DELETE', `${tasks()}/${q}`)).status).toBe(400);

    const r = (await create()).json!.id as string;
    gw.hold(['running']);
    await until(r, ['running']);
    expect((await call('DELETE', `${tasks()}/${r}`)).status).toBe(400);
    gw.hold([]);
    await until(r, ['succeeded']);
    expect((await call('DELETE', `${tasks()}/${r}`)).status).toBe(200);
    expect((await call('GET', `${tasks()}/${r}`)).status).toBe(404);
  });

  it('lists with filters and pages, newest first; bad paging is a 400 with param', async () => {
    const a = (await create({ model: 'ep-20260401000000-listx' })).json!.id as string;
    const b = (await create({ model: 'ep-20260401000000-listx' })).json!.id as string;
    const all = await call('GET', `${tasks()}?filter.model=ep-20260401000000-listx&page_size=10`);
    expect(all.json!.total).toBe(2);
    expect(all.json!.items.map((i: { id: string }) => i.id)).toEqual([b, a]); // newest first
    const one = await call('GET', `${tasks()}?filter.task_ids=${a}&filter.task_ids=nope`);
    expect(one.json!.items.map((i: { id: string }) => i.id)).toEqual([a]);
    const paged = await call('GET', `${tasks()}?filter.model=ep-20260401000000-listx&page_size=1&page_num=2`);
    expect(paged.json!.items).toHaveLength(1);
    expect(paged.json!.total).toBe(2);
    const bad = await call('GET', `${tasks()}?page_size=501`);
    expect(bad.status).toBe(400);
    expect(bad.json!.error.param).toBe('page_size');
    const badStatus = await call('GET', `${tasks()}?filter.status=expired`);
    expect(badStatus.json!.error.param).toBe('filter.status');
  });
});

describe('stats and faults', () => {
  it('serves stats as JSON and injects scripted faults', async () => {
    gw.setFaults({
      script: [
        { route: 'get', kind: 'rate_limit', retryAfterSec: 2 },
        { route: 'list', kind: 'malformed' },
      ],
    });
    const limited = await call('GET', `${tasks()}/whatever`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.json!.error.code).toMatch(/RateLimitExceeded/);
    const res = await fetch(tasks(), { headers: auth });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
    gw.setFaults({});
    const stats = (await (await fetch(`${gw.origin}/__mock/stats`)).json()) as {
      creates: number;
      faults: Record<string, number>;
      log: { body?: unknown }[];
    };
    expect(stats.creates).toBe(gw.stats().creates);
    expect(stats.faults).toMatchObject({ rate_limit: 1, malformed: 1 });
    expect(stats.log.every((e) => e.body === undefined)).toBe(true);
    const withBodies = (await (await fetch(`${gw.origin}/__mock/stats?bodies=1`)).json()) as {
      log: { route?: string; body?: unknown }[];
    };
    expect(withBodies.log.find((e) => e.route === 'create')?.body).toMatchObject({ model: MODEL });
  });

  it('a seeded random plan is reproducible', async () => {
    const { FaultInjector } = await import('../mocks/faults');
    const seq = () => {
      const f = new FaultInjector({ rate: 0.3, seed: 42 });
      const routes = ['create', 'get', 'list', 'download'] as const;
      return Array.from({ length: 50 }, (_, i) => f.next(routes[i % 4]!)?.kind ?? '-');
    };
    const a = seq();
    expect(seq()).toEqual(a);
    expect(a.filter((k) => k !== '-').length).toBeGreaterThan(5);
    expect(a.filter((k) => k === 'fail_task' || k === 'expire_task')).toEqual([]);
  });
});
