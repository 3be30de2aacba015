// Small pieces every gateway adapter's `get` needs, so each adapter file only says what differs.
import { isGatewayError } from '../remote/errors';
import type { TaskView } from './adapter';

/** A 404 on a task means "no such task": an answer the runner acts on, not a failure. */
export async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (isGatewayError(e) && e.status === 404) return undefined;
    throw e;
  }
}

/** Maps a gateway's own status words onto the runner's states; anything else is a failure. */
export function stateOf(
  status: string,
  words: { queued: string; running: string; succeeded: string },
): TaskView['state'] {
  if (status === words.queued) return 'queued';
  if (status === words.running) return 'running';
  if (status === words.succeeded) return 'succeeded';
  return 'failed';
}
