// A node kind this version does not know: kept intact (params, wires) and saved back unchanged.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { cardPorts } from './card-ports';
import { NodeFrame } from './NodeFrame';

export function UnknownNode({ id, data, selected }: NodeProps<FilmNode>) {
  const ports = cardPorts(data);
  return (
    <NodeFrame id={id} kind={data.kind} label={data.label} selected={selected} ports={ports}>
      <div className="node-meta">Unknown kind “{data.kind}”: kept as is, cannot run.</div>
    </NodeFrame>
  );
}
