// Every task status the gateway can report, what the user gets for each, and the error → advice
// mapping for synchronous refusals.
import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { ProviderError } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { makeFixtures, type Fixtures } from './fixtures';
import { harness, lastSeq, logged, shot, TEST_KEY, type Harness } from './helpers';

let gw: MockGateway;
let h: Harness;
let media: Fixtures;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 150, runningMs: 60, apiKey: TEST_KEY });
  h = await harness(gw);
  media = await makeFixtures(h.dir);
});
afterAll(async () => {
  await h?.close();
  await gw?.close();
});

async function fail(req = shot()): Promise<ProviderError> {
  const err = await h
    .provider()
    .generate(req, await h.ctx(req))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('task statuses', () => {
  it('queued → running → succeeded: downloads the video and the last frame at once, reports tokens', async () => {
    const from = lastSeq(gw);
    const req = shot();
    const ctx = await h.ctx(req);
    // Each status is held until the provider has seen it, so the test does not race the mock's timers.
    gw.hold(['queued', 'running']);
    const progress = ctx.progress;
    ctx.progress = (f, m) => {
      if (m === 'queued') gw.hold(['running']);
      if (m === 'running') gw.hold([]);
      progress(f, m);
    };
    const r = await h.provider().generate(req, ctx);
    expect(ctx.messages).toContain('queued');
    expect(ctx.messages).toContain('running');
    expect(ctx.taskIds).toEqual([r.taskId]);
    const info = await probeMedia(r.video);
    expect(info.video).toMatchObject({ codec: 'h264', width: 864, height: 496 });
    expect(info.durationSec).toBeCloseTo(4, 1);
    expect(r.durationSec).toBeCloseTo(4, 1);
    expect(r.tokens).toBe(Math.floor((864 * 496 * (24 * 4 + 1)) / 1024)); // 40,594
    // The last frame is the gateway's file, byte for byte, not a local re-extraction.
    const get = logged(gw, 'get', from).length;
    expect(get).toBeGreaterThan(0);
    const task = (await (
      await fetch(`${gw.url}/contents/generations/tasks/${r.taskId}`, {
        headers: { Authorization: `Bearer ${TEST_KEY}` },
      })
    ).json()) as {
      content: { last_frame_url: string };
    };
    const served = Buffer.from(await (await fetch(task.content.last_frame_url)).arrayBuffer());
    expect((await readFile(r.lastFrame)).equals(served)).toBe(true);
    // Signed media URLs are fetched without credentials; API calls carry them.
    for (const d of logged(gw, 'download', from)) expect(d.authorization).toBe(false);
    for (const a of [...logged(gw, 'create', from), ...logged(gw, 'get', from)])
      expect(a.authorization).toBe(true);
    expect(ctx.journal.current()).toMatchObject({ state: 'succeeded', taskId: r.taskId });
    // Only the two results are left in the shot folder: no temp files.
    expect((await readdir(ctx.outDir)).sort()).toEqual(['last-frame.png', 'video.mp4']);
  });

  it('failed: says why with advice and the task id, and records it', async () => {
    gw.setFaults({
      script: [{ route: 'create', kind: 'fail_task', code: 'OutputVideoSensitiveContentDetected' }],
    });
    const req = shot();
    const err = await fail(req);
    expect(err.message).toMatch(/OutputVideoSensitiveContentDetected/);
    expect(err.message).toMatch(/not billed/);
    expect(err.opts.taskId).toMatch(/^cgt-/);
    const j = h.journal.entries().find((e) => e.key === req.key);
    expect(j).toMatchObject({ state: 'failed', taskId: err.opts.taskId });
  });

  it('expired: explains the queue timeout', async () => {
    gw.setFaults({ script: [{ route: 'create', kind: 'expire_task' }] });
    const err = await fail();
    expect(err.message).toMatch(/expired/);
    expect(err.message).toMatch(/execution_expires_after/);
    expect(err.opts.taskId).toMatch(/^cgt-/);
  });

  it('cancelled (deleted from the console while queued): says so', async () => {
    gw.setFaults({});
    gw.hold(['queued']);
    const req = shot();
    const ctx = await h.ctx(req);
    ctx.submitted = (id) => {
      void fetch(`${gw.url}/contents/generations/tasks/${id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${TEST_KEY}` },
      });
    };
    const err = await h
      .provider()
      .generate(req, ctx)
      .catch((e: unknown) => e);
    gw.hold([]);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toMatch(/cancelled on Ark/);
  });

  it('cancelling the run while the task is queued cancels the task, so the next run submits afresh', async () => {
    gw.hold(['queued']);
    const req = shot();
    const ac = new AbortController();
    const ctx = await h.ctx(req, ac.signal);
    ctx.submitted = () => setTimeout(() => ac.abort(), 5);
    const err = await h
      .provider()
      .generate(req, ctx)
      .catch((e: unknown) => e);
    gw.hold([]);
    expect((err as Error).name).toBe('AbortError');
    const id = ctx.journal.current()?.taskId;
    const task = gw.stats().tasks as { id: string; status: string }[];
    expect(task.find((t) => t.id === id)?.status).toBe('cancelled');
    expect(ctx.journal.current()?.state).toBe('failed');
  });

  it('extracts the last frame locally only when the gateway gives none', async () => {
    const bare = await startMockGateway({
      kind: 'ark',
      queuedMs: 10,
      runningMs: 10,
      omitLastFrame: true,
      apiKey: TEST_KEY,
    });
    const h2 = await harness(bare);
    try {
      const req = shot();
      const r = await h2.provider().generate(req, await h2.ctx(req));
      expect(logged(bare, 'download').map((d) => d.path.split('?')[0])).toEqual([
        `/__media/${r.taskId}/video.mp4`,
      ]);
      const frame = await probeMedia(r.lastFrame);
      expect(frame.video).toMatchObject({ codec: 'png', width: 864, height: 496 });
    } finally {
      await h2.close();
      await bare.close();
    }
  });
});

describe('refusals map to advice', () => {
  it('a wrong key: 401 with auth advice, never retried, key not echoed', async () => {
    const from = lastSeq(gw);
    const req = shot();
    const err = await h
      .provider({ apiKey: 'ark-wrong-0000000000000000000000000000' })
      .generate(req, await h.ctx(req))
      .then(
        () => undefined,
        (e: unknown) => e as ProviderError,
      );
    if (!err) throw new Error('expected the wrong key to be refused');
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/AuthenticationError/);
    expect(err.message).toMatch(/ARK_API_KEY/);
    expect(err.message).not.toContain('ark-wrong-0000000000000000000000000000');
    expect(logged(gw, 'create', from)).toHaveLength(1);
  });

  const cases: [string, number, string, RegExp, string?][] = [
    [
      'real face in the first frame',
      400,
      'InputImageSensitiveContentDetected.PrivacyInformation',
      /real human face/,
      'first_frame',
    ],
    ['sensitive prompt', 400, 'InputTextSensitiveContentDetected', /Rephrase/],
    ['overdue account', 403, 'AccountOverdueError', /overdue balance/],
    ['model not activated', 404, 'ModelNotOpen', /Model activation/],
    ['spend cap', 429, 'SetLimitExceeded', /Safe Experience Mode/],
    ['bad duration', 400, 'InvalidParameter', /field it names/, 'duration'],
  ];
  for (const [name, status, code, advice, field] of cases) {
    it(`${name} (${status} ${code})`, async () => {
      const param =
        field === 'first_frame' ? 'content[1].image_url.url' : field === 'duration' ? 'duration' : '';
      gw.setFaults({
        script: [
          {
            route: 'create',
            kind: 'error',
            status,
            code,
            param,
            message: 'Refused by the mock.',
            times: Infinity,
          },
        ],
      });
      const from = lastSeq(gw);
      const before = gw.stats().creates;
      const req = shot(field === 'first_frame' ? { firstFrame: { path: media.png } } : {});
      const err = await fail(req);
      gw.setFaults({});
      expect(err.message).toContain(code);
      expect(err.message).toMatch(advice);
      expect(err.opts.requestId).toMatch(/^0217/);
      if (field) expect(err.opts.field).toBe(field);
      expect(gw.stats().creates).toBe(before);
      // 4xx other than 429 is never repeated; 429 is, up to the retry budget.
      expect(logged(gw, 'create', from)).toHaveLength(status === 429 ? 5 : 1);
    });
  }
});
