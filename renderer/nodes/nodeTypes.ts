// Defined once at module scope: a new object per render would remount every node. Each kind is
// memoised, so a node re-renders only when its own props change, never because a neighbour moved.
// Zoomed out, cards are drawn light (LightCard.tsx); a sequence instance stays full, as its ports
// come from its definition.
import { memo } from 'react';
import type { NodeTypes } from '@xyflow/react';
import { AudioNode } from './AudioNode';
import { FinalCutNode } from './FinalCutNode';
import { ImageNode } from './ImageNode';
import { KeyframeNode } from './KeyframeNode';
import { withDetail } from './LightCard';
import { PromptNode } from './PromptNode';
import { SequenceNode } from './SequenceNode';
import { ShotNode } from './ShotNode';
import { UnknownNode } from './UnknownNode';
import { VideoNode } from './VideoNode';

export const nodeTypes: NodeTypes = {
  prompt: withDetail(PromptNode),
  image: withDetail(ImageNode),
  video: withDetail(VideoNode),
  audio: withDetail(AudioNode),
  shot: withDetail(ShotNode),
  keyframe: withDetail(KeyframeNode),
  final_cut: withDetail(FinalCutNode),
  sequence: memo(SequenceNode),
  unknown: withDetail(UnknownNode),
};
