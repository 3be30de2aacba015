// Ready-set scheduler (ComfyUI's ExecutionList, Rivet's processor): every task whose inputs are
// done starts at once, bounded per pool (one pool per provider); a failure stops only its
// dependants; cancellation keeps whatever already finished. When a pool is full, the ready task
// with the longest chain of work still behind it goes first, so the critical path is never the
// one left waiting; a task may give its slot back before it ends (a shot whose gateway is done
// and only has local work left). The tasks next in line for a full pool are told so (`standby`),
// one pool's worth, so what they can do before their slot (uploads, a request body) is done by then.

import { setMaxListeners } from 'node:events';

export type TaskOutcome = 'done' | 'failed' | 'skipped' | 'cancelled';

export interface Task {
  id: string;
  deps: string[];
  /** Concurrency pool (a provider name); tasks without one are not limited. */
  pool?: string;
  /** `release()` gives the pool slot back early (idempotent); it is given back at the end anyway. */
  run(signal: AbortSignal, release: () => void): Promise<void>;
  /** Next in line for a full pool: work that needs no slot may start (called at most once). */
  standby?(signal: AbortSignal): void;
}

export interface ExecuteHooks {
  signal?: AbortSignal;
  /** Pool name → most tasks running at once. */
  limits?: Record<string, number>;
  onQueued?(id: string): void;
  onStart?(id: string): void;
  onFailed?(id: string, error: unknown): void;
  onSkipped?(id: string, failedDep: string): void;
  onCancelled?(id: string): void;
  /** Every task of a pool has started (or never will): nothing more is waiting for a gateway. */
  onPoolsStarted?(): void;
}

export async function execute(tasks: Task[], hooks: ExecuteHooks = {}): Promise<Map<string, TaskOutcome>> {
  const outcome = new Map<string, TaskOutcome>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const waitingOn = new Map(tasks.map((t) => [t.id, new Set(t.deps.filter((d) => byId.has(d)))]));
  const dependants = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const t of tasks) for (const d of waitingOn.get(t.id)!) dependants.get(d)!.push(t.id);
  const running = new Map<string, number>(); // pool → count
  const queue: Task[] = []; // ready, waiting for a pool slot
  const height = chainHeights(tasks, dependants);
  const order = new Map<string, number>(); // enqueue order: ties keep the order tasks became ready
  const pooledAhead = new Set(tasks.filter((t) => t.pool).map((t) => t.id));
  /** `id` started, or never will: when no pooled task is left ahead, say so once. */
  const leave = (id: string) => {
    if (pooledAhead.delete(id) && pooledAhead.size === 0) hooks.onPoolsStarted?.();
  };
  const signal = hooks.signal;
  const inner = new AbortController();
  // Every running task listens for the cancel (its requests, its downloads); with slots given back
  // early, more than a pool's worth may listen at once. Bounded by the tasks, not a leak.
  setMaxListeners(Math.max(10, tasks.length * 4), inner.signal);
  const abort = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort(); // cancelled before it started (while planning): run nothing

  let active = 0;
  const stoodBy = new Set<string>();
  let settle!: () => void;
  const finished = new Promise<void>((r) => (settle = r));

  const limitOf = (pool: string | undefined) => (pool ? (hooks.limits?.[pool] ?? Infinity) : Infinity);

  const skipDownstream = (id: string, cause: string) => {
    for (const next of dependants.get(id)!) {
      if (outcome.has(next)) continue;
      outcome.set(next, 'skipped');
      hooks.onSkipped?.(next, cause);
      leave(next);
      skipDownstream(next, cause);
    }
  };

  const pump = () => {
    if (inner.signal.aborted) {
      for (const t of queue.splice(0)) {
        outcome.set(t.id, 'cancelled');
        hooks.onCancelled?.(t.id);
        leave(t.id);
      }
    }
    queue.sort((a, b) => height.get(b.id)! - height.get(a.id)! || order.get(a.id)! - order.get(b.id)!);
    for (let i = 0; i < queue.length;) {
      const t = queue[i]!;
      const used = running.get(t.pool ?? '') ?? 0;
      if (used >= limitOf(t.pool)) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      running.set(t.pool ?? '', used + 1);
      active++;
      hooks.onStart?.(t.id);
      leave(t.id);
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        running.set(t.pool ?? '', (running.get(t.pool ?? '') ?? 1) - 1);
        // Not synchronously: the caller is in the middle of its own work.
        queueMicrotask(pump);
      };
      t.run(inner.signal, release).then(
        () => done(t, 'done', undefined, release),
        (err) => done(t, inner.signal.aborted ? 'cancelled' : 'failed', err, release),
      );
    }
    // The first of each pool's waiting tasks take its places next, in this order: one pool's worth
    // of them may get ready now.
    const ahead = new Map<string, number>();
    for (const t of queue) {
      const n = ahead.get(t.pool ?? '') ?? 0;
      if (n >= limitOf(t.pool)) continue;
      ahead.set(t.pool ?? '', n + 1);
      if (t.standby && !stoodBy.has(t.id)) {
        stoodBy.add(t.id);
        t.standby(inner.signal);
      }
    }
    if (active === 0 && queue.length === 0) settle();
  };

  const done = (t: Task, result: TaskOutcome, err: unknown, release: () => void) => {
    active--;
    release();
    outcome.set(t.id, result);
    if (result === 'failed') {
      hooks.onFailed?.(t.id, err);
      skipDownstream(t.id, t.id);
    } else if (result === 'cancelled') {
      hooks.onCancelled?.(t.id);
    } else {
      for (const next of dependants.get(t.id)!) {
        const w = waitingOn.get(next)!;
        w.delete(t.id);
        if (w.size === 0 && !outcome.has(next)) enqueue(byId.get(next)!);
      }
    }
    pump();
  };

  const enqueue = (t: Task) => {
    if (inner.signal.aborted) {
      outcome.set(t.id, 'cancelled');
      hooks.onCancelled?.(t.id);
      leave(t.id);
      return;
    }
    hooks.onQueued?.(t.id);
    order.set(t.id, order.size);
    queue.push(t);
  };

  signal?.addEventListener('abort', () => pump(), { once: true });
  for (const t of tasks) if (waitingOn.get(t.id)!.size === 0) enqueue(t);
  pump();
  await finished;
  // Anything never reached (waiting on a cancelled task) is cancelled too.
  for (const t of tasks) {
    if (!outcome.has(t.id)) {
      outcome.set(t.id, 'cancelled');
      hooks.onCancelled?.(t.id);
    }
  }
  signal?.removeEventListener('abort', abort);
  return outcome;
}

/** Each task's longest chain of tasks from it to the end of the graph, itself included. */
function chainHeights(tasks: Task[], dependants: Map<string, string[]>): Map<string, number> {
  const height = new Map<string, number>();
  // Iterative depth-first walk: a long chain must not overflow the stack; a cycle (refused by the
  // validator long before) counts as ending where it closes.
  for (const root of tasks) {
    if (height.has(root.id)) continue;
    const stack: { id: string; next: number }[] = [{ id: root.id, next: 0 }];
    const onPath = new Set([root.id]);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const after = dependants.get(top.id)!;
      const child = after[top.next++];
      if (child !== undefined) {
        if (!height.has(child) && !onPath.has(child)) {
          onPath.add(child);
          stack.push({ id: child, next: 0 });
        }
        continue;
      }
      height.set(top.id, 1 + after.reduce((m, d) => Math.max(m, height.get(d) ?? 0), 0));
      onPath.delete(top.id);
      stack.pop();
    }
  }
  return height;
}
