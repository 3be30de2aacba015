// Issue 11 acceptance (item 3), through the real CLI against the Ark mock on 127.0.0.1, three-shot
// chain, creates counted with /__mock/stats: the gateway's task list is the record of what was paid
// for, so neither a deleted .shotgraph/ nor a lost journal nor a create answer that arrives late
// costs a second payment.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../electron/providers/gateways/limits';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { ArkCli, countFrames } from './ark-cli-harness';
import { TEST_KEY } from './helpers';

let gw: MockGateway;
const cli = new ArkCli(() => gw);

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 100, runningMs: 800, apiKey: TEST_KEY });
});
afterAll(async () => {
  await gw?.close();
  await cli.close();
});

/** Creates as an outside script sees them: the mock's own stats endpoint. */
async function creates(): Promise<number> {
  return ((await (await fetch(`${gw.origin}/__mock/stats`)).json()) as { creates: number }).creates;
}

async function render(dir: string, env: NodeJS.ProcessEnv = {}) {
  const before = await creates();
  const r = await cli.render(dir, env).done;
  expect(r.code, r.stderr).toBe(0);
  return { ...r, creates: (await creates()) - before };
}

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('the gateway is the ledger of record (CLI, Ark mock)', () => {
  it('a paid render, `rm -rf .shotgraph`, a re-render: 0 new creates and a byte-identical film', async () => {
    const dir = await cli.project('Ledger: fresh checkout.');
    const film = path.join(dir, 'film.mp4');
    const first = await render(dir);
    expect(first.creates).toBe(3);
    const firstFilm = await sha256(film);
    await rm(path.join(dir, 'graphs/.shotgraph'), { recursive: true, force: true });
    await rm(film);
    const again = await render(dir);
    expect(again.creates).toBe(0);
    const rep = await cli.report(dir);
    expect(rep.submissions).toBe(0); // every shot was taken from Ark's list, none paid for
    for (const id of ['shot-1', 'shot-2', 'shot-3']) expect(rep.nodes[id]!.cached).toBe(false);
    expect(await sha256(film)).toBe(firstFilm);
    expect(await countFrames(film)).toBe(360);
  });

  it('killed mid-run (SIGKILL while shot 2 runs), journal deleted, re-run: 3 creates in all', async () => {
    const dir = await cli.project('Ledger: killed, journal lost.');
    const before = await creates();
    const known = (gw.stats().tasks as unknown[]).length;
    const mine = () => (gw.stats().tasks as { id: string; status: string }[]).slice(known);
    const first = cli.render(dir);
    let exited = false;
    void first.done.then(() => (exited = true));
    const waitFor = async (what: string, ok: () => boolean) => {
      while (!ok()) {
        if (exited) throw new Error(`the render ended before ${what}:\n${(await first.done).stderr}`);
        await new Promise((res) => setTimeout(res, 30));
      }
    };
    await waitFor('shot 1 finished', () => mine()[0]?.status === 'succeeded');
    gw.hold(['running']);
    await waitFor('shot 2 running', () => mine().length === 2 && mine()[1]!.status === 'running');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const shot2 = mine()[1]!.id;
    await rm(path.join(dir, 'graphs/.shotgraph/journal.jsonl'));
    gw.hold([]);
    const again = await render(dir);
    expect((await creates()) - before).toBe(3);
    expect(again.creates).toBe(1); // shot 3 only: shot 2's running task was found and adopted
    expect((await cli.report(dir)).nodes['shot-2']!.taskId).toBe(shot2);
    expect(await countFrames(path.join(dir, 'film.mp4'))).toBe(360);
  });

  // The real waits scaled down 20×: 15 s and 60 s late against the 3 min default search.
  const SCALE = 1 / 20;
  it.each([15, 60])(
    'a create that reaches the gateway %i s (scaled 1/20) after the client gave up on its answer: 3 creates',
    async (lateSec) => {
      const lateMs = lateSec * 1000;
      expect(DEFAULT_LIMITS.reconcileMs).toBeGreaterThan(lateMs); // the default covers it unscaled
      const dir = await cli.project(`Ledger: ${lateSec} s late.`);
      const from = gw.stats().log.at(-1)?.seq ?? 0;
      gw.setFaults({ script: [{ route: 'create', kind: 'late_create', delayMs: lateMs * SCALE }] });
      const r = await render(dir, {
        SHOTGRAPH_RECONCILE_MS: String(DEFAULT_LIMITS.reconcileMs * SCALE),
      }).finally(() => gw.setFaults({}));
      expect(r.creates).toBe(3);
      // One create call per shot: the one whose answer was lost was found, not sent again.
      const calls = gw.stats().log.filter((e) => e.route === 'create' && e.seq > from);
      expect(calls).toHaveLength(3);
      expect(calls.filter((e) => e.fault === 'late_create')).toHaveLength(1);
      expect(await countFrames(path.join(dir, 'film.mp4'))).toBe(360);
    },
  );
});
