import type { NodeProps } from '@xyflow/react';
import { setParam } from '../actions/nodes';
import type { FilmNode } from '../model/flow';
import { NodeFrame } from './NodeFrame';

export function PromptNode({ id, data, selected }: NodeProps<FilmNode>) {
  const text = String(data.params.text ?? '');
  return (
    <NodeFrame id={id} kind="prompt" label={data.label} selected={selected}>
      <textarea
        className="node-prompt nodrag nowheel"
        aria-label={`prompt text of ${id}`}
        placeholder="Describe the shot: subject, action, camera, light…"
        value={text}
        maxLength={8000}
        onChange={(e) => setParam(id, 'text', e.target.value)}
      />
      <div className="node-meta">{text.length.toLocaleString()} / 8,000</div>
    </NodeFrame>
  );
}
