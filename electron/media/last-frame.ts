// The last frame of a clip as a PNG: the next shot in a chain starts on it, so it must be exactly
// the final decoded frame. Seeking near the end keeps the cost independent of the clip's length.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tempBeside, writeAtomically } from './atomic-output';
import { bmpToPng } from './bmp-to-png';
import { runFfmpeg } from './ffmpeg';

/**
 * Seconds before the end to start decoding. Covers an audio tail that outlasts the picture; ffmpeg
 * seeks to the keyframe before that point, so at most one GOP more is decoded, whatever the length.
 */
const TAIL_SEC = 3;

export async function extractLastFrame(video: string, outPng: string, signal?: AbortSignal): Promise<string> {
  const run = signal ? { signal } : {};
  // Every decoded frame of the tail overwrites one BMP (-update 1), which is nearly free, so only
  // the frame that remains is PNG-compressed; writing each tail frame as PNG costs about 3× more.
  const bmp = tempBeside(outPng) + '.bmp';
  const tail = (seek: string[]) => [
    ...['-loglevel', 'error', ...seek, '-i', video, '-map', '0:v:0', '-an', '-sn', '-dn'],
    ...['-fps_mode', 'passthrough', '-update', '1', '-c:v', 'bmp', '-f', 'image2', bmp],
  ];
  try {
    await runFfmpeg(tail(['-sseof', `-${TAIL_SEC}`]), { ...run, mediaSec: TAIL_SEC });
    // A picture that ends long before its sound leaves nothing in the tail: decode it all.
    if (!(await nonEmpty(bmp))) await runFfmpeg(tail([]), run);
    if (!(await nonEmpty(bmp))) throw new Error(`no video frame could be decoded from ${video}`);
    // The common BMP becomes a PNG here, in one pass over its bytes; any other one goes through ffmpeg.
    const png = await bmpToPng(await readFile(bmp));
    if (png) {
      await writeAtomically(outPng, (tmp) => writeFile(tmp, png));
      return outPng;
    }
    await writeAtomically(outPng, (tmp) =>
      runFfmpeg(
        [
          ...['-loglevel', 'error', '-f', 'image2', '-pattern_type', 'none', '-i', bmp],
          ...['-frames:v', '1', '-update', '1', '-c:v', 'png', '-f', 'image2', tmp],
        ],
        { ...run, mediaSec: 1 },
      ),
    );
  } finally {
    await rm(bmp, { force: true });
  }
  return outPng;
}

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
