// The node registry: the single source of ports, param schemas and defaults for the editor,
// the validator and the executor (docs/architecture.md §4).
import { z } from 'zod';
import { DURATION, MODELS, RATIOS, RESOLUTIONS, REFERENCE_LIMITS } from '../seedance/limits';
import { finalCutParams } from './final-cut';
import { KEYFRAME_INPUTS, KEYFRAME_OUTPUTS, keyframeParams } from './keyframe';
import { SEAMS } from './seams';
import type { PortDef } from './ports';

const mediaParams = z.object({
  /** Path relative to the graph file (or an https URL for remote media). */
  file: z.string().min(1, 'choose a file'),
  /** sha256 of the file's bytes when it was added; lets a shared graph detect swapped media. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a 64-character hex sha256')
    .optional(),
});

const durationMessage = `must be a whole number of seconds from ${DURATION.min} to ${DURATION.max}, or "auto"`;
// zod reports the number branch's own issue for an out-of-range number, so it carries the message too.
export const durationSchema = z.union(
  [
    z.literal('auto'),
    z
      .number({ error: durationMessage })
      .int({ error: durationMessage })
      .min(DURATION.min, { error: durationMessage })
      .max(DURATION.max, { error: durationMessage }),
  ],
  { error: durationMessage },
);

export const shotParams = z.object({
  /** Gateway override for this shot; empty means the run's provider. */
  provider: z.string().optional(),
  model: z.string().min(1).default('seedance-2.0'),
  duration: durationSchema.default(DURATION.default),
  ratio: z.enum(RATIOS, { error: `must be one of ${RATIOS.join(', ')}` }).default('16:9'),
  resolution: z.enum(RESOLUTIONS, { error: `must be one of ${RESOLUTIONS.join(', ')}` }).default('720p'),
  generate_audio: z.boolean().default(true),
  seed: z.number().int().min(-1).max(2147483647).default(-1),
  watermark: z.boolean().default(false),
  /** Where the shot starts at its cut (seams.ts); checked against the wiring, never in the key. */
  seam: z.enum(SEAMS, { error: `must be one of ${SEAMS.join(', ')}` }).default('last-frame'),
});
export type ShotParams = z.infer<typeof shotParams>;

// The final cut's timeline schema lives in its own file; re-exported so callers keep one import.
export { finalCutParams, type FinalCutParams } from './final-cut';
export { keyframeParams, type KeyframeParams } from './keyframe';

export const promptParams = z.object({ text: z.string().max(8000).default('') });

export interface NodeKindDef {
  kind: string;
  label: string;
  category: 'input' | 'generate' | 'output';
  inputs: PortDef[];
  outputs: PortDef[];
  params: z.ZodObject;
}

export const NODE_KINDS = {
  prompt: {
    kind: 'prompt',
    label: 'Prompt',
    category: 'input',
    inputs: [],
    outputs: [{ name: 'text', type: 'text', label: 'text' }],
    params: promptParams,
  },
  image: {
    kind: 'image',
    label: 'Image',
    category: 'input',
    inputs: [],
    outputs: [{ name: 'image', type: 'image', label: 'image' }],
    params: mediaParams,
  },
  video: {
    kind: 'video',
    label: 'Video',
    category: 'input',
    inputs: [],
    outputs: [{ name: 'video', type: 'video', label: 'video' }],
    params: mediaParams,
  },
  audio: {
    kind: 'audio',
    label: 'Audio',
    category: 'input',
    inputs: [],
    outputs: [{ name: 'audio', type: 'audio', label: 'audio' }],
    params: mediaParams,
  },
  shot: {
    kind: 'shot',
    label: 'Shot',
    category: 'generate',
    inputs: [
      { name: 'prompt', type: 'text', label: 'prompt' },
      { name: 'first_frame', type: 'image', label: 'first frame' },
      { name: 'last_frame', type: 'image', label: 'last frame' },
      {
        name: 'reference_images',
        type: 'image',
        label: 'reference images',
        multi: true,
        max: REFERENCE_LIMITS.images,
      },
      {
        name: 'reference_videos',
        type: 'video',
        label: 'reference videos',
        multi: true,
        max: REFERENCE_LIMITS.videos,
      },
      {
        name: 'reference_audios',
        type: 'audio',
        label: 'reference audio',
        multi: true,
        max: REFERENCE_LIMITS.audios,
      },
    ],
    outputs: [
      { name: 'video', type: 'video', label: 'video' },
      { name: 'last_frame', type: 'image', label: 'last frame' },
    ],
    params: shotParams,
  },
  keyframe: {
    kind: 'keyframe',
    label: 'Keyframe',
    category: 'generate',
    inputs: KEYFRAME_INPUTS,
    outputs: KEYFRAME_OUTPUTS,
    params: keyframeParams,
  },
  final_cut: {
    kind: 'final_cut',
    label: 'Final cut',
    category: 'output',
    inputs: [{ name: 'clips', type: 'video', label: 'clips', multi: true, required: true }],
    outputs: [{ name: 'video', type: 'video', label: 'film' }],
    params: finalCutParams,
  },
} satisfies Record<string, NodeKindDef>;

export type NodeKind = keyof typeof NODE_KINDS;

export function nodeKind(kind: string): NodeKindDef | undefined {
  return Object.prototype.hasOwnProperty.call(NODE_KINDS, kind) ? NODE_KINDS[kind as NodeKind] : undefined;
}

export function inputPort(kind: string, port: string): PortDef | undefined {
  return nodeKind(kind)?.inputs.find((p) => p.name === port);
}

export function outputPort(kind: string, port: string): PortDef | undefined {
  return nodeKind(kind)?.outputs.find((p) => p.name === port);
}

/** Params with every default filled in, as the editor shows a freshly added node. */
export function defaultParams(kind: string): Record<string, unknown> {
  const def = nodeKind(kind);
  if (!def) return {};
  const parsed = def.params.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}
