// How a node's run status reads to the user.
import type { NodeStatus } from '../../shared/events';

export type ShownStatus =
  'idle' | 'queued' | 'running' | 'cached' | 'frozen' | 'stale' | 'failed' | 'done' | 'skipped' | 'cancelled';

/** Inputs (prompt, media) only pass data on: "cached" means nothing to a user there. */
const MAKES_SOMETHING = new Set(['shot', 'final_cut']);

export function shownStatus(status: NodeStatus | undefined, kind?: string): ShownStatus {
  if (!status) return 'idle';
  if (status === 'succeeded' || (status === 'cached' && kind && !MAKES_SOMETHING.has(kind))) return 'done';
  return status;
}

export const STATUS_TEXT: Record<ShownStatus, string> = {
  idle: 'idle',
  queued: 'queued',
  running: 'running',
  cached: 'cached',
  frozen: 'frozen',
  stale: 'stale',
  failed: 'failed',
  done: 'done',
  skipped: 'skipped',
  cancelled: 'cancelled',
};
