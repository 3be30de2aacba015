// Ready-set scheduler (ComfyUI's ExecutionList, Rivet's processor): every task whose inputs are
// done starts at once, bounded per pool (one pool per provider); a failure stops only its
// dependants; cancellation keeps whatever already finished.

export type TaskOutcome = 'done' | 'failed' | 'skipped' | 'cancelled';

export interface Task {
  id: string;
  deps: string[];
  /** Concurrency pool (a provider name); tasks without one are not limited. */
  pool?: string;
  run(signal: AbortSignal): Promise<void>;
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
}

export async function execute(tasks: Task[], hooks: ExecuteHooks = {}): Promise<Map<string, TaskOutcome>> {
  const outcome = new Map<string, TaskOutcome>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const waitingOn = new Map(tasks.map((t) => [t.id, new Set(t.deps.filter((d) => byId.has(d)))]));
  const dependants = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const t of tasks) for (const d of waitingOn.get(t.id)!) dependants.get(d)!.push(t.id);
  const running = new Map<string, number>(); // pool → count
  const queue: Task[] = []; // ready, waiting for a pool slot
  const signal = hooks.signal;
  const inner = new AbortController();
  const abort = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort(); // cancelled before it started (while planning): run nothing

  let active = 0;
  let settle!: () => void;
  const finished = new Promise<void>((r) => (settle = r));

  const limitOf = (pool: string | undefined) => (pool ? (hooks.limits?.[pool] ?? Infinity) : Infinity);

  const skipDownstream = (id: string, cause: string) => {
    for (const next of dependants.get(id)!) {
      if (outcome.has(next)) continue;
      outcome.set(next, 'skipped');
      hooks.onSkipped?.(next, cause);
      skipDownstream(next, cause);
    }
  };

  const pump = () => {
    if (inner.signal.aborted) {
      for (const t of queue.splice(0)) {
        outcome.set(t.id, 'cancelled');
        hooks.onCancelled?.(t.id);
      }
    }
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
      t.run(inner.signal).then(
        () => done(t, 'done'),
        (err) => done(t, inner.signal.aborted ? 'cancelled' : 'failed', err),
      );
    }
    if (active === 0 && queue.length === 0) settle();
  };

  const done = (t: Task, result: TaskOutcome, err?: unknown) => {
    active--;
    running.set(t.pool ?? '', (running.get(t.pool ?? '') ?? 1) - 1);
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
      return;
    }
    hooks.onQueued?.(t.id);
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
