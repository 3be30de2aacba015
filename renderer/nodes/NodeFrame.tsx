// The chrome every node kind shares: header with icon, title, id and status; typed ports; body;
// and the problems and errors that belong to this node.
import type { ReactNode } from 'react';
import { nodeKind } from '../../shared/nodes';
import type { PortDef } from '../../shared/nodes/ports';
import { useProblems } from '../stores/problems';
import { WIDE_KINDS } from './card-ports';
import { KindIcon } from './icons';
import { NodeIssues, useIssues } from './NodeIssues';
import { Ports } from './Ports';
import { StatusBadge } from './StatusBadge';
import { useNodeStatus } from './useNodeStatus';
import { useWireCounts, wiresOf } from './wires';

interface Props {
  id: string;
  kind: string;
  label?: string | undefined;
  selected: boolean;
  children?: ReactNode;
  ports?: { inputs: PortDef[]; outputs: PortDef[] };
}

export function NodeFrame({ id, kind, label, selected, children, ports }: Props) {
  const def = nodeKind(kind);
  const { run, status } = useNodeStatus(id, kind);
  const issues = useIssues(id, run);
  const hint = useProblems((s) => s.hints[id]);
  const wired = useWireCounts(wiresOf(id));
  const inputs = ports?.inputs ?? def?.inputs ?? [];
  const outputs = ports?.outputs ?? def?.outputs ?? [];
  return (
    <div
      className={`film-node kind-${def ? kind : 'unknown'} status-${status} ${selected ? 'is-selected' : ''} ${WIDE_KINDS.has(kind) ? 'is-wide' : ''} ${issues.length ? 'has-issues' : ''}`}
      data-testid={`node-${id}`}
      data-kind={kind}
      data-status={status}
    >
      <header className="film-node__head">
        <span className="film-node__icon">
          <KindIcon kind={def ? kind : 'unknown'} />
        </span>
        <span className="film-node__title">{label || def?.label || kind}</span>
        <span className="film-node__id">{id}</span>
        {hint && !issues.length ? (
          <span
            className="film-node__hint"
            title={`${hint} thing${hint > 1 ? 's' : ''} to fix before this can run (press P)`}
          >
            !
          </span>
        ) : null}
        <StatusBadge run={run} status={status} />
      </header>
      {status === 'running' && (
        <div className="film-node__progress">
          <div style={{ width: `${Math.round((run?.progress ?? 0) * 100)}%` }} />
        </div>
      )}
      <Ports inputs={inputs} outputs={outputs} wired={wired} />
      {children && <div className="film-node__body">{children}</div>}
      <NodeIssues run={run} issues={issues} />
    </div>
  );
}
