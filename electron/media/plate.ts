// The animatic's picture under the burn-ins: a still (the first-frame image, a reference image or a
// clean plate) with a slow camera push, or a wired reference video playing, and a wired last frame
// eased in over the end so the shot lands exactly on it. Nothing here draws text: whatever this
// makes may become the next shot's first frame.
import { FPS } from '../../shared/seedance/limits';
import { houseVideoFormatFilter } from './clip-format';

export type Plate =
  /** `gain` 1 = as is; a reference image is dimmed (it is not the frame). */
  { kind: 'image'; file: string; gain: number } | { kind: 'video'; file: string };

export interface PlateSize {
  width: number;
  height: number;
  frames: number;
}

/** Zoom at the last frame; the move is slow enough to read as a camera push, not a jump. */
export const ZOOM_END = 1.06;
/** Longest ease into a wired last frame, and its largest share of the shot. */
const EASE_SEC = 1.5;
const EASE_SHARE = 0.4;

/** ffmpeg input arguments for the plate's file. */
export function plateInput(plate: Plate): string[] {
  // A reference video shorter than the shot loops; its sound is never used.
  if (plate.kind === 'video') return ['-stream_loop', '-1', '-i', plate.file];
  return imageInput(plate.file);
}

/** A still image as exactly one frame; `-pattern_type none` so a `%` in a file name is not a sequence. */
export function imageInput(file: string): string[] {
  return /\.gif$/i.test(file) ? ['-i', file] : ['-f', 'image2', '-pattern_type', 'none', '-i', file];
}

/** Frames of the ease into a wired last frame (0 when the shot is too short to ease). */
export function easeFrames(frames: number): number {
  const n = Math.min(Math.round(EASE_SEC * FPS), Math.floor(frames * EASE_SHARE));
  return n >= 2 ? n : 0;
}

/**
 * Chains ending in `[output]`: the plate (input `plateIndex`) and, when `lastFrameIndex` is given,
 * the ease into that image over the end of the shot.
 */
export function plateChains(
  plate: Plate,
  plateIndex: number,
  lastFrameIndex: number | undefined,
  size: PlateSize,
  output: string,
): string[] {
  const ease = lastFrameIndex === undefined ? 0 : easeFrames(size.frames);
  const moving = ease ? 'plate' : output;
  const chains = [
    plate.kind === 'video'
      ? videoPlate(plateIndex, size, moving)
      : stillPlate(plate, plateIndex, size, moving),
  ];
  if (ease) {
    chains.push(easeIn(lastFrameIndex!, size, ease, 'landing'));
    chains.push(`[plate][landing]overlay=eof_action=pass:format=yuv420[${output}]`);
  }
  return chains;
}

/**
 * The still is built once in RGB (so the image's own colour matrix is honoured), then converted with
 * the house matrix, repeated `frames` times and moved; per-frame work is only the move.
 */
function stillPlate(plate: Plate, input: number, size: PlateSize, output: string): string {
  const { width: w, height: h, frames } = size;
  const gain = plate.kind === 'image' ? plate.gain : 1;
  return (
    [
      `[${input}:v]trim=end_frame=1`,
      ...cover(w, h),
      'format=rgb24',
      ...(gain !== 1 ? [`colorchannelmixer=rr=${gain}:gg=${gain}:bb=${gain}`] : []),
      'setsar=1',
      houseVideoFormatFilter(),
      `loop=loop=${frames - 1}:size=1:start=0`,
      // Exact 1/24 timestamps (an image input has a 1/25 time base, which would round them).
      `settb=1/${FPS}`,
      'setpts=N',
      ...cameraPush(size),
    ].join(',') + `[${output}]`
  );
}

/** The reference video's own motion, cover-cropped, at 24 fps, looped or cut to the shot's length. */
function videoPlate(input: number, size: PlateSize, output: string): string {
  const { width: w, height: h, frames } = size;
  return (
    [
      `[${input}:v]fps=${FPS}`,
      ...cover(w, h),
      'setsar=1',
      houseVideoFormatFilter(),
      `trim=end_frame=${frames}`,
      `settb=1/${FPS}`,
      'setpts=N',
    ].join(',') + `[${output}]`
  );
}

/**
 * The last-frame image over the last `ease` frames, its opacity following smoothstep (slow in, slow
 * out) and reaching 1 on the final frame. `fade` ramps linearly in time, so the frames' timestamps
 * are first spaced along the smoothstep curve, faded, and then put back one frame apart.
 */
function easeIn(input: number, size: PlateSize, ease: number, output: string): string {
  const { width: w, height: h, frames } = size;
  const fine = 1000; // sub-frame ticks, so the warped timestamps stay distinct
  const x = `N/${ease - 1}`;
  const warped = `round(${fine * ease}*(${x})*(${x})*(3-2*(${x})))`;
  return (
    [
      `[${input}:v]trim=end_frame=1`,
      ...cover(w, h),
      'format=rgb24',
      'setsar=1',
      houseVideoFormatFilter(),
      'format=yuva420p',
      `loop=loop=${ease - 1}:size=1:start=0`,
      `settb=1/${FPS * fine}`,
      `setpts='${warped}'`,
      `fade=t=in:st=0:d=${(ease / FPS).toFixed(6)}:alpha=1`,
      `settb=1/${FPS}`,
      `setpts=N+${frames - ease}`,
    ].join(',') + `[${output}]`
  );
}

/** Scale to cover the frame and centre-crop, as Seedance treats a first-frame image. */
function cover(w: number, h: number): string[] {
  return [`scale=${w}:${h}:force_original_aspect_ratio=increase:flags=lanczos`, `crop=${w}:${h}`];
}

/**
 * Centred zoom from 1.00 to ZOOM_END: each frame scaled up by its zoom and centre-cropped. The
 * excess is kept even in each dimension so the crop stays centred to the pixel (exact: odd offsets
 * too); the zoom then moves in steps of 2 px at the frame's edges and not at all at its centre, so
 * it does not judder the way zoompan's integer crop of the source does. At frame 0 it is the
 * identity. A per-frame perspective warp moved by sub-pixels but cost five times the CPU (about
 * 1.5 s per 5 s shot at 720p, half of the whole shot's render).
 */
function cameraPush(size: PlateSize): string[] {
  const { width: w, height: h, frames } = size;
  // Half the excess of frame n, whole pixels; the crop names it itself because crop does not see
  // a frame size that changes after it was set up.
  const half = (dim: number) => `round(${dim}*${(ZOOM_END - 1).toFixed(4)}*n/${Math.max(1, frames - 1)}/2)`;
  return [
    `scale=w='${w}+2*${half(w)}':h='${h}+2*${half(h)}':eval=frame:flags=bicubic`,
    `crop=w=${w}:h=${h}:x='${half(w)}':y='${half(h)}':exact=1`,
  ];
}
