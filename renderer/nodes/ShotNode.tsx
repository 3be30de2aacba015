// Shot node: one Seedance generation. Shows its settings at a glance, the cost estimate, its
// run status and, once rendered, its clip.
import type { NodeProps } from '@xyflow/react';
import type { FilmNode } from '../model/flow';
import { useNodeStatus } from './useNodeStatus';
import { useUi } from '../stores/ui';
import { Clip } from './Clip';
import { costLine } from './cost';
import { NodeFrame } from './NodeFrame';
import { useWireCounts, wiresOf } from './wires';

const selectProvider = (s: { info: { defaultProvider: string } | null }) =>
  s.info?.defaultProvider ?? 'animatic';

export function ShotNode({ id, data, selected }: NodeProps<FilmNode>) {
  const p = data.params;
  const { run, status } = useNodeStatus(id, 'shot');
  const provider = useUi(selectProvider);
  const wired = useWireCounts(wiresOf(id));
  const mode =
    wired['in:first_frame'] || wired['in:last_frame']
      ? 'frames'
      : wired['in:reference_images'] || wired['in:reference_videos']
        ? 'references'
        : 'text';
  const cost = costLine(p, String(p.provider || provider), Boolean(wired['in:reference_videos']));
  return (
    <NodeFrame id={id} kind="shot" label={data.label} selected={selected} wide>
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
      <div className="node-meta" title={cost.title} data-testid="cost">
        {cost.text}
      </div>
      {run?.outputs?.video && (
        <Clip path={run.outputs.video} stale={status === 'stale'} testId={`clip-${id}`} />
      )}
    </NodeFrame>
  );
}
