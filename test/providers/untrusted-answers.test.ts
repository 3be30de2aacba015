// Every gateway answer may be wrong (issue 10, items 4 and 5): a clip served short with a matching
// Content-Length, garbage bytes, a download that trickles, status checks that never answer and a
// task that never finishes. Each ends in bounded time with a message that says what happened and
// what to do, never with a broken clip kept, and never with a second paid create.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClip } from '../../electron/media/verify-clip';
import { limitsFromEnv } from '../../electron/providers/gateways/limits';
import { ProviderError } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { GATEWAY_KEYS, gatewayHarness, gatewayShot } from './gateways-harness';
import { harness, shot, TEST_KEY, type Harness } from './helpers';

let gw: MockGateway;
let h: Harness;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 40, apiKey: TEST_KEY });
  h = await harness(gw);
});
afterAll(async () => {
  await h?.close();
  await gw?.close();
});

/** One shot with faults and limits; what came of it, what the mock saw, and how long it took. */
async function run(
  script: NonNullable<Parameters<MockGateway['setFaults']>[0]['script']>,
  limits: Parameters<Harness['provider']>[0] = {},
  req = shot(),
) {
  gw.setFaults({ script });
  const creates = gw.stats().creates;
  const retries = h.retries.length;
  const ctx = await h.ctx(req);
  const started = Date.now();
  const outcome = await h
    .provider(limits)
    .generate(req, ctx)
    .then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e: e as ProviderError }),
    );
  const seconds = (Date.now() - started) / 1000;
  gw.setFaults({});
  return {
    req,
    ctx,
    outcome,
    seconds,
    creates: gw.stats().creates - creates,
    retries: h.retries.slice(retries),
  };
}

/** The same shot again on a healthy gateway: the recorded task is fetched, nothing is paid. */
async function rerun(req: ReturnType<typeof shot>, taskId: string | undefined) {
  const creates = gw.stats().creates;
  const r = await h.provider().generate(req, await h.ctx(req));
  expect(r.taskId).toBe(taskId);
  expect(gw.stats().creates - creates).toBe(0);
  return r;
}

const errorOf = (o: { ok: boolean; e?: ProviderError }) => {
  expect(o.ok).toBe(false);
  expect(o.e).toBeInstanceOf(ProviderError);
  return o.e!;
};

describe('a clip is verified before it is kept', () => {
  it('served short once with a matching Content-Length: fetched again, every frame kept, one create', async () => {
    const t = await run([{ route: 'download', kind: 'short', match: 'video.mp4' }]);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
    const damaged = t.retries.filter((r) => /damaged/.test(r.reason));
    expect(damaged).toHaveLength(1);
    expect(damaged[0]!.reason).toMatch(/holds \d+ of the 96 frames Ark reported \(4 s at 24 fps\)/);
    const r = t.outcome.ok ? t.outcome.r : undefined;
    expect(await verifyClip(r!.video, { expectedSec: 4 })).toMatchObject({ frames: 96 });
  });

  it('garbage bytes once: fetched again and kept whole', async () => {
    const t = await run([{ route: 'download', kind: 'corrupt', match: 'video.mp4' }]);
    expect(t.outcome.ok).toBe(true);
    expect(t.retries.filter((r) => /damaged/.test(r.reason))).toHaveLength(1);
    const r = t.outcome.ok ? t.outcome.r : undefined;
    expect((await verifyClip(r!.video)).frames).toBe(96);
  });

  it('always short: the shot fails saying so, nothing is kept, and the next run fetches the task without paying', async () => {
    const t = await run([{ route: 'download', kind: 'short', match: 'video.mp4', times: Infinity }]);
    const err = errorOf(t.outcome);
    expect(err.message).toMatch(/could not download the video of task cgt-\S+ after 4 attempts/);
    expect(err.message).toMatch(/the file is damaged: it holds \d+ of the 96 frames Ark reported/);
    expect(err.message).toMatch(/The task is paid for and recorded/);
    expect(t.creates).toBe(1);
    expect(await readdir(t.ctx.outDir)).toEqual([]);
    const entry = t.ctx.journal.current();
    expect(entry?.state).toBe('submitted');
    await rerun(t.req, entry?.taskId);
  });
});

describe('deadlines on the network', () => {
  it('a trickling download is abandoned below the minimum rate and given up on in bounded time', async () => {
    const t = await run(
      [{ route: 'download', kind: 'trickle', match: 'video.mp4', times: Infinity, intervalMs: 100 }],
      { limits: { downloadMinBytesPerSec: 64 * 1024, downloadWindowMs: 400, downloadMaxMs: 2500 } },
    );
    const err = errorOf(t.outcome);
    expect(err.message).toMatch(/could not download the video of task cgt-\S+ after \d+ attempts/);
    expect(err.message).toMatch(/below the minimum of 64 KiB\/s|did not finish within 2\.5 s/);
    expect(err.message).toMatch(/SHOTGRAPH_DOWNLOAD_MIN_KIBPS/);
    expect(t.retries.some((r) => /below the minimum/.test(r.reason))).toBe(true);
    expect(t.seconds).toBeLessThan(30); // the limit is 2.5 s; anything near 30 s means no limit at all
    expect(t.creates).toBe(1);
    await rerun(t.req, t.ctx.journal.current()?.taskId);
  });

  it('status checks that never answer: each request times out, the shot stops, the task is kept', async () => {
    const t = await run([{ route: 'get', kind: 'hang', times: Infinity }], {
      limits: { statusTimeoutMs: 200, unreachableMs: 1500 },
    });
    const err = errorOf(t.outcome);
    expect(err.message).toMatch(/^Ark did not answer about task cgt-\S+ for 1\.5 s/);
    expect(err.message).toMatch(/each status request gives up after 0\.2 s/);
    expect(err.message).toMatch(/not paid for twice/);
    expect(err.message).toMatch(/ARK_BASE_URL/);
    expect(t.retries.some((r) => /no answer within/.test(r.reason))).toBe(true);
    expect(t.seconds).toBeLessThan(30);
    expect(t.creates).toBe(1);
    expect(t.ctx.journal.current()?.state).toBe('submitted');
    await rerun(t.req, t.ctx.journal.current()?.taskId);
  });

  it("a task still running past its own expiry (Ark's execution_expires_after) is not waited for", async () => {
    const short = await startMockGateway({
      kind: 'ark',
      queuedMs: 10,
      runningMs: 10,
      expiresAfterSec: 1,
      apiKey: TEST_KEY,
    });
    const h2 = await harness(short);
    try {
      short.hold(['running']);
      const req = shot();
      const ctx = await h2.ctx(req);
      const err = await h2
        .provider({ limits: { expiryGraceMs: 500 } })
        .generate(req, ctx)
        .catch((e: unknown) => e as ProviderError);
      short.hold([]);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as Error).message).toMatch(
        /^Task cgt-\S+ is still running on Ark after [\d.]+ s, past the time Ark gives a task to finish \(\d{4}-/,
      );
      expect((err as Error).message).toMatch(/next run picks it up/);
      expect(ctx.journal.current()?.state).toBe('submitted');
      expect(short.stats().creates).toBe(1);
    } finally {
      await h2.close();
      await short.close();
    }
  });

  it('where the gateway states no expiry, SHOTGRAPH_MAX_WAIT_MS bounds the wait', async () => {
    const seed2 = await startMockGateway({
      kind: 'seed2',
      queuedMs: 10,
      runningMs: 10,
      apiKey: GATEWAY_KEYS.seed2,
    });
    const g = await gatewayHarness(seed2, 'seed2');
    try {
      seed2.hold(['running']);
      const req = gatewayShot('seed2');
      const err = await g
        .provider({ limits: { maxWaitMs: 800 } })
        .generate(req, await g.ctx(req))
        .catch((e: unknown) => e as ProviderError);
      seed2.hold([]);
      expect((err as Error).message).toMatch(/^Task \S+ is still processing on seed2\.io after [\d.]+ s;/);
      expect((err as Error).message).toMatch(/SHOTGRAPH_MAX_WAIT_MS/);
      expect(seed2.stats().creates).toBe(1);
    } finally {
      await g.close();
      await seed2.close();
    }
  });

  it('limits come from the environment, and a value that is not a number is refused by name', () => {
    expect(
      limitsFromEnv({
        SHOTGRAPH_STATUS_TIMEOUT_MS: '250',
        SHOTGRAPH_DOWNLOAD_MIN_KIBPS: '8',
        SHOTGRAPH_RECONCILE_MS: ' 9000 ',
      }),
    ).toEqual({ statusTimeoutMs: 250, downloadMinBytesPerSec: 8192, reconcileMs: 9000 });
    expect(() => limitsFromEnv({ SHOTGRAPH_UNREACHABLE_MS: 'soon' })).toThrow(
      'SHOTGRAPH_UNREACHABLE_MS must be a number (milliseconds), not "soon".',
    );
  });
});
