// Shot node: one Seedance generation. Shows its settings at a glance, the cost estimate, its
// run status and, once rendered, its clip.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { useNodeStatus } from './useNodeStatus';
import { ApproveButton } from './ApproveButton';
import { Clip } from './Clip';
import { CostLine } from './CostLine';
import { NodeFrame } from './NodeFrame';
import { useWireCounts, wiresOf } from './wires';

export function ShotNode({ id, data, selected }: NodeProps<FilmNode>) {
  const p = data.params;
  const { status, outputs } = useNodeStatus(id, 'shot');
  const wired = useWireCounts(wiresOf(id));
  const mode =
    wired['in:first_frame'] || wired['in:last_frame']
      ? 'frames'
      : wired['in:reference_images'] || wired['in:reference_videos']
        ? 'references'
        : 'text';
  return (
    <NodeFrame id={id} kind="shot" label={data.label} selected={selected}>
      <div className="chips">
        <span className="chip">{p.duration === 'auto' ? 'auto' : `${String(p.duration ?? 5)} s`}</span>
        <span className="chip">{String(p.resolution ?? '720p')}</span>
        <span className="chip">{String(p.ratio ?? '16:9')}</span>
        <span className="chip">{p.generate_audio === false ? 'silent' : 'audio'}</span>
        <span className="chip chip-dim" title="Seedance input mode, from the wired ports">
          {mode === 'frames'
            ? 'first/last frame'
            : mode === 'references'
              ? 'reference mode'
              : 'text to video'}
        </span>
      </div>
      <CostLine id={id} className="node-meta" testId="cost" />
      {outputs?.video && <Clip path={outputs.video} stale={status === 'stale'} testId={`clip-${id}`} />}
      <ApproveButton id={id} extra={data.extra} made={Boolean(outputs?.video)} />
    </NodeFrame>
  );
}
