// The gateway is the ledger of record (issue 11, item 3): before any paid create on Ark the task
// list is searched for this shot's marker — finished with a live link → downloaded, queued or
// running → adopted, failed or too old → submitted anew — and a create whose answer was lost is
// looked for long enough that one landing late is still found. Each case starts from a journal
// that knows nothing, as after `rm -rf .shotgraph`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArkBody, buildArkContent, resolveArkModel, shotMarker } from '../../electron/providers/ark';
import { ProviderError, type ShotRequest } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { harness, lastSeq, logged, shot, TEST_KEY, type Harness } from './helpers';

let gw: MockGateway;
let h: Harness;
const HOUR = 3600_000;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 60, apiKey: TEST_KEY });
  h = await harness(gw);
});
afterAll(async () => {
  await h?.close();
  await gw?.close();
});

/** The create the provider would send, sent by someone else (another checkout, a killed process). */
async function createElsewhere(req: ShotRequest): Promise<string> {
  const body = buildArkBody(req, await buildArkContent(req), resolveArkModel(req.model, gw.url));
  const res = await fetch(`${gw.url}/contents/generations/tasks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { id: string }).id;
}

const statusOf = (id: string) =>
  (gw.stats().tasks as { id: string; status: string }[]).find((t) => t.id === id)?.status;

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; !ok(); i++) {
    if (i > 2000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One shot from an empty journal; what came of it and what the mock saw meanwhile. */
async function render(req: ShotRequest, extra: Parameters<Harness['provider']>[0] = {}) {
  const from = lastSeq(gw);
  const creates = gw.stats().creates;
  const ctx = await h.ctx(req);
  const outcome = await h
    .provider(extra)
    .generate(req, ctx)
    .then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e: e as ProviderError }),
    );
  return {
    outcome,
    ctx,
    creates: gw.stats().creates - creates,
    lists: logged(gw, 'list', from),
    createCalls: logged(gw, 'create', from),
  };
}

const ok = (t: Awaited<ReturnType<typeof render>>) => {
  if (!t.outcome.ok) throw t.outcome.e;
  return t.outcome.r;
};

describe('before any paid create, the task list is asked', () => {
  it('a finished task of this shot is downloaded: 0 creates', async () => {
    const req = shot();
    const id = await createElsewhere(req);
    await until('the task finished', () => statusOf(id) === 'succeeded');
    const t = await render(req);
    expect(ok(t)).toMatchObject({ taskId: id, resumed: true });
    expect(t.creates).toBe(0);
    expect(t.createCalls).toHaveLength(0);
    expect(t.lists[0]!.path).toContain(`filter.model=${resolveArkModel(req.model, gw.url)}`);
    expect(t.ctx.journal.current()).toMatchObject({ state: 'succeeded', taskId: id });
  });

  it('a queued or running one is adopted and polled: 0 creates', async () => {
    gw.hold(['running']);
    const req = shot();
    const id = await createElsewhere(req);
    await until('the task running', () => statusOf(id) === 'running');
    const ctx = await h.ctx(req);
    const pending = h.provider().generate(req, ctx);
    await until('the task adopted', () => ctx.taskIds.includes(id));
    gw.hold([]);
    const creates = gw.stats().creates;
    expect((await pending).taskId).toBe(id);
    expect(gw.stats().creates).toBe(creates);
  });

  it("another shot's task, or a failed one of this shot, is not taken: 1 create", async () => {
    await createElsewhere(shot());
    const req = shot();
    gw.setFaults({ script: [{ route: 'create', kind: 'fail_task' }] });
    const failed = await createElsewhere(req);
    gw.setFaults({});
    await until('the task failed', () => statusOf(failed) === 'failed');
    const t = await render(req);
    expect(ok(t).taskId).not.toBe(failed);
    expect(t.creates).toBe(1);
  });

  it('a finished task whose links have expired (over 24 h old) is not taken: 1 create', async () => {
    const req = shot();
    const id = await createElsewhere(req);
    await until('the task finished', () => statusOf(id) === 'succeeded');
    gw.age(id, 25 * HOUR);
    const t = await render(req);
    expect(ok(t).taskId).not.toBe(id);
    expect(t.creates).toBe(1);
  });

  it('a task whose links turn out dead is recorded as such and the shot is paid for after all, in the same run', async () => {
    const req = shot();
    const id = await createElsewhere(req);
    await until('the task finished', () => statusOf(id) === 'succeeded');
    // The link of the adopted task is refused once; the new task's link works.
    gw.setFaults({ script: [{ route: 'download', kind: 'error', status: 403, match: id }] });
    const t = await render(req);
    gw.setFaults({});
    expect(ok(t).taskId).not.toBe(id);
    expect(t.creates).toBe(1);
    expect(t.ctx.journal.current()).toMatchObject({ state: 'succeeded', taskId: ok(t).taskId });
  });

  it('a list that cannot be read is said, and the shot is submitted (the journal still guards it): 1 create', async () => {
    const req = shot();
    gw.setFaults({ script: [{ route: 'list', kind: 'server_error', times: Infinity }] });
    const t = await render(req);
    gw.setFaults({});
    expect(ok(t).taskId).toMatch(/^cgt-/);
    expect(t.creates).toBe(1);
    const note = t.ctx.messages.find((m) => /could not read Ark's task list/.test(m));
    expect(note).toMatch(/submitting without checking it for an earlier task/);
    expect(note).not.toContain(TEST_KEY);
  });

  it('reads every page of the list once; shots that start together share it, later looks read only what is new', async () => {
    const req = shot();
    const id = await createElsewhere(req);
    // 120 newer tasks of other shots push this shot's task onto page 2 (100 a page).
    const others: string[] = [];
    for (let i = 0; i < 120; i++) others.push(await createElsewhere(shot()));
    // All made an hour ago, so a later read can tell where what it already knows begins.
    for (const t of [id, ...others]) gw.age(t, HOUR);
    const provider = h.provider({ limits: { reconcileMs: 5000, listIntervalMs: 0 } });
    const from = lastSeq(gw);
    const r = await provider.generate(req, await h.ctx(req));
    expect(r.taskId).toBe(id);
    const pages = logged(gw, 'list', from).map((e) =>
      new URL(e.path, gw.origin).searchParams.get('page_num'),
    );
    expect(pages.slice(0, 2)).toEqual(['1', '2']);
    // The same provider (one run), new shots starting together: they share that read.
    const together = [shot(), shot(), shot()];
    const mid = lastSeq(gw);
    await Promise.all(together.map(async (s) => provider.generate(s, await h.ctx(s))));
    expect(logged(gw, 'list', mid)).toHaveLength(0);
    // A lost create is looked for in fresh reads, each reading only what is new: page 1.
    const late = shot();
    const end = lastSeq(gw);
    const creates = gw.stats().creates;
    gw.setFaults({ script: [{ route: 'create', kind: 'late_create', delayMs: 300 }] });
    const r2 = await provider.generate(late, await h.ctx(late));
    gw.setFaults({});
    expect(r2.taskId).toMatch(/^cgt-/);
    expect(gw.stats().creates - creates).toBe(1);
    const fresh = logged(gw, 'list', end).map((e) => new URL(e.path, gw.origin).searchParams.get('page_num'));
    expect(fresh.length).toBeGreaterThan(0);
    expect(new Set(fresh)).toEqual(new Set(['1']));
  });

  it('keeps list calls apart by the gateway limit (Ark: 1 a second)', async () => {
    const req = shot();
    // A create whose answer is lost and that lands 900 ms later: several looks are needed.
    gw.setFaults({ script: [{ route: 'create', kind: 'late_create', delayMs: 900 }] });
    const t = await render(req, { limits: { reconcileMs: 5000, listIntervalMs: 400 } });
    gw.setFaults({});
    expect(ok(t)).toBeDefined();
    expect(t.creates).toBe(1);
    expect(t.lists.length).toBeGreaterThanOrEqual(3);
    const gaps = t.lists.slice(1).map((e, i) => e.at - t.lists[i]!.at);
    // Without pacing the first looks come ~60 ms apart; server-side arrival times jitter a little.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(300);
  });
});

describe('a create whose answer was lost', () => {
  it('is looked for long enough that a task landing late is still found: 1 create, 1 create call', async () => {
    const req = shot();
    gw.setFaults({ script: [{ route: 'create', kind: 'late_create', delayMs: 1500 }] });
    const t = await render(req, { limits: { reconcileMs: 6000, listIntervalMs: 0 } });
    gw.setFaults({});
    expect(ok(t).taskId).toMatch(/^cgt-/);
    expect(t.creates).toBe(1);
    expect(t.createCalls).toHaveLength(1);
    expect(t.ctx.messages.some((m) => /looking again in/.test(m))).toBe(true);
  });

  it('is paid for again only when it lands after the search ends — which is what the 3 min default is for', async () => {
    const req = shot();
    gw.setFaults({ script: [{ route: 'create', kind: 'late_create', delayMs: 1500 }] });
    const t = await render(req, { limits: { reconcileMs: 200, listIntervalMs: 0 } });
    gw.setFaults({});
    await new Promise((r) => setTimeout(r, 1800)); // let the late one land
    expect(t.outcome.ok).toBe(true);
    expect(t.createCalls).toHaveLength(2);
    const mine = (gw.stats().tasks as { safety_identifier?: string }[]).filter(
      (x) => x.safety_identifier === shotMarker(req.key),
    );
    expect(mine).toHaveLength(2);
  });

  it('when the list cannot be read at all, stops and says a task may exist: 0 creates after the first', async () => {
    const req = shot();
    gw.setFaults({
      script: [
        { route: 'create', kind: 'reset_after_create' },
        { route: 'list', kind: 'server_error', nth: 2, times: Infinity },
      ],
    });
    const t = await render(req);
    gw.setFaults({});
    expect(t.outcome.ok).toBe(false);
    expect(!t.outcome.ok && t.outcome.e.message).toMatch(/may already exist/);
    expect(t.createCalls).toHaveLength(1);
    expect(t.ctx.journal.current()?.state).toBe('unknown');
  });
});
