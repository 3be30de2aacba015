// The shared gateway runner against each third-party gateway's mock: one paid create per shot, every
// fault the mocks inject survived or refused honestly, never a second bill. A lost create answer
// cannot be looked up on these gateways (none lists tasks), so the shot stops and says where to look.
import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { ProviderError } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import {
  gatewayHarness,
  gatewayShot,
  GATEWAY_KEYS,
  THIRD_PARTY,
  type GatewayHarness,
} from './gateways-harness';

const LABELS = {
  seed2: 'seed2.io',
  apiframe: 'Apiframe',
  xingchao: 'xingchaoyiqing',
  inference: 'inference.sh',
};

describe.each(THIRD_PARTY)('%s through the shared runner', (name) => {
  let gw: MockGateway;
  let h: GatewayHarness;
  beforeAll(async () => {
    gw = await startMockGateway({ kind: name, queuedMs: 20, runningMs: 60, apiKey: GATEWAY_KEYS[name] });
    h = await gatewayHarness(gw, name);
  });
  afterAll(async () => {
    await h?.close();
    await gw?.close();
  });

  const creates = () => gw.stats().creates;

  it('renders a shot with one create: a real video, and a last frame taken from it', async () => {
    const before = creates();
    const req = gatewayShot(name);
    const ctx = await h.ctx(req);
    const r = await h.provider().generate(req, ctx);
    expect(creates() - before).toBe(1);
    expect(ctx.taskIds).toEqual([r.taskId]);
    const info = await probeMedia(r.video);
    expect(info.video?.codec).toBe('h264');
    expect(Math.round(info.durationSec)).toBe(4);
    expect(r.durationSec).toBeCloseTo(info.durationSec, 1);
    const frame = await probeMedia(r.lastFrame);
    expect(frame.video?.codec).toBe('png');
    expect([frame.video?.width, frame.video?.height]).toEqual([info.video?.width, info.video?.height]);
    expect(h.journal.forShot(req.key, req.nodeId, name).current()).toMatchObject({
      state: 'succeeded',
      taskId: r.taskId,
    });
  });

  it('retries a 429 on create, honouring the gateway, and still creates once', async () => {
    const before = creates();
    gw.setFaults({ script: [{ route: 'create', kind: 'rate_limit', retryAfterSec: 0 }] });
    const req = gatewayShot(name);
    const r = await h.provider().generate(req, await h.ctx(req));
    gw.setFaults({});
    expect(creates() - before).toBe(1);
    expect(r.taskId).toBeDefined();
    expect(
      h.retries.some(
        (x) => x.what.startsWith('create') && /429|rate|too many|RPM/i.test(`${x.status} ${x.reason}`),
      ),
    ).toBe(true);
  });

  it('survives 500s, resets, malformed and garbage answers while polling, and broken downloads', async () => {
    const before = creates();
    gw.setFaults({
      script: [
        { route: 'get', kind: 'server_error' },
        { route: 'get', kind: 'reset' },
        { route: 'get', kind: 'malformed' },
        { route: 'get', kind: 'garbage' },
        { route: 'download', kind: 'truncate' },
        { route: 'download', kind: 'server_error' },
      ],
    });
    const req = gatewayShot(name);
    const r = await h.provider().generate(req, await h.ctx(req));
    const faults = gw.stats().faults;
    gw.setFaults({});
    expect(creates() - before).toBe(1);
    expect((await probeMedia(r.video)).video?.codec).toBe('h264');
    expect(faults.truncate).toBeGreaterThanOrEqual(1);
    expect(faults.garbage).toBeGreaterThanOrEqual(1);
  });

  it('reports a failed task with the gateway and its reason; the next run may submit again', async () => {
    const before = creates();
    gw.setFaults({ script: [{ route: 'create', kind: 'fail_task', message: 'content policy violation' }] });
    const req = gatewayShot(name);
    const err = await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e);
    gw.setFaults({});
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as Error).message).toContain(LABELS[name]);
    expect((err as Error).message).toContain('content policy violation');
    expect((err as Error).message).toMatch(/moderation|blocked/);
    expect(h.journal.forShot(req.key, req.nodeId, name).current()?.state).toBe('failed');
    // A failed task is not billed: a second attempt is a fair new submission.
    await h.provider().generate(req, await h.ctx(req));
    expect(creates() - before).toBe(2);
  });

  it('never pays twice when the create answer is lost: the shot stops, and a rerun does not submit again', async () => {
    const before = creates();
    gw.setFaults({ script: [{ route: 'create', kind: 'reset_after_create' }] });
    const req = gatewayShot(name);
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as Error;
    gw.setFaults({});
    expect(creates() - before).toBe(1); // the gateway did make the task
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toContain('may already exist');
    expect(err.message).toContain(`${LABELS[name]} has no API that lists tasks`);
    expect(err.message).toContain(`--new-take ${req.nodeId}`);
    expect(h.journal.forShot(req.key, req.nodeId, name).current()?.state).toBe('unknown');
    const again = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as Error;
    expect(again.message).toContain('may already exist');
    expect(creates() - before).toBe(1);
  });

  it('treats a 500 or an unreadable answer on create as "may exist" too: no blind second create', async () => {
    for (const kind of ['server_error', 'malformed'] as const) {
      const before = gw.stats().createRequests;
      gw.setFaults({ script: [{ route: 'create', kind }] });
      const req = gatewayShot(name, { prompt: `A lighthouse at dawn, ${kind}` });
      const err = (await h
        .provider()
        .generate(req, await h.ctx(req))
        .catch((e: unknown) => e)) as Error;
      gw.setFaults({});
      expect(err.message, kind).toContain('may already exist');
      expect(gw.stats().createRequests - before, kind).toBe(1);
    }
  });

  it('resumes a task recorded by an earlier run instead of creating another', async () => {
    const before = creates();
    const req = gatewayShot(name);
    gw.hold(['running']);
    const abort = new AbortController();
    const ctx = await h.ctx(req, abort.signal);
    const first = h.provider().generate(req, ctx);
    // Stopped while running (a queued task may be cancelled instead: inference.test.ts covers that).
    const phase = () =>
      (gw.stats().tasks as { id: string; phase: string }[]).find((t) => t.id === ctx.taskIds[0])?.phase;
    while (phase() !== 'running') await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await expect(first).rejects.toThrow(/cancel/);
    gw.hold([]);
    expect(h.journal.forShot(req.key, req.nodeId, name).current()).toMatchObject({ taskId: ctx.taskIds[0] });
    const r = await h.provider().generate(req, await h.ctx(req));
    expect(r.taskId).toBe(ctx.taskIds[0]);
    expect(creates() - before).toBe(1);
  });

  it('a result link that is refused is reported as such, and the next run fetches the same task again', async () => {
    const before = creates();
    gw.setFaults({
      script: [{ route: 'download', kind: 'error', status: 403, message: 'Request has expired' }],
    });
    const req = gatewayShot(name);
    const err = (await h
      .provider()
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as Error;
    gw.setFaults({});
    expect(err.message).toContain('HTTP 403 (the link may have expired');
    expect(err.message).not.toContain('model');
    // The task is paid for: the journal keeps it, and the next run downloads it without a new create.
    const r = await h.provider().generate(req, await h.ctx(req));
    expect(r.taskId).toBe(h.journal.forShot(req.key, req.nodeId, name).current()?.taskId);
    expect(creates() - before).toBe(1);
  });

  it('refuses a wrong key with advice naming the env var, never echoing the key, never retrying', async () => {
    const wrong = `${GATEWAY_KEYS[name].slice(0, -4)}dead`;
    const before = gw.stats().createRequests;
    const req = gatewayShot(name);
    const err = (await h
      .provider({ apiKey: wrong })
      .generate(req, await h.ctx(req))
      .catch((e: unknown) => e)) as Error;
    // Said in full if it fails: what generate ended with and what the mock answered the create.
    const lastCreate = gw
      .stats()
      .log.filter((e) => e.route === 'create')
      .at(-1);
    const seen = inspect(err, { depth: 2 }).replaceAll(wrong, '<the wrong key>');
    expect(
      err,
      `generate ended with ${seen}; the last create was answered ${lastCreate?.status}`,
    ).toBeInstanceOf(ProviderError);
    expect(err.message).toContain(`${name.toUpperCase()}_API_KEY`);
    expect(err.message).not.toContain(wrong);
    expect(err.stack ?? '').not.toContain(wrong);
    expect(gw.stats().createRequests - before).toBe(1);
    const journal = await readFile(h.journal.file, 'utf8');
    expect(journal).not.toContain(wrong);
    expect(journal).not.toContain(GATEWAY_KEYS[name]);
  });
});
