// Progress of a batch in the terminal: one bar per film (its shots and cut done out of all), live on
// a TTY, one line per finished step otherwise (CI logs, pipes). Driven by the same run events as the
// editor, tagged with their row.
import cliProgress from 'cli-progress';
import type { RunEvent } from '../../shared/events';
import { liveBars } from './progress';
import { forTerminal, warn } from './terminal';

export interface BatchProgressView {
  rowStart(row: number, kinds: Map<string, string>): void;
  onEvent(row: number, e: RunEvent): void;
  stop(): void;
}

const FINISHED: Partial<Record<RunEvent['type'], string>> = {
  'node-cached': 'cached',
  'node-succeeded': 'done',
  'node-failed': 'failed',
  'node-skipped': 'skipped',
  'node-cancelled': 'cancelled',
};

export function createBatchProgress(rows: number, tty = Boolean(process.stderr.isTTY)): BatchProgressView {
  const films = new Map<number, { visible: Set<string>; done: number; bar?: cliProgress.SingleBar }>();
  const name = (row: number) => `film ${row}/${rows}`;
  const multi = tty ? liveBars(' {name} {bar} {value}/{total} {state}') : undefined;
  return {
    rowStart(row, kinds) {
      const visible = new Set(
        [...kinds].filter(([, k]) => k === 'shot' || k === 'final_cut').map(([id]) => id),
      );
      const film: { visible: Set<string>; done: number; bar?: cliProgress.SingleBar } = { visible, done: 0 };
      if (multi)
        film.bar = multi.create(Math.max(1, visible.size), 0, { name: name(row), state: 'starting' });
      else warn(`${name(row)}: ${visible.size} steps`);
      films.set(row, film);
    },
    onEvent(row, e) {
      const film = films.get(row);
      if (!film) return;
      if (e.type === 'run-waiting' || e.type === 'run-notice') {
        if (multi) multi.log(`${forTerminal(e.message, { singleLine: true })}\n`);
        else warn(e.message);
        return;
      }
      if (!('nodeId' in e) || !film.visible.has(e.nodeId)) return;
      const label = FINISHED[e.type];
      const running = e.type === 'node-started' || e.type === 'node-submitted';
      if (!label && !running) return;
      if (label) film.done++;
      const state = forTerminal(`${e.nodeId} ${label ?? 'running'}`, { singleLine: true });
      if (film.bar) film.bar.update(film.done, { state });
      else if (label) warn(`  ${name(row)} ${state} (${film.done}/${film.visible.size})`);
    },
    stop: () => multi?.stop(),
  };
}
