// Audio node: a reference sound or music from the project's media folder.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { MediaSlot } from './MediaSlot';
import { NodeFrame } from './NodeFrame';

export function AudioNode({ id, data, selected }: NodeProps<FilmNode>) {
  return (
    <NodeFrame id={id} kind="audio" label={data.label} selected={selected}>
      <MediaSlot id={id} kind="audio" file={data.params.file as string | undefined} />
    </NodeFrame>
  );
}
