// The last frame of a clip as a PNG: the next shot in a chain starts on it, so it must be exactly
// the final decoded frame. Seeking near the end keeps the cost independent of the clip's length.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { tempBeside, writeAtomically } from './atomic-output';
import { bmpToPng } from './bmp-to-png';
import { runFfmpeg } from './ffmpeg';
import { indexBeforeMedia } from './mp4-facts';
import { prepared, type Prepared } from './prepared';

/**
 * Seconds before the end to start decoding. Covers an audio tail that outlasts the picture; ffmpeg
 * seeks to the keyframe before that point, so at most one GOP more is decoded, whatever the length.
 */
const TAIL_SEC = 3;

/**
 * A prepared extraction reads the clip from a pipe, which cannot seek: it decodes every frame. Up to
 * this length that is about what the tail's seek decodes anyway (its tail and one GOP).
 */
const PREPARED_MAX_SEC = 6;

/** Every decoded frame of a clip overwrites one BMP; the output arguments after the input's. */
const TO_BMP = ['-map', '0:v:0', '-an', '-sn', '-dn', '-fps_mode', 'passthrough', '-update', '1'];

export async function extractLastFrame(video: string, outPng: string, signal?: AbortSignal): Promise<string> {
  const run = signal ? { signal } : {};
  // Every decoded frame of the tail overwrites one BMP (-update 1), which is nearly free, so only
  // the frame that remains is PNG-compressed; writing each tail frame as PNG costs about 3× more.
  const bmp = tempBeside(outPng) + '.bmp';
  const tail = (seek: string[]) => [
    ...['-loglevel', 'error', ...seek, '-i', video, ...TO_BMP, '-c:v', 'bmp', '-f', 'image2', bmp],
  ];
  try {
    await runFfmpeg(tail(['-sseof', `-${TAIL_SEC}`]), { ...run, mediaSec: TAIL_SEC });
    // A picture that ends long before its sound leaves nothing in the tail: decode it all.
    if (!(await nonEmpty(bmp))) await runFfmpeg(tail([]), run);
    if (!(await nonEmpty(bmp))) throw new Error(`no video frame could be decoded from ${video}`);
    return await bmpIntoPng(bmp, outPng, run);
  } finally {
    await rm(bmp, { force: true });
  }
}

/** A last frame whose ffmpeg may already be running while its clip is still on its way. */
export type PreparedLastFrame = Prepared<string>;

let preparedUsed = 0;

/** How many last frames came from a prepared ffmpeg in this process (tests read it). */
export function preparedLastFrames(): number {
  return preparedUsed;
}

/**
 * Starts the extraction of a clip's last frame before the clip exists (docs/architecture.md §5.2):
 * ffmpeg starts now and reads the clip from its stdin once `from` names it, so a chained shot's
 * next shot waits for no process start after its clip lands. Only for a short clip (a pipe is
 * decoded in full) on a machine with a core to spare; anything else extracts as usual.
 */
export function prepareLastFrame(
  outPng: string,
  o: { signal?: AbortSignal; expectedSec?: number; env?: NodeJS.ProcessEnv } = {},
): PreparedLastFrame {
  const run = o.signal ? { signal: o.signal } : {};
  const usual: PreparedLastFrame = {
    from: (video) => extractLastFrame(video, outPng, o.signal),
    cancel: () => undefined,
  };
  if (!preparedSeams(o.env ?? process.env) || !(o.expectedSec && o.expectedSec <= PREPARED_MAX_SEC))
    return usual;
  const bmp = tempBeside(outPng) + '.bmp';
  return prepared({
    usual: usual.from,
    start: (input) =>
      runFfmpeg(
        ['-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0', ...TO_BMP, '-c:v', 'bmp', '-f', 'image2', bmp],
        { ...run, stdinFrom: input, mediaSec: PREPARED_MAX_SEC },
      ),
    // A pipe gives the demuxer no way back: the clip's index must come before its media.
    ready: indexBeforeMedia,
    result: async () => {
      if (!(await nonEmpty(bmp))) throw new Error('nothing decoded');
      const png = await bmpIntoPng(bmp, outPng, run);
      preparedUsed++;
      return png;
    },
    cleanup: () => rm(bmp, { force: true }),
    ...run,
  });
}

/**
 * Whether to prepare: `SHOTGRAPH_PREPARED_SEAMS` = `on` / `off` decides; otherwise only while the
 * last minute's load leaves a core free (a waiting ffmpeg holds memory, and on a busy machine its
 * start is no faster early), never on Windows, whose load average is always 0.
 */
export function preparedSeams(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = env.SHOTGRAPH_PREPARED_SEAMS;
  if (set === 'on' || set === 'off') return set === 'on';
  return process.platform !== 'win32' && loadavg()[0]! < availableParallelism();
}

/** The BMP left by a tail decode as the PNG `outPng`: in this process when it can, else by ffmpeg. */
async function bmpIntoPng(bmp: string, outPng: string, run: { signal?: AbortSignal }): Promise<string> {
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
  return outPng;
}

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
