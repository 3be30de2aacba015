// Ctrl+C (or a TERM) during a run: the first stops it gracefully — finished clips are kept and paid
// tasks stay in the journal — a second one quits at once.
import { EXIT } from './exit-codes';
import { warn } from './terminal';

export interface Cancellation {
  signal: AbortSignal;
  /** Stops listening (the run is over). */
  release(): void;
}

export function cancelOnSignals(stopView: () => void): Cancellation {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.cancelled);
    stopView();
    warn('\nCancelling… finished clips are kept. Press Ctrl+C again to quit at once.');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
