// Never pay twice: a crash or kill at any point around the paid create call must not lead to a
// second task. Each case rebuilds the situation a dead process leaves on disk and on the gateway,
// then runs the same shot again from a freshly opened journal.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../electron/engine/journal';
import { buildArkBody, buildArkContent, resolveArkModel, shotMarker } from '../../electron/providers/ark';
import { ProviderError, type ShotRequest } from '../../electron/providers/types';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { filesContaining, harness, lastSeq, logged, shot, TEST_KEY, type Harness } from './helpers';

let gw: MockGateway;
let h: Harness;
let n = 0;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 20, runningMs: 40, apiKey: TEST_KEY });
  h = await harness(gw);
});
afterAll(async () => {
  await h?.close();
  await gw?.close();
});

/** A journal in its own state folder, as one CLI process would open it. */
async function freshState(): Promise<string> {
  return path.join(h.dir, `state-${++n}`);
}

/** Sends the create call the provider would have sent, as if the process died before reading the answer. */
async function createBehindTheBack(req: ShotRequest): Promise<string> {
  const body = buildArkBody(req, await buildArkContent(req), resolveArkModel(req.model, gw.url));
  const res = await fetch(`${gw.url}/contents/generations/tasks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { id: string }).id;
}

async function rerun(req: ShotRequest, state: string) {
  const journal = await openJournal(state);
  const from = lastSeq(gw);
  const creates = gw.stats().creates;
  const ctx = await h.ctx(req, undefined, journal);
  const outcome = await h
    .provider()
    .generate(req, ctx)
    .then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e: e as ProviderError }),
    );
  const after = {
    creates: gw.stats().creates - creates,
    lists: logged(gw, 'list', from),
    gets: logged(gw, 'get', from),
  };
  const entry = ctx.journal.current();
  await journal.close();
  return { outcome, entry, ...after };
}

async function withJournal<T>(state: string, fn: (j: Journal) => Promise<T>): Promise<T> {
  const j = await openJournal(state);
  try {
    return await fn(j);
  } finally {
    await j.close();
  }
}

describe('after a crash between intent and answer', () => {
  it('finds the task through the list and makes no second create', async () => {
    const req = shot();
    const state = await freshState();
    const id = await withJournal(state, async (j) => {
      await j.forShot(req.key, req.nodeId, 'ark').intent();
      return createBehindTheBack(req); // reached the gateway; the answer died with the process
    });
    const t = await rerun(req, state);
    expect(t.outcome.ok && t.outcome.r.taskId).toBe(id);
    expect(t.creates).toBe(0);
    expect(t.lists.length).toBeGreaterThan(0);
    expect(t.lists[0]!.path).toContain(`filter.model=${resolveArkModel(req.model, gw.url)}`);
    expect(t.entry).toMatchObject({ state: 'succeeded', taskId: id });
  });

  it('does the same for an entry left "unknown" (timeout or reset after sending)', async () => {
    const req = shot();
    const state = await freshState();
    const id = await withJournal(state, async (j) => {
      const sj = j.forShot(req.key, req.nodeId, 'ark');
      await sj.intent();
      const created = await createBehindTheBack(req);
      await sj.unknown('connection lost while reading the answer (ECONNRESET)');
      return created;
    });
    const t = await rerun(req, state);
    expect(t.outcome.ok && t.outcome.r.taskId).toBe(id);
    expect(t.creates).toBe(0);
  });

  it('stops with a clear message and no create when the list cannot be read; picks the task up once it can', async () => {
    const req = shot();
    const state = await freshState();
    const id = await withJournal(state, async (j) => {
      await j.forShot(req.key, req.nodeId, 'ark').intent();
      return createBehindTheBack(req);
    });
    gw.setFaults({ script: [{ route: 'list', kind: 'server_error', times: Infinity }] });
    const t = await rerun(req, state);
    gw.setFaults({});
    expect(t.outcome.ok).toBe(false);
    const err = !t.outcome.ok ? t.outcome.e : undefined;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err!.message).toMatch(/may already exist/);
    expect(err!.message).toMatch(/did not submit it again/);
    expect(err!.message).toContain(shotMarker(req.key)); // what to look for in the console
    expect(err!.message).toContain('Authorization: Bearer $ARK_API_KEY'); // how to look, without the key
    expect(err!.message).not.toContain(TEST_KEY);
    expect(t.creates).toBe(0);
    expect(t.lists.length).toBeGreaterThanOrEqual(5); // it tried, with retries
    expect(t.entry?.state).toBe('intent'); // still unresolved: the next run looks again

    const again = await rerun(req, state);
    expect(again.outcome.ok && again.outcome.r.taskId).toBe(id);
    expect(again.creates).toBe(0);
  });

  it('submits once when the create never reached the gateway', async () => {
    const req = shot();
    const state = await freshState();
    await withJournal(state, (j) => j.forShot(req.key, req.nodeId, 'ark').intent());
    const t = await rerun(req, state);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
  });

  it("does not adopt another shot's task", async () => {
    const other = shot();
    await createBehindTheBack(other);
    const req = shot();
    const state = await freshState();
    await withJournal(state, (j) => j.forShot(req.key, req.nodeId, 'ark').intent());
    const t = await rerun(req, state);
    expect(t.outcome.ok).toBe(true);
    expect(t.creates).toBe(1);
  });

  it('takes the task another copy of the project made for the same shot, paying nothing', async () => {
    const req = shot();
    // A fresh checkout of a shared project: the task exists on Ark, no journal here knows it.
    const id = await createBehindTheBack(req);
    const t = await rerun(req, await freshState());
    expect(t.outcome.ok && t.outcome.r.taskId).toBe(id);
    expect(t.outcome.ok && t.outcome.r.resumed).toBe(true); // not a new submission
    expect(t.creates).toBe(0);
    expect(t.lists.length).toBeGreaterThan(0);
    expect(t.entry).toMatchObject({ state: 'succeeded', taskId: id });
  });
});

describe('with a task id on record', () => {
  it('polls it at once instead of submitting (killed after submit)', async () => {
    const req = shot();
    const state = await freshState();
    const id = await withJournal(state, async (j) => {
      const sj = j.forShot(req.key, req.nodeId, 'ark');
      await sj.intent();
      const created = await createBehindTheBack(req);
      await sj.submitted(created);
      return created;
    });
    const t = await rerun(req, state);
    expect(t.outcome.ok && t.outcome.r.taskId).toBe(id);
    expect(t.creates).toBe(0);
    expect(t.lists).toHaveLength(0);
  });

  it('downloads a finished task again when its outputs were lost, without paying', async () => {
    const req = shot();
    const state = await freshState();
    const first = await rerun(req, state);
    expect(first.creates).toBe(1);
    const again = await rerun(req, state); // e.g. the cache folder was wiped
    expect(again.outcome.ok && again.outcome.r.taskId).toBe(first.outcome.ok && first.outcome.r.taskId);
    expect(again.creates).toBe(0);
  });

  it("says so when a finished task's links expired before its files were saved, and submits on the next run", async () => {
    const req = shot();
    const state = await freshState();
    expect((await rerun(req, state)).creates).toBe(1);
    gw.setFaults({ script: [{ route: 'download', kind: 'error', status: 403, times: Infinity }] });
    const t = await rerun(req, state); // the cache was lost a day later
    gw.setFaults({});
    expect(t.outcome.ok).toBe(false);
    expect(!t.outcome.ok && t.outcome.e.message).toMatch(/links expired/);
    expect(t.creates).toBe(0);
    expect(t.entry?.state).toBe('failed');
    expect((await rerun(req, state)).creates).toBe(1);
  });

  it('submits anew when the recorded task failed (failed tasks are not billed), and records both', async () => {
    const req = shot();
    const state = await freshState();
    gw.setFaults({ script: [{ route: 'create', kind: 'fail_task' }] });
    const failedId = await withJournal(state, async (j) => {
      const sj = j.forShot(req.key, req.nodeId, 'ark');
      await sj.intent();
      const created = await createBehindTheBack(req);
      await sj.submitted(created);
      return created;
    });
    gw.setFaults({});
    const t = await rerun(req, state);
    expect(t.outcome.ok).toBe(true);
    expect(t.outcome.ok && t.outcome.r.taskId).not.toBe(failedId);
    expect(t.creates).toBe(1);
    const lines = await readFile(path.join(state, 'journal.jsonl'), 'utf8');
    const states = lines
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { state: string; taskId?: string });
    expect(states.map((s) => s.state)).toEqual([
      'intent',
      'submitted',
      'failed',
      'intent',
      'submitted',
      'succeeded',
    ]);
    expect(states[2]!.taskId).toBe(failedId);
  });

  it('says so when the recorded task no longer exists, and submits on the next run', async () => {
    const req = shot();
    const state = await freshState();
    await withJournal(state, async (j) => {
      const sj = j.forShot(req.key, req.nodeId, 'ark');
      await sj.intent();
      await sj.submitted('cgt-20260101000000-gone0');
    });
    const t = await rerun(req, state);
    expect(t.outcome.ok).toBe(false);
    expect(!t.outcome.ok && t.outcome.e.message).toMatch(/no longer exists/);
    expect(t.creates).toBe(0);
    const next = await rerun(req, state);
    expect(next.outcome.ok).toBe(true);
    expect(next.creates).toBe(1);
  });
});

describe('the API key', () => {
  it('never appears in an error, the journal or any file written, even when the gateway echoes it', async () => {
    const echo = `Invalid header "Authorization: Bearer ${TEST_KEY}" (key ${TEST_KEY})`;
    gw.setFaults({
      script: [
        { route: 'create', kind: 'error', status: 403, code: 'AccessDenied', message: echo, times: Infinity },
      ],
    });
    const req = shot();
    const state = await freshState();
    const t = await rerun(req, state);
    gw.setFaults({});
    expect(t.outcome.ok).toBe(false);
    const err = !t.outcome.ok ? t.outcome.e : undefined;
    expect(err!.message).toMatch(/AccessDenied/);
    expect(err!.message).not.toContain(TEST_KEY);
    expect(err!.stack ?? '').not.toContain(TEST_KEY);
    expect(JSON.stringify(t.entry)).not.toContain(TEST_KEY);
    // Everything every case in this file wrote: journals, videos, frames, temp files.
    expect(await filesContaining(h.dir, TEST_KEY)).toEqual([]);
  });
});
