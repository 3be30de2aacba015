import { describe, expect, it } from 'vitest';
import { execute, type Task } from '../../electron/engine/executor';

/** A task that waits for `release()` so the test decides the interleaving, not the clock. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const p = new Promise<void>((res, rej) => ((open = res), (fail = rej)));
  return { p, open, fail };
}

describe('executor', () => {
  it('starts every ready task at once and a dependant only after its inputs', async () => {
    const log: string[] = [];
    const gates = { a: gate(), b: gate(), c: gate() };
    const task = (id: keyof typeof gates, deps: string[]): Task => ({
      id,
      deps,
      run: async () => {
        log.push(`start ${id}`);
        await gates[id].p;
        log.push(`end ${id}`);
      },
    });
    const run = execute([task('a', []), task('b', []), task('c', ['a', 'b'])]);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a', 'start b']);
    gates.a.open();
    await new Promise((r) => setImmediate(r));
    expect(log).not.toContain('start c');
    gates.b.open();
    await new Promise((r) => setImmediate(r));
    gates.c.open();
    const outcome = await run;
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end b'));
    expect([...outcome.values()]).toEqual(['done', 'done', 'done']);
  });

  it('never runs more tasks of a pool than its limit', async () => {
    let running = 0;
    let peak = 0;
    const tasks: Task[] = Array.from({ length: 8 }, (_, i) => ({
      id: `s${i}`,
      deps: [],
      pool: 'ark',
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
    }));
    const outcome = await execute(tasks, { limits: { ark: 3 } });
    expect(peak).toBe(3);
    expect([...outcome.values()].every((o) => o === 'done')).toBe(true);
  });

  it('a failure stops its dependants but not an independent branch', async () => {
    const ran: string[] = [];
    const t = (id: string, deps: string[], fail = false): Task => ({
      id,
      deps,
      run: async () => {
        ran.push(id);
        if (fail) throw new Error(`${id} broke`);
      },
    });
    const skipped: string[] = [];
    const failed: string[] = [];
    const outcome = await execute(
      [
        t('a1', []),
        t('a2', ['a1'], true),
        t('a3', ['a2']),
        t('b1', []),
        t('b2', ['b1']),
        t('cut', ['a3', 'b2']),
      ],
      {
        onSkipped: (id) => skipped.push(id),
        onFailed: (id) => failed.push(id),
      },
    );
    expect(failed).toEqual(['a2']);
    expect(skipped.sort()).toEqual(['a3', 'cut']);
    expect(ran).toContain('b2');
    expect(outcome.get('b2')).toBe('done');
    expect(outcome.get('cut')).toBe('skipped');
  });

  it('cancellation stops running and waiting tasks and keeps finished ones', async () => {
    const controller = new AbortController();
    const g = gate();
    const cancelled: string[] = [];
    const run = execute(
      [
        { id: 'done-first', deps: [], run: async () => undefined },
        {
          id: 'long',
          deps: ['done-first'],
          run: (signal) =>
            new Promise<void>((_, reject) =>
              signal.addEventListener('abort', () => reject(new Error('aborted'))),
            ),
        },
        { id: 'after', deps: ['long'], run: () => g.p },
      ],
      { signal: controller.signal, onCancelled: (id) => cancelled.push(id) },
    );
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const outcome = await run;
    expect(outcome.get('done-first')).toBe('done');
    expect(outcome.get('long')).toBe('cancelled');
    expect(outcome.get('after')).toBe('cancelled');
    expect(cancelled.sort()).toEqual(['after', 'long']);
  });

  it('runs nothing when cancelled before it starts (a cancel during planning)', async () => {
    const started: string[] = [];
    const controller = new AbortController();
    controller.abort();
    const task = (id: string, deps: string[]): Task => ({
      id,
      deps,
      run: async () => void started.push(id),
    });
    const outcome = await execute([task('a', []), task('b', ['a'])], { signal: controller.signal });
    expect(started).toEqual([]);
    expect([...outcome.values()]).toEqual(['cancelled', 'cancelled']);
  });

  it('a task that gives its slot back lets the next one of its pool start while it finishes', async () => {
    const log: string[] = [];
    const gates = { first: gate(), second: gate(), third: gate() };
    const tasks: Task[] = [
      {
        id: 'first',
        deps: [],
        pool: 'ark',
        run: async (_signal, release) => {
          log.push('start first');
          release();
          release(); // twice is once: it must not free a second slot
          await gates.first.p; // its local work (download, last frame) still runs
          log.push('end first');
        },
      },
      ...(['second', 'third'] as const).map((id): Task => ({
        id,
        deps: [],
        pool: 'ark',
        run: async () => {
          log.push(`start ${id}`);
          await gates[id].p;
          log.push(`end ${id}`);
        },
      })),
    ];
    const run = execute(tasks, { limits: { ark: 1 } });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    await settle();
    // One slot: first gave it back, so second runs; third still waits for second's slot.
    expect(log).toEqual(['start first', 'start second']);
    gates.second.open();
    await settle();
    expect(log).toEqual(['start first', 'start second', 'end second', 'start third']);
    gates.third.open();
    gates.first.open();
    const outcome = await run;
    expect(log.slice(4).sort()).toEqual(['end first', 'end third']);
    expect([...outcome.values()].every((o) => o === 'done')).toBe(true);
  });

  it('a full pool starts the ready task with the longest chain behind it first', async () => {
    const started: string[] = [];
    const t = (id: string, deps: string[]): Task => ({
      id,
      deps,
      pool: 'ark',
      run: async () => void started.push(id),
    });
    // Listed short chain first: "long" has two shots after it, "short" none.
    const outcome = await execute(
      [t('short', []), t('long', []), t('long-2', ['long']), t('long-3', ['long-2'])],
      {
        limits: { ark: 1 },
      },
    );
    // Then long-3 and short each end a chain: the one ready first (short) goes first.
    expect(started).toEqual(['long', 'long-2', 'short', 'long-3']);
    expect([...outcome.values()].every((o) => o === 'done')).toBe(true);
  });

  it('equal chains keep the order in which they became ready', async () => {
    const started: string[] = [];
    const t = (id: string): Task => ({ id, deps: [], pool: 'ark', run: async () => void started.push(id) });
    await execute([t('c'), t('a'), t('b')], { limits: { ark: 1 } });
    expect(started).toEqual(['c', 'a', 'b']);
  });

  it('says once when every task of a pool has started (or never will), before they end', async () => {
    const log: string[] = [];
    const gates = { a: gate(), b: gate(), cut: gate() };
    const t = (id: keyof typeof gates, deps: string[], pool?: string): Task => ({
      id,
      deps,
      ...(pool ? { pool } : {}),
      run: async () => {
        log.push(`start ${id}`);
        await gates[id].p;
      },
    });
    const run = execute([t('a', [], 'ark'), t('b', ['a'], 'ark'), t('cut', ['b'])], {
      limits: { ark: 1 },
      onPoolsStarted: () => log.push('pools started'),
    });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    await settle();
    expect(log).toEqual(['start a']); // b has not started: something still waits for the gateway
    gates.a.open();
    await settle();
    expect(log).toEqual(['start a', 'pools started', 'start b']);
    gates.b.open();
    gates.cut.open();
    await run;
    expect(log.filter((l) => l === 'pools started')).toHaveLength(1);
  });

  it('a failure that skips the last pooled tasks also ends the wait for them', async () => {
    let said = 0;
    await execute(
      [
        { id: 'a', deps: [], pool: 'ark', run: () => Promise.reject(new Error('refused')) },
        { id: 'b', deps: ['a'], pool: 'ark', run: async () => undefined },
      ],
      { limits: { ark: 1 }, onPoolsStarted: () => said++ },
    );
    expect(said).toBe(1);
  });

  it("tells the tasks next in line for a full pool, one pool's worth, once each and in their order", async () => {
    const log: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const task = (id: string, deps: string[] = []): Task => {
      gates.set(id, gate());
      return {
        id,
        deps,
        pool: 'ark',
        run: async () => {
          log.push(`start ${id}`);
          await gates.get(id)!.p;
        },
        standby: () => log.push(`standby ${id}`),
      };
    };
    // b heads a chain of two, so it goes before the lone tasks whatever the list's order.
    const run = execute([task('a'), task('c'), task('d'), task('b'), task('e', ['b']), task('f')], {
      limits: { ark: 2 },
    });
    await new Promise((r) => setImmediate(r));
    // a and b take the two places; c and d are next (f waits behind them), e is not ready.
    expect(log).toEqual(['start b', 'start a', 'standby c', 'standby d']);
    gates.get('a')!.open();
    await new Promise((r) => setImmediate(r));
    expect(log.slice(4)).toEqual(['start c', 'standby f']);
    for (const id of ['b', 'c', 'd', 'e', 'f']) gates.get(id)!.open();
    await run;
    // e waited once b was done; nobody is told twice, and a task that starts at once never is.
    expect(log.filter((l) => l.startsWith('standby'))).toEqual([
      'standby c',
      'standby d',
      'standby f',
      'standby e',
    ]);
  });

  it('tells nobody once the run is cancelled', async () => {
    const told: string[] = [];
    const controller = new AbortController();
    const task = (id: string): Task => ({
      id,
      deps: [],
      pool: 'ark',
      run: (signal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))),
      standby: () => told.push(id),
    });
    const run = execute([task('a'), task('b'), task('c')], { limits: { ark: 1 }, signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    expect(told).toEqual(['b']);
    controller.abort();
    const outcome = await run;
    expect(told).toEqual(['b']);
    expect(outcome.get('c')).toBe('cancelled');
  });
});
