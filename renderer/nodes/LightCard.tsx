// A card as drawn zoomed out, where its text cannot be read (model/detail.ts): kind colour, title
// and a status dot over the same port rows, so wires attach exactly where they do on the full card;
// and its problems, if any, so trouble still shows. No kind icon: its scaled SVG is one more paint
// property per card, which Chromium re-layerizes on every frame of a drag. Nothing inside it is
// positioned either (see .film-node.is-light in styles/nodes.css).
import type { NodeProps } from '@xyflow/react';
import type { ComponentType } from 'react';
import { memo } from 'react';
import { nodeKind } from '../../shared/nodes';
import type { FilmNode } from '../model/flow';
import { selectDetail, useDetail } from '../stores/detail';
import { cardPorts, WIDE_KINDS } from './card-ports';
import { NodeIssues, useIssues } from './NodeIssues';
import { DropZones, LightPorts } from './Ports';
import { STATUS_TEXT } from './status';
import { useNodeStatus } from './useNodeStatus';

export function LightCard({ id, data, selected }: NodeProps<FilmNode>) {
  const kind = data.kind;
  const def = nodeKind(kind);
  const { run, status } = useNodeStatus(id, kind);
  const issues = useIssues(id, run);
  const ports = cardPorts(data) ?? { inputs: [], outputs: [] };
  return (
    <div
      className={`film-node is-light kind-${def ? kind : 'unknown'} status-${status} ${selected ? 'is-selected' : ''} ${WIDE_KINDS.has(kind) ? 'is-wide' : ''} ${issues.length ? 'has-issues' : ''}`}
      data-testid={`node-${id}`}
      data-kind={kind}
      data-status={status}
      data-detail="light"
    >
      <header className="film-node__head">
        <span className="film-node__title">{data.label || def?.label || kind}</span>
        <span className={`status-dot status-${status}`} title={STATUS_TEXT[status]} />
      </header>
      <LightPorts id={id} inputs={ports.inputs} outputs={ports.outputs} />
      <NodeIssues run={run} issues={issues} />
      <DropZones />
    </div>
  );
}

/**
 * A node kind that switches to its light card when zoomed out. Only crossing the threshold
 * re-renders it: the detail store changes then and at no other zoom.
 */
export function withDetail(Full: ComponentType<NodeProps<FilmNode>>) {
  return memo(function Detailed(props: NodeProps<FilmNode>) {
    return useDetail(selectDetail) === 'light' ? <LightCard {...props} /> : <Full {...props} />;
  });
}
