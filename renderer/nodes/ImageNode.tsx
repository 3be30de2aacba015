// Image node: a still: first frame, last frame or reference image from the project's media folder.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { MediaSlot } from './MediaSlot';
import { NodeFrame } from './NodeFrame';

export function ImageNode({ id, data, selected }: NodeProps<FilmNode>) {
  return (
    <NodeFrame id={id} kind="image" label={data.label} selected={selected}>
      <MediaSlot id={id} kind="image" file={data.params.file as string | undefined} />
    </NodeFrame>
  );
}
