// Final cut node: the clips in order, joined locally by ffmpeg; plays the film once assembled.
import type { NodeProps } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import type { FilmNode } from '../model/flow';
import { useDocument, type DocumentState } from '../stores/document';
import { useNodeStatus } from './useNodeStatus';
import { Clip } from './Clip';
import { NodeFrame } from './NodeFrame';

/** Seconds of the clips wired in, as the shots ask for them (auto counted as 5). */
const plannedSeconds = (id: string) => (s: DocumentState) =>
  s.edges
    .filter((e) => e.target === id && e.targetHandle === 'clips')
    .map((e) => s.nodes.find((n) => n.id === e.source)?.data.params.duration)
    .map((d) => (typeof d === 'number' ? d : 5));

export function FinalCutNode({ id, data, selected }: NodeProps<FilmNode>) {
  const { run, status } = useNodeStatus(id, 'final_cut');
  const seconds = useDocument(useShallow(plannedSeconds(id)));
  const total = seconds.reduce((a, b) => a + b, 0);
  return (
    <NodeFrame id={id} kind="final_cut" label={data.label} selected={selected} wide>
      <div className="node-meta">
        {seconds.length
          ? `${seconds.length} clip${seconds.length > 1 ? 's' : ''} · ${total} s planned`
          : 'Wire shot videos into clips, in order'}
      </div>
      {run?.outputs?.video && (
        <Clip path={run.outputs.video} stale={status === 'stale'} testId="final-cut-video" film />
      )}
    </NodeFrame>
  );
}
