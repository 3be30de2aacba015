// The shared runner under faults: 429 waits for Retry-After, 5xx and resets are retried (a create
// only after checking the task list), a 400 is never repeated, garbage is an error with a request
// id, and a truncated download is retried and never accepted.
import { readdir, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, isAmbiguousCreateFailure, isRetryable } from '../../electron/providers/remote/errors';
import { ProviderError } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { harness, lastSeq, logged, shot, TEST_KEY, type Harness } from './helpers';

let gw: MockGateway;
let h: Harness;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 20, apiKey: TEST_KEY });
  h = await harness(gw);
});
afterAll(async () => {
  await h?.close();
  await gw?.close();
});

/** One shot with the given faults; returns the result or error and what the mock saw meanwhile. */
async function run(script: Parameters<MockGateway['setFaults']>[0]['script']) {
  gw.setFaults({ script: script ?? [] });
  const from = lastSeq(gw);
  const creates = gw.stats().creates;
  const retries = h.retries.length;
  const req = shot(); // same prompt and size every time: the mock renders once and reuses it
  const ctx = await h.ctx(req);
  const outcome = await h
    .provider()
    .generate(req, ctx)
    .then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e: e as ProviderError }),
    );
  gw.setFaults({});
  const to = lastSeq(gw);
  return {
    outcome,
    ctx,
    creates: gw.stats().creates - creates,
    retries: h.retries.slice(retries),
    log: (route: Parameters<typeof logged>[1]) => logged(gw, route, from).filter((e) => e.seq <= to),
  };
}

describe('retries', () => {
  it('429 on create: waits at least Retry-After, then succeeds with one task', async () => {
    const t = await run([{ route: 'create', kind: 'rate_limit', retryAfterSec: 1 }]);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
    const [r429] = t.retries;
    expect(r429).toMatchObject({ what: 'create the task', status: 429 });
    expect(r429!.delayMs).toBeGreaterThanOrEqual(1000);
    const [first, second] = t.log('create');
    expect(first!.status).toBe(429);
    expect(second!.status).toBe(200);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000); // a lower bound: the wait really happened
  });

  it('500 and resets while polling are retried', async () => {
    const t = await run([
      { route: 'get', kind: 'server_error', nth: 1, times: 2 },
      { route: 'get', kind: 'reset', times: 2 },
    ]);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
    expect(t.retries.filter((r) => r.status === 500)).toHaveLength(2);
    expect(t.retries.filter((r) => /connection/.test(r.reason))).toHaveLength(2);
    expect(t.log('get').filter((e) => e.status === 'reset')).toHaveLength(2);
  });

  it('500 on create: checks the task list before sending it again, one task in the end', async () => {
    const t = await run([{ route: 'create', kind: 'server_error' }]);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
    expect(t.log('create')).toHaveLength(2);
    expect(t.log('list').length).toBeGreaterThan(0);
    const listAt = t.log('list')[0]!.seq;
    expect(t.log('create')[1]!.seq).toBeGreaterThan(listAt);
  });

  it('a reset before the gateway acted: list shows nothing, so it is sent again (one task)', async () => {
    const t = await run([{ route: 'create', kind: 'reset' }]);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
    expect(t.log('create')).toHaveLength(2);
  });

  it('a create that succeeded server-side but reset before answering is found in the list, never resent', async () => {
    const t = await run([{ route: 'create', kind: 'reset_after_create' }]);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
    expect(t.log('create')).toHaveLength(1);
    expect(t.ctx.journal.current()).toMatchObject({ state: 'succeeded' });
  });

  it('a create answered with garbage is reconciled the same way', async () => {
    const a = await run([{ route: 'create', kind: 'malformed' }]);
    const b = await run([{ route: 'create', kind: 'garbage' }]);
    for (const t of [a, b]) {
      expect(t.outcome.ok).toBe(true);
      expect(t.creates).toBe(1);
      expect(t.log('create')).toHaveLength(1);
    }
  });

  it('a 400 is never retried', async () => {
    const t = await run([
      {
        route: 'create',
        kind: 'error',
        status: 400,
        code: 'InvalidParameter',
        param: 'ratio',
        times: Infinity,
      },
    ]);
    expect(t.outcome.ok).toBe(false);
    expect(t.log('create')).toHaveLength(1);
    // The task list is read once before the create (the gateway's record); a refusal is not looked up.
    const createdAt = t.log('create')[0]!.seq;
    expect(t.log('list').filter((e) => e.seq > createdAt)).toHaveLength(0);
    expect(t.retries).toHaveLength(0);
    expect(!t.outcome.ok && t.outcome.e.opts.field).toBe('ratio');
    expect(t.ctx.journal.current()?.state).toBe('failed');
  });

  it('retry rules: x-should-retry wins except over a 400; creates only repeat when surely unprocessed', () => {
    const e = (init: Partial<ConstructorParameters<typeof GatewayError>[1]>) =>
      new GatewayError('x', { kind: 'http', what: 'x', maybeProcessed: true, ...init });
    expect(isRetryable(e({ status: 400, shouldRetry: true }), true)).toBe(false);
    expect(isRetryable(e({ status: 503, shouldRetry: false }), true)).toBe(false);
    expect(isRetryable(e({ status: 403, shouldRetry: true }), true)).toBe(true);
    expect(isRetryable(e({ status: 500 }), true)).toBe(true);
    expect(isRetryable(e({ status: 500 }), false)).toBe(false);
    expect(isRetryable(e({ status: 429 }), false)).toBe(true);
    expect(isRetryable(e({ kind: 'network', maybeProcessed: false }), false)).toBe(true);
    expect(isRetryable(e({ kind: 'network', maybeProcessed: true }), false)).toBe(false);
    expect(isAmbiguousCreateFailure(e({ kind: 'network', maybeProcessed: true }))).toBe(true);
    expect(isAmbiguousCreateFailure(e({ status: 502 }))).toBe(true);
    expect(isAmbiguousCreateFailure(e({ status: 403 }))).toBe(false);
  });
});

describe('garbage from the gateway', () => {
  it('is an error carrying the request id, and the task is still picked up by the next run', async () => {
    const t = await run([{ route: 'get', kind: 'malformed', times: Infinity }]);
    expect(t.outcome.ok).toBe(false);
    const err = !t.outcome.ok ? t.outcome.e : undefined;
    expect(err).toBeInstanceOf(ProviderError);
    const ids = t.log('get').map((g) => g.requestId);
    expect(ids).toContain(err!.opts.requestId);
    expect(err!.message).toContain(err!.opts.requestId!);
    expect(err!.message).toMatch(/not JSON/);
    expect(t.ctx.journal.current()?.state).toBe('submitted');
    // Same shot again with the gateway healthy: polled, not paid for twice.
    const before = gw.stats().creates;
    const req = shot({ key: t.ctx.journal.current()!.key });
    const r = await h.provider().generate(req, await h.ctx(req));
    expect(r.taskId).toBe(t.ctx.journal.current()!.taskId);
    expect(gw.stats().creates).toBe(before);
  });

  it('valid JSON of the wrong shape is caught by the schema and names the field', async () => {
    const t = await run([{ route: 'get', kind: 'garbage', times: Infinity }]);
    expect(t.outcome.ok).toBe(false);
    const err = !t.outcome.ok ? t.outcome.e : undefined;
    expect(err!.message).toMatch(/unexpected answer/);
    expect(err!.message).toMatch(/request id 0217/);
  });
});

describe('downloads', () => {
  it('a truncated download is retried and the full file kept', async () => {
    const t = await run([{ route: 'download', kind: 'truncate', times: 2 }]);
    expect(t.outcome.ok).toBe(true);
    const r = t.outcome.ok ? t.outcome.r : undefined;
    const cut = t.retries.filter((x) => /download/.test(x.what));
    expect(cut).toHaveLength(2);
    expect(cut[0]!.reason).toMatch(/cut short|of \d+ bytes/);
    const downloads = t.log('download').filter((d) => d.path.includes('video.mp4'));
    expect(downloads).toHaveLength(3);
    expect((await stat(r!.video)).size).toBeGreaterThan(1000);
  });

  it('a download that is always truncated fails and leaves nothing behind', async () => {
    const t = await run([{ route: 'download', kind: 'truncate', times: Infinity }]);
    expect(t.outcome.ok).toBe(false);
    expect(!t.outcome.ok && t.outcome.e.message).toMatch(/could not download the video/);
    expect(await readdir(t.ctx.outDir)).toEqual([]);
    expect(t.ctx.journal.current()?.state).toBe('submitted'); // the next run downloads it again
  });
});
