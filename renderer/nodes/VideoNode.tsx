// Video node: a reference clip from the project's media folder.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { MediaSlot } from './MediaSlot';
import { NodeFrame } from './NodeFrame';

export function VideoNode({ id, data, selected }: NodeProps<FilmNode>) {
  return (
    <NodeFrame id={id} kind="video" label={data.label} selected={selected}>
      <MediaSlot id={id} kind="video" file={data.params.file as string | undefined} />
    </NodeFrame>
  );
}
