// A sequence instance: one card for a reusable group of nodes, its ports the wires that cross its
// edge; double-click opens it.
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { inputPort, outputPort } from '../../shared/nodes';
import type { PortDef } from '../../shared/nodes/ports';
import type { FilmNode } from '../model/flow';
import { sequencesOf } from '../model/scope';
import { useDocument } from '../stores/document';
import { NodeFrame } from './NodeFrame';

interface DefPorts {
  nodes: { id: string; type: string }[];
  inputs?: { name: string; node: string; port?: string; field?: string }[];
  outputs?: { name: string; node: string; port: string }[];
}

function portsOf(def: DefPorts) {
  const kind = (id: string) => def.nodes.find((n) => n.id === id)?.type ?? '';
  const inputs: PortDef[] = (def.inputs ?? []).flatMap((i) => {
    const p = i.port ? inputPort(kind(i.node), i.port) : undefined;
    return p ? [{ ...p, name: i.name, label: i.name }] : [];
  });
  const outputs: PortDef[] = (def.outputs ?? []).flatMap((o) => {
    const p = outputPort(kind(o.node), o.port);
    return p ? [{ ...p, name: o.name, label: o.name }] : [];
  });
  return { inputs, outputs, fields: (def.inputs ?? []).filter((i) => i.field).length };
}

export const SequenceNode = memo(function SequenceNode({ id, data, selected }: NodeProps<FilmNode>) {
  const ref = String(data.params.sequence ?? '');
  const def = useDocument((s) => sequencesOf(s.extra).find((d) => d.id === ref)) as DefPorts | undefined;
  const ports = def
    ? portsOf(def)
    : {
        inputs: (data.ports?.inputs ?? []).map((name) => ({ name, type: 'text' as const, label: name })),
        outputs: (data.ports?.outputs ?? []).map((name) => ({ name, type: 'text' as const, label: name })),
        fields: 0,
      };
  const set = Object.keys((data.params.values as object | undefined) ?? {}).length;
  return (
    <NodeFrame id={id} kind="sequence" label={data.label ?? ref} selected={selected} ports={ports}>
      <div className="node-meta" data-testid={`sequence-${id}`}>
        {def ? `${def.nodes.length} nodes` : `library ${ref}`} · {ports.fields} input
        {ports.fields === 1 ? '' : 's'}
        {set ? ` (${set} set here)` : ''} · double-click to open
      </div>
    </NodeFrame>
  );
});
