// A final cut with trims, transitions or an output preset, in one filtergraph pass straight from the
// cached clips: each clip brought to the film's size and frame rate and cut to its in/out frames, the
// pictures joined with xfade and the sound (soundtrack.ts) with the same overlaps, encoded once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { OutputPreset } from '../../shared/nodes/final-cut';
import type { layoutTimeline } from '../../shared/timeline';
import { writeAtomically } from './atomic-output';
import { houseVideoFormatFilter } from './clip-format';
import { runFfmpeg } from './ffmpeg';
import { applyLoudness, type LoudnessGain } from './loudness';
import { presetEncoderArgs, type Size } from './preset';
import { soundtrack, type SoundPlan } from './soundtrack';
import { joinPictures } from './transition';

export type Layout = ReturnType<typeof layoutTimeline>;

export interface TimelineRenderOptions {
  out: string;
  size: Size;
  preset: OutputPreset;
  loudness?: LoudnessGain;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * Renders `layout` over `clips` (ffmpeg inputs 0…n−1; the music bed, if any, is input n) and returns
 * the film's length in seconds. `sound` must use the same input numbering.
 */
export async function renderTimeline(
  clips: { file: string }[],
  layout: Layout,
  sound: SoundPlan,
  musicFile: string | undefined,
  opts: TimelineRenderOptions,
): Promise<number> {
  const { width: w, height: h } = opts.size;
  const fps = layout.fps;
  const labels = layout.clips.map((_, i) => `[p${i}]`);
  const pictures = layout.clips.map(
    (c, i) =>
      [
        `[${i}:v:0]setpts=PTS-STARTPTS`,
        `fps=${fps}`,
        // A clip a frame short of its stated length still fills its out point: its last frame is held.
        'tpad=stop_mode=clone:stop_duration=1',
        `trim=start_frame=${c.inFrame}:end_frame=${c.outFrame!}`,
        'setpts=PTS-STARTPTS',
        `scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=lanczos`,
        `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`,
        'setsar=1',
        houseVideoFormatFilter(),
      ].join(',') + labels[i],
  );
  const frames = layout.clips.map((c) => c.outFrame! - c.inFrame);
  const seams = layout.clips.map((c) => ({ type: c.transition.type, length: c.transition.frames }));
  const film = joinPictures(labels, frames, seams, fps);
  const mix = soundtrack(sound);
  const graph = [
    ...pictures,
    ...film.filters,
    `${film.out}null[v]`,
    ...mix.filters,
    opts.loudness ? applyLoudness(mix.out, opts.loudness, '[a]') : `${mix.out}anull[a]`,
  ];
  const total = frames.reduce((a, b) => a + b, 0) - seams.slice(1).reduce((a, s) => a + s.length, 0);
  await mkdir(path.dirname(opts.out), { recursive: true });
  await writeAtomically(opts.out, (tmp) =>
    runFfmpeg(
      [
        ...['-loglevel', 'error'],
        ...clips.flatMap((c) => ['-i', path.resolve(c.file)]),
        ...(musicFile ? ['-vn', '-i', path.resolve(musicFile)] : []),
        ...['-filter_complex', graph.join(';'), '-map', '[v]', '-map', '[a]'],
        ...presetEncoderArgs(opts.preset),
        ...['-f', 'mp4', tmp],
      ],
      {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onProgress: (s) => opts.onProgress?.(Math.min(1, (s * fps) / total)),
        mediaSec: total / fps,
      },
    ),
  );
  return total / fps;
}
