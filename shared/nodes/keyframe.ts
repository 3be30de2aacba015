// The keyframe node: Seedream stills made before the shots that start or end on them
// (docs/architecture.md §4, docs/gateways.md §7). One request can make a consistent set of up to
// 15 frames; the first is `image`, the others `frame_2` … `frame_15`.
import { z } from 'zod';
import { SEEDREAM_MAX_IMAGES, SEEDREAM_MAX_REFERENCES } from '../seedance/seedream';
import type { PortDef } from './ports';

export const keyframeParams = z.object({
  /** `ark` or `animatic`; empty means the run's provider when it makes stills. */
  provider: z.string().optional(),
  model: z.string().min(1).default('seedream-4.0'),
  /** A preset (1K, 2K, 4K) or WIDTHxHEIGHT; a shot fed by it wants the shot's aspect. */
  size: z.string().min(2).max(20).default('2560x1440'),
  /** Frames in the set: above 1, Seedream's sequential generation keeps them consistent. */
  count: z
    .number({ error: `must be a whole number from 1 to ${SEEDREAM_MAX_IMAGES}` })
    .int({ error: `must be a whole number from 1 to ${SEEDREAM_MAX_IMAGES}` })
    .min(1, { error: `must be a whole number from 1 to ${SEEDREAM_MAX_IMAGES}` })
    .max(SEEDREAM_MAX_IMAGES, { error: `must be a whole number from 1 to ${SEEDREAM_MAX_IMAGES}` })
    .default(1),
  /** How the gateway hands the images back; either way they are saved at once. Not in the key. */
  response_format: z.enum(['url', 'b64_json'], { error: 'must be url or b64_json' }).default('b64_json'),
});
export type KeyframeParams = z.infer<typeof keyframeParams>;

/** Output port of the n-th frame of a set (1-based). */
export function framePort(n: number): string {
  return n === 1 ? 'image' : `frame_${n}`;
}

/** 1-based frame number of an output port, or undefined. */
export function frameNumber(port: string): number | undefined {
  if (port === 'image') return 1;
  const m = /^frame_(\d{1,2})$/.exec(port);
  return m ? Number(m[1]) : undefined;
}

export const KEYFRAME_INPUTS: PortDef[] = [
  { name: 'prompt', type: 'text', label: 'prompt', required: true },
  {
    name: 'reference_images',
    type: 'image',
    label: 'reference images',
    multi: true,
    max: SEEDREAM_MAX_REFERENCES,
  },
];

export const KEYFRAME_OUTPUTS: PortDef[] = Array.from({ length: SEEDREAM_MAX_IMAGES }, (_, i) => ({
  name: framePort(i + 1),
  type: 'image' as const,
  label: i === 0 ? 'keyframe' : `frame ${i + 1}`,
}));
