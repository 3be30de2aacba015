// Keyframe node: Seedream stills (one, or a consistent set) that shots start on, end on or refer to.
// Shows its settings, the cost, the frames once made and, when gated, the Approve button.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { host } from '../transport';
import { ApproveButton } from './ApproveButton';
import { cardPorts, keyframeCount } from './card-ports';
import { CostLine } from './CostLine';
import { NodeFrame } from './NodeFrame';
import { useNodeStatus } from './useNodeStatus';

export function KeyframeNode({ id, data, selected }: NodeProps<FilmNode>) {
  const p = data.params;
  const count = keyframeCount(p);
  const ports = cardPorts(data)!;
  const { status, outputs } = useNodeStatus(id, 'keyframe');
  const frames = ports.outputs;
  return (
    <NodeFrame id={id} kind="keyframe" label={data.label} selected={selected} ports={ports}>
      <div className="chips">
        <span className="chip">{String(p.model ?? 'seedream-4.0')}</span>
        <span className="chip">{String(p.size ?? '2560x1440')}</span>
        <span className="chip">{count === 1 ? '1 frame' : `set of ${count}`}</span>
      </div>
      <CostLine id={id} className="node-meta" testId="cost" />
      {outputs && (
        <div className={`keyframe-strip ${status === 'stale' ? 'is-stale' : ''}`}>
          {frames.map((port) =>
            outputs[port.name] ? (
              <img
                key={port.name}
                className="media-thumb"
                src={host.mediaUrl(outputs[port.name]!)}
                alt={port.label}
                draggable={false}
                data-testid={`frame-${id}-${port.name}`}
              />
            ) : null,
          )}
        </div>
      )}
      <ApproveButton id={id} extra={data.extra} made={Boolean(outputs?.image)} />
    </NodeFrame>
  );
}
