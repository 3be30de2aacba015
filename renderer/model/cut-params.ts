// A final cut's nested params as the editor shows them: what is stored, over the schema's defaults
// (a stored value is shown even when out of range, with the validator's message beside it).
import type { z } from 'zod';
import {
  clipSettingsSchema,
  loudnessSchema,
  musicSchema,
  presetSchema,
  transitionSchema,
} from '../../shared/nodes/final-cut';

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

export const LOUDNESS_DEFAULTS = loudnessSchema.parse({});
export const PRESET_DEFAULTS = presetSchema.parse({});
export const MUSIC_DEFAULTS = musicSchema.omit({ file: true, sha256: true }).parse({});
export const TRANSITION_DEFAULTS = transitionSchema.parse({});

export function loudnessOf(params: Raw): Raw {
  return { ...LOUDNESS_DEFAULTS, ...obj(params.loudness) };
}

export function presetOf(params: Raw): Raw {
  return { ...PRESET_DEFAULTS, ...obj(params.preset) };
}

export function musicOf(params: Raw): Raw | undefined {
  return params.music === undefined ? undefined : { ...MUSIC_DEFAULTS, ...obj(params.music) };
}

/** Per-clip settings (trims, gain) keyed by the clip's source node. */
export function clipOf(params: Raw, nodeId: string): Raw {
  return obj(obj(params.clips)[nodeId]);
}

export function transitionOf(params: Raw, nodeId: string): Raw | undefined {
  const t = obj(params.transitions)[nodeId];
  return t === undefined ? undefined : { ...TRANSITION_DEFAULTS, ...obj(t) };
}

const SHAPES: Record<string, Record<string, z.ZodType>> = {
  loudness: loudnessSchema.shape,
  preset: presetSchema.shape,
  music: musicSchema.shape,
  transition: transitionSchema.shape,
  clip: clipSettingsSchema.shape,
};

/** The validator's message for one nested value, or undefined when it is fine. */
export function nestedError(group: keyof typeof SHAPES, key: string, value: unknown): string | undefined {
  const schema = SHAPES[group]?.[key];
  if (!schema || value === undefined) return undefined;
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}
