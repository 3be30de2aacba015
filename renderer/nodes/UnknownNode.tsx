// A node kind this version does not know: kept intact (params, wires) and saved back unchanged.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { NodeFrame } from './NodeFrame';

export function UnknownNode({ id, data, selected }: NodeProps<FilmNode>) {
  const ports = {
    inputs: (data.ports?.inputs ?? []).map((name) => ({ name, type: 'text' as const, label: name })),
    outputs: (data.ports?.outputs ?? []).map((name) => ({ name, type: 'text' as const, label: name })),
  };
  return (
    <NodeFrame id={id} kind={data.kind} label={data.label} selected={selected} ports={ports}>
      <div className="node-meta">Unknown kind “{data.kind}”: kept as is, cannot run.</div>
    </NodeFrame>
  );
}
