// Final cut node: the clips in order, joined locally by ffmpeg; plays the film once assembled. Its
// length is the timeline's (trims and transitions included), as the renderer will make it.
import type { NodeProps } from '@xyflow/react';
import { useCutTimeline } from '../components/timeline/useCutTimeline';
import type { FilmNode } from '../model/flow';
import { useNodeStatus } from './useNodeStatus';
import { Clip } from './Clip';
import { NodeFrame } from './NodeFrame';

export function FinalCutNode({ id, data, selected }: NodeProps<FilmNode>) {
  const { status, outputs } = useNodeStatus(id, 'final_cut');
  const timeline = useCutTimeline(id);
  const clips = timeline?.clips.length ?? 0;
  const joins = timeline?.clips.filter((c) => c.transition.type !== 'cut').length ?? 0;
  return (
    <NodeFrame id={id} kind="final_cut" label={data.label} selected={selected}>
      <div className="node-meta">
        {clips
          ? `${clips} clip${clips > 1 ? 's' : ''} · ${timeline?.duration !== undefined ? `${timeline.duration.toFixed(1)} s` : 'length unknown'}${joins ? ` · ${joins} transition${joins > 1 ? 's' : ''}` : ''}`
          : 'Wire shot videos into clips, in order'}
      </div>
      {outputs?.video && (
        <Clip path={outputs.video} stale={status === 'stale'} testId="final-cut-video" film />
      )}
    </NodeFrame>
  );
}
