// Per-shot progress for the terminal: live bars on a TTY, one line per state change otherwise
// (CI logs, pipes), both driven by the same run events as the editor.
import cliProgress from 'cli-progress';
import type { RunEvent } from '../../shared/events';
import { forTerminal, warn } from './terminal';

export interface ProgressView {
  onEvent(e: RunEvent): void;
  stop(): void;
}

const LABEL: Partial<Record<RunEvent['type'], string>> = {
  'node-queued': 'queued',
  'node-started': 'running',
  'node-cached': 'cached',
  'node-succeeded': 'done',
  'node-failed': 'failed',
  'node-skipped': 'skipped',
  'node-cancelled': 'cancelled',
};

/** Live bars on stderr, one per line, in the look of every Shotgraph command. */
export function liveBars(format: string): cliProgress.MultiBar {
  return new cliProgress.MultiBar(
    {
      format,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

export function createProgressView(
  kinds: Map<string, string>,
  tty = Boolean(process.stderr.isTTY),
): ProgressView {
  const visible = (id: string) => kinds.get(id) === 'shot' || kinds.get(id) === 'final_cut';
  const width = Math.max(8, ...[...kinds.keys()].filter(visible).map((id) => id.length));
  if (!tty) return lineView(visible, width);
  const multi = liveBars(' {name} {bar} {percentage}% {state}');
  const bars = new Map<string, cliProgress.SingleBar>();
  const bar = (id: string) => {
    let b = bars.get(id);
    if (!b) bars.set(id, (b = multi.create(100, 0, { name: id.padEnd(width), state: 'waiting' })));
    return b;
  };
  for (const id of kinds.keys()) if (visible(id)) bar(id);
  return {
    onEvent(e) {
      if (e.type === 'run-waiting' || e.type === 'run-notice' || e.type === 'run-phase')
        return multi.log(`${e.message}\n`);
      if (!('nodeId' in e) || !visible(e.nodeId)) return;
      const b = bar(e.nodeId);
      if (e.type === 'node-progress')
        b.update(Math.round(e.progress * 100), { state: line(e.message ?? 'running') });
      else if (e.type === 'node-submitted') b.update({ state: line(`task ${e.taskId}`) });
      else if (e.type === 'node-succeeded' || e.type === 'node-cached')
        b.update(100, { state: LABEL[e.type] });
      else if (e.type === 'node-failed') b.update({ state: line(`failed: ${e.error.split('\n')[0]}`) });
      else if (LABEL[e.type]) b.update({ state: LABEL[e.type] });
    },
    stop: () => multi.stop(),
  };
}

function lineView(visible: (id: string) => boolean, width: number): ProgressView {
  const lastDecile = new Map<string, number>();
  return {
    onEvent(e) {
      if (e.type === 'run-waiting' || e.type === 'run-notice' || e.type === 'run-phase')
        return console.error(e.message);
      if (!('nodeId' in e) || !visible(e.nodeId)) return;
      const name = e.nodeId.padEnd(width);
      if (e.type === 'node-progress') {
        const decile = Math.floor(e.progress * 4);
        if (decile > (lastDecile.get(e.nodeId) ?? 0) && decile < 4) {
          lastDecile.set(e.nodeId, decile);
          warn(`  ${name} ${decile * 25}%`);
        }
      } else if (e.type === 'node-submitted') warn(`  ${name} submitted as task ${e.taskId}`);
      else if (e.type === 'node-failed') warn(`  ${name} failed: ${e.error}`);
      else if (e.type === 'node-skipped') warn(`  ${name} skipped (${e.reason})`);
      else if (LABEL[e.type]) warn(`  ${name} ${LABEL[e.type]}`);
    },
    stop() {},
  };
}

/** Bars redraw in place: a gateway's text must not move the cursor or break the line. */
function line(text: string): string {
  return forTerminal(text, { singleLine: true });
}
