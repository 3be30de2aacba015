// Deadlines on the network, in one place: every gateway answer may be wrong or never come, so every
// wait has an end and a message. Defaults suit real use; each can be set from the environment, which
// is also how the test suites run the same code in seconds.

export interface NetworkLimits {
  /** One status request (a get or a list page) gives up after this long. */
  statusTimeoutMs: number;
  /** Status checks may go unanswered this long in a row before the shot stops (the task stays recorded). */
  unreachableMs: number;
  /** Longest wait for one task; by default the task's own expiry, else `defaultWaitMs`. */
  maxWaitMs?: number;
  /** The wait on gateways that state no expiry of their own. */
  defaultWaitMs: number;
  /** Past a task's stated expiry, how long it may still take the gateway to say so. */
  expiryGraceMs: number;
  /** After a create whose answer was lost, how long (from the intent) the task list is searched. */
  reconcileMs: number;
  /** Task list pages are read at most this often (Ark allows 1 list call a second, §3.5). */
  listIntervalMs: number;
  /** A download slower than this over `downloadWindowMs` is abandoned and tried again. */
  downloadMinBytesPerSec: number;
  downloadWindowMs: number;
  /** All attempts at one download together. */
  downloadMaxMs: number;
  /** Reading a downloaded clip to verify it; by default it scales with the clip's length. */
  verifyTimeoutMs?: number;
}

const MIN = 60_000;

export const DEFAULT_LIMITS: NetworkLimits = {
  statusTimeoutMs: 20_000,
  unreachableMs: 5 * MIN,
  defaultWaitMs: 6 * 60 * MIN,
  expiryGraceMs: 10 * MIN,
  // A create that reaches the gateway a minute after its answer was lost must still be found.
  reconcileMs: 3 * MIN,
  listIntervalMs: 1100,
  // A 5 s 720p clip is a few MB: at 16 KiB/s it still arrives within the overall limit.
  downloadMinBytesPerSec: 16 * 1024,
  downloadWindowMs: 30_000,
  downloadMaxMs: 30 * MIN,
};

/** Environment variable → limit; values are milliseconds, except the download rate (KiB/s). */
export const LIMIT_ENV: Record<string, keyof NetworkLimits> = {
  SHOTGRAPH_STATUS_TIMEOUT_MS: 'statusTimeoutMs',
  SHOTGRAPH_UNREACHABLE_MS: 'unreachableMs',
  SHOTGRAPH_MAX_WAIT_MS: 'maxWaitMs',
  SHOTGRAPH_EXPIRY_GRACE_MS: 'expiryGraceMs',
  SHOTGRAPH_RECONCILE_MS: 'reconcileMs',
  SHOTGRAPH_LIST_INTERVAL_MS: 'listIntervalMs',
  SHOTGRAPH_DOWNLOAD_MIN_KIBPS: 'downloadMinBytesPerSec',
  SHOTGRAPH_DOWNLOAD_WINDOW_MS: 'downloadWindowMs',
  SHOTGRAPH_DOWNLOAD_MAX_MS: 'downloadMaxMs',
  SHOTGRAPH_VERIFY_TIMEOUT_MS: 'verifyTimeoutMs',
};

/** The limits set in `env`; a value that is not a non-negative number is refused by name. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<NetworkLimits> {
  const out: Partial<NetworkLimits> = {};
  for (const [name, key] of Object.entries(LIMIT_ENV)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      throw new Error(
        `${name} must be a number (${key === 'downloadMinBytesPerSec' ? 'KiB per second' : 'milliseconds'}), not "${raw}".`,
      );
    }
    out[key] = key === 'downloadMinBytesPerSec' ? n * 1024 : n;
  }
  return out;
}

export function withDefaults(limits: Partial<NetworkLimits> = {}): NetworkLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** "90 s", "5 min", "6 h": durations as people say them. */
export function spoken(ms: number): string {
  if (ms < 120_000) return `${Math.max(0, Math.round(ms / 100) / 10)} s`;
  if (ms < 2 * 3600_000) return `${Math.round(ms / MIN)} min`;
  return `${Math.round((ms / 3600_000) * 10) / 10} h`;
}
