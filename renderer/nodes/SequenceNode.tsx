// A sequence instance: one card for a reusable group of nodes, its ports its definition's inputs and
// outputs (typed by the inner ports they lead to, shared/graph/sequence.ts); double-click opens it.
import type { NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { sequencePorts } from '../../shared/graph/sequence';
import type { FilmNode } from '../model/flow';
import { defLookup } from '../model/scope';
import { useDocument } from '../stores/document';
import { useLibrary } from '../stores/library';
import { NodeFrame } from './NodeFrame';
import { useSequenceDef } from './useSequenceDef';

export const SequenceNode = memo(function SequenceNode({ id, data, selected }: NodeProps<FilmNode>) {
  const ref = String(data.params.sequence ?? '');
  const { def, library, error } = useSequenceDef(ref);
  const extra = useDocument((s) => s.extra);
  const entries = useLibrary((s) => s.entries);
  const ports = useMemo(() => {
    if (!def)
      // Not read (yet): the wires it has show where its ports are.
      return {
        inputs: (data.ports?.inputs ?? []).map((name) => ({ name, type: 'text' as const, label: name })),
        outputs: (data.ports?.outputs ?? []).map((name) => ({ name, type: 'text' as const, label: name })),
      };
    // Library files named inside a library file are relative to it.
    return sequencePorts(def, defLookup(extra, entries, library));
  }, [def, data.ports, extra, entries, library]);
  const fields = (def?.inputs ?? []).filter((i) => i.field !== undefined).length;
  const set = Object.keys((data.params.values as object | undefined) ?? {}).length;
  return (
    <NodeFrame id={id} kind="sequence" label={data.label ?? ref} selected={selected} ports={ports}>
      <div className="node-meta" data-testid={`sequence-${id}`}>
        {library ? `library ${library} · ` : ''}
        {def ? `${def.nodes.length} nodes` : error ? `cannot be read: ${error}` : 'reading…'} · {fields} input
        {fields === 1 ? '' : 's'}
        {set ? ` (${set} set here)` : ''} · double-click to open
      </div>
    </NodeFrame>
  );
});
