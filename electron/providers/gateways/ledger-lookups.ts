// The two questions the journal runner asks the gateway's record (remote/submission.ts), answered
// from the task ledger: "did the create whose answer was lost make a task?" and, before any paid
// create, "does this shot already have one?". A gateway without a task list can answer neither: a
// lost answer then stops the shot, and only the journal guards against paying twice.
import type { RemoteTask } from '../remote/submission';
import { isAbortError } from '../remote/timing';
import type { GatewayCalls, TaskView } from './adapter';
import type { TaskLedger } from './task-ledger';

export interface LedgerLookups {
  ledger: TaskLedger | undefined;
  /** The gateway, as users name it. */
  label: string;
  g: GatewayCalls;
  modelId: string;
  marker: string | undefined;
  /** Tasks of this shot known to have ended without a video. */
  exclude(): ReadonlySet<string>;
  /** How long after the intent a lost create is looked for. */
  reconcileMs: number;
  redact(text: string): string;
  log(message: string, fraction?: number): void;
}

export function ledgerLookups(
  o: LedgerLookups,
): Pick<RemoteTask<TaskView>, 'listable' | 'reconcile' | 'adopt'> {
  const { ledger, label, marker } = o;
  if (!ledger || !marker) {
    return {
      listable: false,
      reconcile: async () => {
        throw new Error(
          `${label} has no API that lists tasks, so Shotgraph cannot ask it whether the task was made`,
        );
      },
    };
  }
  const look = (until?: number) =>
    ledger.find({
      g: o.g,
      modelId: o.modelId,
      marker,
      exclude: o.exclude(),
      ...(until !== undefined ? { until } : {}),
      log: (message) => o.log(message),
    });
  return {
    listable: true,
    // Long enough that a create reaching the gateway a minute after its answer was lost is found.
    reconcile: async (sinceMs) => {
      o.log(`looking for this shot's task in ${label}'s task list`);
      return (await look(Math.min(sinceMs, Date.now()) + o.reconcileMs))?.id;
    },
    adopt: async () => {
      o.log(`looking for this shot in ${label}'s task list`, 0.01);
      try {
        return (await look())?.id;
      } catch (e) {
        if (isAbortError(e)) throw e;
        // The journal still guards this project; only a lost journal goes unguarded this time.
        o.log(
          o.redact(
            `could not read ${label}'s task list (${e instanceof Error ? e.message : String(e)}); submitting without checking it for an earlier task`,
          ),
        );
        return undefined;
      }
    },
  };
}
