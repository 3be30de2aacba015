// Never pay twice (docs/architecture.md §5), for every gateway: the journal brackets each paid create call, a
// known task id is polled instead of resubmitted, and a create whose outcome is unknown is looked
// up in the gateway's task list before anything is sent again. Where the gateway keeps a task list,
// it is also asked before any paid create, so a lost journal costs nothing either. When the list
// cannot tell, the shot stops and says a task may exist — a failed shot is cheaper than a second bill.
import { ProviderError, type ShotJournal } from '../types';
import { isAmbiguousCreateFailure, isGatewayError } from './errors';
import type { Redactor } from './redact';
import { isAbortError } from './timing';

/** How a task ended, once it stopped running. */
export type Outcome<T> =
  | { ok: true; task: T }
  /** Failed, expired or cancelled on the gateway side: not billed, so a new submission is fair. */
  | { ok: false; error: ProviderError; gone?: boolean };

export interface RemoteTask<T> {
  journal: ShotJournal;
  signal: AbortSignal;
  redact: Redactor;
  /** The paid call. Resolves with the task id; rejects with a GatewayError. */
  create(): Promise<string>;
  /**
   * Looks for the task an interrupted create may have made since `sinceMs` (epoch ms). Resolves
   * undefined when the gateway positively has none; rejects when it cannot tell.
   */
  reconcile(sinceMs: number): Promise<string | undefined>;
  /** False for gateways with no task list: a lost answer can then never be looked up by a rerun. */
  listable?: boolean;
  /**
   * The gateway's own record, asked before any paid create: a task of this shot that an earlier run
   * made (its journal lost), finished with a live link or still running. Resolves undefined when
   * there is none or the record cannot be read.
   */
  adopt?(): Promise<string | undefined>;
  /** Waits for the task to stop running. `resumed` means it was found from an earlier run. */
  poll(taskId: string, resumed: boolean): Promise<Outcome<T>>;
  /** Best-effort cancel after the user aborted; true when the gateway will not bill the task. */
  cancel?(taskId: string): Promise<boolean>;
  submitted?(taskId: string): void;
  /** Gateway error → user-facing error with advice. */
  toProviderError(e: unknown): ProviderError;
  /** Says how the user can look for a task that may exist (console page, curl command). */
  howToCheck(sinceMs: number): string;
  /** New submissions within one generate() when creates end ambiguously and the list shows none. */
  maxCreates?: number;
  log?(message: string): void;
}

export interface Submitted<T> {
  taskId: string;
  task: T;
  /** The task came from an earlier run, not from a create call made now. */
  resumed: boolean;
  /** Where its id came from: this project's journal, the gateway's task list, or a create made now. */
  from: 'journal' | 'list' | 'create';
}

export async function runRemoteTask<T>(t: RemoteTask<T>): Promise<Submitted<T>> {
  const cur = t.journal.current();
  if (cur?.taskId && cur.state !== 'failed') {
    const outcome = await pollRecorded(t, cur.taskId, true);
    if (outcome.ok) return { taskId: cur.taskId, task: outcome.task, resumed: true, from: 'journal' };
    if (outcome.gone) throw outcome.error;
    t.log?.(`earlier task ${cur.taskId} ended without a video (${outcome.error.message}); submitting again`);
  } else if (cur && (cur.state === 'intent' || cur.state === 'unknown')) {
    const found = await reconcileOrStop(t, cur.at);
    if (found) {
      const outcome = await adoptFound(t, found);
      if (outcome.ok) return { taskId: found, task: outcome.task, resumed: true, from: 'list' };
      if (outcome.gone) throw outcome.error;
      t.log?.(`interrupted task ${found} ended without a video; submitting again`);
    }
  }
  const known = await t.adopt?.();
  if (known) {
    t.log?.(`task ${known} of this shot is on the gateway's task list: taking it instead of paying again`);
    const outcome = await adoptFound(t, known);
    if (outcome.ok) return { taskId: known, task: outcome.task, resumed: true, from: 'list' };
    t.log?.(`task ${known} ended without a video (${outcome.error.message}); submitting again`);
  }
  return submitFresh(t);
}

/** Records a task found on the gateway's list as this shot's, then waits for it. */
async function adoptFound<T>(t: RemoteTask<T>, taskId: string): Promise<Outcome<T>> {
  await t.journal.submitted(taskId);
  t.submitted?.(taskId);
  return pollRecorded(t, taskId, true);
}

async function submitFresh<T>(t: RemoteTask<T>): Promise<Submitted<T>> {
  const max = t.maxCreates ?? 3;
  for (let n = 1; ; n++) {
    await t.journal.intent();
    const intentAt = t.journal.current()?.at ?? Date.now();
    let taskId: string | undefined;
    try {
      taskId = await t.create();
    } catch (e) {
      if (isAbortError(e)) {
        // The request may be on the wire: the next run must reconcile before paying again.
        await t.journal.unknown('cancelled while the create call was in flight');
        throw e;
      }
      if (!isGatewayError(e) || !isAmbiguousCreateFailure(e)) {
        const err = t.toProviderError(e);
        await t.journal.finished('failed', t.redact(err.message));
        throw err;
      }
      await t.journal.unknown(t.redact(e.message));
      t.log?.(
        `create call ended without a clear answer (${t.redact(e.message)}); looking for the task in the gateway's task list`,
      );
      taskId = await reconcileOrStop(t, intentAt);
      if (!taskId) {
        if (n >= max) {
          const err = t.toProviderError(e);
          await t.journal.finished('failed', t.redact(err.message));
          throw err;
        }
        continue;
      }
    }
    await t.journal.submitted(taskId);
    t.submitted?.(taskId);
    const outcome = await pollRecorded(t, taskId, false);
    if (outcome.ok) return { taskId, task: outcome.task, resumed: false, from: 'create' };
    throw outcome.error;
  }
}

/** Polls a task whose id is in the journal; records how it ended unless it succeeded. */
async function pollRecorded<T>(t: RemoteTask<T>, taskId: string, resumed: boolean): Promise<Outcome<T>> {
  let outcome: Outcome<T>;
  try {
    outcome = await t.poll(taskId, resumed);
  } catch (e) {
    if (isAbortError(e) && t.cancel) {
      const cancelled = await t.cancel(taskId).catch(() => false);
      if (cancelled) await t.journal.finished('failed', 'cancelled by the user before it started');
    }
    // Otherwise the journal keeps the task id, so the next run polls it instead of paying again.
    throw isAbortError(e) ? e : t.toProviderError(e);
  }
  if (!outcome.ok) await t.journal.finished('failed', t.redact(outcome.error.message));
  return outcome;
}

async function reconcileOrStop<T>(t: RemoteTask<T>, sinceMs: number): Promise<string | undefined> {
  try {
    return await t.reconcile(sinceMs);
  } catch (e) {
    if (isAbortError(e)) throw e;
    const why = t.redact(e instanceof Error ? e.message : String(e));
    throw new ProviderError(
      `A task for this shot may already exist: a create call was sent at ${new Date(sinceMs).toISOString()} ` +
        `but its answer was lost, and the task list could not be read to find out (${why}). ` +
        `To avoid paying twice Shotgraph did not submit it again. ${t.howToCheck(sinceMs)} ` +
        // A rerun can retry the lookup only where the gateway has a task list to look in.
        (t.listable === false
          ? ''
          : `Run again to retry the lookup; a task found then is picked up, not paid for twice.`),
      { retryable: true },
    );
  }
}
