// Output presets of the final cut: picture size, frame rate, codec and quality. `source` at 24 fps in
// H.264 is the house format, so such a cut can be joined by stream copy.
import type { OutputPreset } from '../../shared/nodes/final-cut';
import { HOUSE_CLIP, houseAudioEncoderArgs } from './clip-format';

export interface Size {
  width: number;
  height: number;
}

/** crf and x264/x265 preset per quality; `standard` H.264 is the house encode. */
const QUALITY = {
  h264: {
    draft: { crf: 28, speed: 'superfast' },
    standard: { crf: 20, speed: 'veryfast' },
    high: { crf: 17, speed: 'medium' },
  },
  h265: {
    draft: { crf: 32, speed: 'ultrafast' },
    standard: { crf: 26, speed: 'veryfast' },
    high: { crf: 22, speed: 'medium' },
  },
} as const;

/** The film's size: the first clip's (even) size, or the preset's short side at the first clip's aspect. */
export function presetSize(preset: OutputPreset, first: Size): Size {
  const source = { width: even(first.width), height: even(first.height) };
  if (preset.resolution === 'source') return source;
  const short = Number(preset.resolution.replace('p', ''));
  const portrait = first.height > first.width;
  // Nearest even width: 16:9 at 480p is 854, as players expect, not 852.
  const long =
    2 * Math.round((short * Math.max(first.width, first.height)) / Math.min(first.width, first.height) / 2);
  return portrait ? { width: short, height: long } : { width: long, height: short };
}

/** True when the preset asks for nothing the house format (at `size`) does not already have. */
export function isHousePreset(preset: OutputPreset, first: Size): boolean {
  const size = presetSize(preset, first);
  return (
    preset.codec === 'h264' &&
    preset.fps === HOUSE_CLIP.fps &&
    size.width === even(first.width) &&
    size.height === even(first.height)
  );
}

/** Video and audio encoder arguments for a film encoded with this preset (after the `-map`s). */
export function presetEncoderArgs(preset: OutputPreset): string[] {
  const q = QUALITY[preset.codec][preset.quality];
  const c = HOUSE_CLIP;
  const video =
    preset.codec === 'h264'
      ? ['-c:v', 'libx264', '-profile:v', 'high', '-preset', q.speed, '-crf', String(q.crf)]
      : // hvc1: the tag QuickTime and Safari need to play H.265 in MP4.
        [
          '-c:v',
          'libx265',
          '-preset',
          q.speed,
          '-crf',
          String(q.crf),
          '-tag:v',
          'hvc1',
          '-x265-params',
          'log-level=error',
        ];
  return [
    ...video,
    ...['-pix_fmt', c.pixFmt, '-g', String(preset.fps * 2), '-r', String(preset.fps)],
    ...['-color_primaries', c.colour, '-color_trc', c.colour, '-colorspace', c.colour, '-color_range', 'tv'],
    ...houseAudioEncoderArgs(),
    ...['-movflags', '+faststart', '-map_metadata', '-1', '-map_chapters', '-1'],
  ];
}

function even(n: number): number {
  return Math.max(2, n - (n % 2));
}
