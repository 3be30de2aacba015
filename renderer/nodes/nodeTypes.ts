// Defined once at module scope: a new object per render would remount every node. Each kind is
// memoised, so a node re-renders only when its own props change, never because a neighbour moved.
import { memo } from 'react';
import type { NodeTypes } from '@xyflow/react';
import { AudioNode } from './AudioNode';
import { FinalCutNode } from './FinalCutNode';
import { ImageNode } from './ImageNode';
import { KeyframeNode } from './KeyframeNode';
import { PromptNode } from './PromptNode';
import { SequenceNode } from './SequenceNode';
import { ShotNode } from './ShotNode';
import { UnknownNode } from './UnknownNode';
import { VideoNode } from './VideoNode';

export const nodeTypes: NodeTypes = {
  prompt: memo(PromptNode),
  image: memo(ImageNode),
  video: memo(VideoNode),
  audio: memo(AudioNode),
  shot: memo(ShotNode),
  keyframe: memo(KeyframeNode),
  final_cut: memo(FinalCutNode),
  sequence: memo(SequenceNode),
  unknown: memo(UnknownNode),
};
