// Defined once at module scope: a new object per render would remount every node.
import type { NodeTypes } from '@xyflow/react';
import { AudioNode } from './AudioNode';
import { FinalCutNode } from './FinalCutNode';
import { ImageNode } from './ImageNode';
import { PromptNode } from './PromptNode';
import { SequenceNode } from './SequenceNode';
import { ShotNode } from './ShotNode';
import { UnknownNode } from './UnknownNode';
import { VideoNode } from './VideoNode';

export const nodeTypes: NodeTypes = {
  prompt: PromptNode,
  image: ImageNode,
  video: VideoNode,
  audio: AudioNode,
  shot: ShotNode,
  final_cut: FinalCutNode,
  sequence: SequenceNode,
  unknown: UnknownNode,
};
