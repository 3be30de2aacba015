import type { NodeRun } from '../stores/run';
import { STATUS_TEXT, type ShownStatus } from './status';

export function StatusBadge({ run, status }: { run: NodeRun | undefined; status: ShownStatus }) {
  const pct =
    status === 'running' && run?.progress !== undefined ? ` ${Math.round(run.progress * 100)}%` : '';
  return (
    <span
      className={`status-badge status-${status}`}
      data-testid="status"
      title={run?.message ?? run?.error ?? STATUS_TEXT[status]}
    >
      {status === 'running' && <span className="status-spinner" aria-hidden="true" />}
      {STATUS_TEXT[status]}
      {pct}
    </span>
  );
}
