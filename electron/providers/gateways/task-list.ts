// Looking a shot's task up in the gateway's task list, by the marker its create carried: how a
// create whose answer was lost is found again instead of being paid for twice.
import { sleep as realSleep, type Sleep } from '../remote/timing';
import type { GatewayCalls, TaskListAdapter, TaskView } from './adapter';

/**
 * How much earlier than the intent (in server time) a task may seem to have been created: Date
 * headers and created_at both have 1 s resolution. Without a Date header we cannot correct for our
 * own clock, so allow more: a missed task costs a second payment, a wrong match at worst a retry.
 */
const TOLERANCE_MS = { calibrated: 2500, uncalibrated: 120_000 };

export interface FindLostTask {
  list: TaskListAdapter;
  g: GatewayCalls;
  modelId: string;
  marker: string;
  /** When the create may have been sent (epoch ms, our clock). */
  sinceMs: number;
  /** Pause between the two looks (a task made a moment ago may not be listed yet). */
  pauseMs: number;
  sleep?: Sleep;
}

/** The task an interrupted create made: same model, our marker, created after the intent. */
export async function findLostTask(o: FindLostTask): Promise<string | undefined> {
  for (let look = 0; look < 2; look++) {
    if (look > 0) await (o.sleep ?? realSleep)(o.pauseMs, o.g.signal);
    const { pageSize } = o.list;
    for (let page = 1; page <= 10; page++) {
      const r = await o.list.page(o.g, o.modelId, page, pageSize);
      const offset = o.g.clockOffsetMs();
      // created_at is server time: shift our intent into it when the server told us its clock.
      const threshold =
        offset === undefined
          ? o.sinceMs - TOLERANCE_MS.uncalibrated
          : o.sinceMs + offset - TOLERANCE_MS.calibrated;
      const mine = r.items.filter(
        (t) => t.marker === o.marker && (t.createdAtMs === undefined || t.createdAtMs >= threshold),
      );
      // A failed match was never billed, so it does not stop a new submission.
      const live = mine.filter((t) => isLive(t));
      live.sort((a, b) => (b.createdAtMs ?? 0) - (a.createdAtMs ?? 0));
      if (live[0]) return live[0].id;
      if (r.items.length < pageSize || page * pageSize >= r.total) break;
      if (pastThreshold(r.items, threshold)) break;
    }
  }
  return undefined;
}

function isLive(t: TaskView): boolean {
  return t.state === 'queued' || t.state === 'running' || t.state === 'succeeded';
}

/** When the list comes newest first, a page that reaches past `threshold` ends the search. */
function pastThreshold(items: TaskView[], threshold: number): boolean {
  const newestFirst = items.every(
    (t, i) => i === 0 || (items[i - 1]?.createdAtMs ?? 0) >= (t.createdAtMs ?? 0),
  );
  const oldest = items.at(-1)?.createdAtMs;
  return newestFirst && oldest !== undefined && oldest < threshold;
}
