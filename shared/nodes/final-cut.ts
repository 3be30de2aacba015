// The final cut's params: its timeline (issue 6). Per-clip settings and transitions are keyed by the
// clip's SOURCE node id, so reordering the clips keeps each clip's trims, gain and transition.
import { z } from 'zod';
import { nodeIdSchema } from '../graph/schema';

export const TRANSITION_TYPES = ['cut', 'crossfade', 'fade_black'] as const;
export type TransitionType = (typeof TRANSITION_TYPES)[number];
export const TRANSITION_SEC = { min: 0.1, max: 3 } as const;
export const GAIN_DB = { min: -60, max: 12 } as const;
export const LUFS = { min: -30, max: -5, default: -14 } as const;
export const PRESET_RESOLUTIONS = ['source', '480p', '720p', '1080p'] as const;
export const PRESET_FPS = [24, 25, 30] as const;
export const PRESET_CODECS = ['h264', 'h265'] as const;
export const PRESET_QUALITIES = ['draft', 'standard', 'high'] as const;

const range = (min: number, max: number, unit: string) => {
  const error = `must be a number from ${min} to ${max}${unit}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
};
const gainDb = () => range(GAIN_DB.min, GAIN_DB.max, ' dB');
const seconds = (max: number) => range(0, max, ' s');
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const clipSettingsSchema = z
  .object({
    /** Seconds cut from the clip's start. */
    trim_in: seconds(3600).optional(),
    /** End point in the clip's own time (not a length); default: the clip's end. */
    trim_out: seconds(3600).optional(),
    gain_db: gainDb().optional(),
  })
  .refine((c) => c.trim_in === undefined || c.trim_out === undefined || c.trim_out > c.trim_in, {
    path: ['trim_out'],
    error: 'must be later than trim_in: the out point is a time in the clip, not a length',
  });
export type ClipSettings = z.infer<typeof clipSettingsSchema>;

/** The transition INTO the clip it is keyed by; the first clip can only cut in. */
export const transitionSchema = z.object({
  type: oneOf(TRANSITION_TYPES).default('crossfade'),
  duration: range(TRANSITION_SEC.min, TRANSITION_SEC.max, ' s').default(1),
});
export type Transition = z.infer<typeof transitionSchema>;

export const musicSchema = z.object({
  /** Path relative to the graph file, under the same rules as an audio node's file. */
  file: z.string().min(1, 'choose a file'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a 64-character hex sha256')
    .optional(),
  gain_db: gainDb().default(-12),
  fade_in: seconds(30).default(1),
  fade_out: seconds(30).default(2),
  /** Lower the music while the shots' own audio plays. */
  duck: z.boolean().default(true),
  duck_db: range(0, 40, ' dB').default(12),
});
export type MusicBed = z.infer<typeof musicSchema>;

export const loudnessSchema = z.object({
  enabled: z.boolean().default(true),
  target_lufs: range(LUFS.min, LUFS.max, ' LUFS').default(LUFS.default),
});

export const presetSchema = z.object({
  /** `source`: the first clip's size; otherwise the short side in pixels, the first clip's aspect. */
  resolution: oneOf(PRESET_RESOLUTIONS).default('source'),
  fps: z
    .union(
      PRESET_FPS.map((f) => z.literal(f)),
      { error: `must be one of ${PRESET_FPS.join(', ')}` },
    )
    .default(24),
  codec: oneOf(PRESET_CODECS).default('h264'),
  quality: oneOf(PRESET_QUALITIES).default('standard'),
});
export type OutputPreset = z.infer<typeof presetSchema>;

export const finalCutParams = z.object({
  /** Output file, relative to the graph; default `<graph name>.mp4` beside the graph. */
  output: z.string().optional(),
  clips: z.record(nodeIdSchema, clipSettingsSchema).default({}),
  transitions: z.record(nodeIdSchema, transitionSchema).default({}),
  music: musicSchema.optional(),
  // Full defaults (not `{}`): zod 4 returns a default as-is, without filling the inner defaults.
  loudness: loudnessSchema.default({ enabled: true, target_lufs: LUFS.default }),
  preset: presetSchema.default({ resolution: 'source', fps: 24, codec: 'h264', quality: 'standard' }),
});
export type FinalCutParams = z.infer<typeof finalCutParams>;
