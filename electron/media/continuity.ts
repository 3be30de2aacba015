// The two measures of the continuity report (docs/architecture.md §7): SSIM between a clip's last
// frame and the next clip's first frame (ffmpeg's ssim filter, on luma), and the sharpness of a
// frame as the variance of its Laplacian (computed here on raw grey pixels). Both read local files
// only, one frame each, under the usual ffmpeg deadlines.
import { closeSync, mkdtempSync, openSync, readSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFfmpeg } from './ffmpeg';
import { preparedSeams } from './last-frame';
import { indexBeforeMedia } from './mp4-facts';
import { prepared, type Prepared } from './prepared';
import { probeMedia } from './probe';

type Size = { width: number; height: number };

export interface GrayFrame {
  width: number;
  height: number;
  /** One byte per pixel, row by row. */
  data: Uint8Array;
}

async function scratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-continuity-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function frameSize(file: string, signal?: AbortSignal): Promise<{ width: number; height: number }> {
  const png = await pngSize(file);
  if (png) return png;
  const v = (await probeMedia(file, signal)).video;
  if (!v?.width || !v.height) throw new Error(`${path.basename(file)} has no picture to measure`);
  return { width: v.width, height: v.height };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's size from its IHDR, which every PNG starts with (a last frame): no ffprobe start for it. */
async function pngSize(file: string): Promise<Size | undefined> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const head = Buffer.alloc(24);
    const { bytesRead } = await fh.read(head, 0, 24, 0);
    return pngSizeOf(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** As `pngSize`, for a caller that cannot wait (24 bytes read). */
function pngSizeSync(file: string): Size | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(24);
    return pngSizeOf(head.subarray(0, readSync(fd, head, 0, 24, 0)));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function pngSizeOf(head: Buffer): Size | undefined {
  if (head.length < 24 || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (head.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const [width, height] = [head.readUInt32BE(16), head.readUInt32BE(20)];
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** The first decoded frame of a video (or an image) as grey pixels at its own size. */
export async function firstFrameGray(file: string, signal?: AbortSignal): Promise<GrayFrame> {
  const { width, height } = await frameSize(file, signal);
  return scratch(async (dir) => {
    const out = path.join(dir, 'frame.gray');
    await runFfmpeg(
      [
        ...['-loglevel', 'error', '-i', file, '-map', '0:v:0', '-frames:v', '1'],
        ...['-vf', `scale=${width}:${height},format=gray`, '-f', 'rawvideo', out],
      ],
      { mediaSec: 1, ...(signal ? { signal } : {}) },
    );
    const data = new Uint8Array(await readFile(out));
    if (data.length !== width * height)
      throw new Error(`could not decode the first frame of ${path.basename(file)}`);
    return { width, height, data };
  });
}

/**
 * Variance of the 4-neighbour Laplacian over the inner pixels: a soft frame has weak second
 * derivatives, so its variance drops as a chain loses detail.
 */
export function laplacianVariance(frame: GrayFrame): number {
  const { width: w, height: h, data } = frame;
  if (w < 3 || h < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  const n = (w - 2) * (h - 2);
  for (let y = 1; y < h - 1; y++) {
    const row = y * w;
    for (let x = 1; x < w - 1; x++) {
      const i = row + x;
      const lap = data[i - 1]! + data[i + 1]! + data[i - w]! + data[i + w]! - 4 * data[i]!;
      sum += lap;
      sumSq += lap * lap;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

export async function sharpness(file: string, signal?: AbortSignal): Promise<number> {
  return laplacianVariance(await firstFrameGray(file, signal));
}

/**
 * A seam's SSIM (as seamSsim) and the sharpness of the next clip's first frame (as sharpness), from
 * one decode of that frame: one ffmpeg start instead of two for every chained shot.
 */
export async function seamAndSharpness(
  lastFrame: string,
  nextClip: string,
  signal?: AbortSignal,
): Promise<{ ssim: number; sharpness: number }> {
  const [m] = await measureFirstFrames([{ clip: nextClip, lastFrame }], signal ? { signal } : {});
  return { ssim: m!.ssim!, sharpness: m!.sharpness };
}

export interface FirstFrameMeasure {
  clip: string;
  /** The previous shot's last frame: the seam's SSIM against the clip's first frame is measured too. */
  lastFrame?: string;
}

export interface FirstFrameFigures {
  sharpness: number;
  /** Only where a last frame was given. */
  ssim?: number;
}

/**
 * The figures of several first frames from one ffmpeg run: each clip's first frame is decoded once
 * for its sharpness and, given the shot before's last frame, the seam's SSIM — the same filters as
 * measuring each alone, so the same figures, for one process start instead of one per clip (a start
 * costs more CPU than the decode of one frame). `background` runs it at a lower priority than this
 * process: the figures are a report, never on a shot's critical path.
 */
export async function measureFirstFrames(
  items: FirstFrameMeasure[],
  o: { signal?: AbortSignal; background?: boolean } = {},
): Promise<FirstFrameFigures[]> {
  const { signal } = o;
  if (!items.length) return [];
  const sizes = await Promise.all(
    items.map(async (it) => ({
      clip: await frameSize(it.clip, signal),
      last: it.lastFrame ? await frameSize(it.lastFrame, signal) : undefined,
      lastIsPng: it.lastFrame ? !!(await pngSize(it.lastFrame)) : false,
    })),
  );
  return scratch(async (dir) => {
    const inputs: string[] = [];
    const graph: string[] = [];
    const outputs: string[] = [];
    let count = 0;
    const input = (file: string, opts: string[] = []) => (inputs.push(...opts, '-i', file), count++);
    items.forEach((it, i) => {
      const { last, lastIsPng } = sizes[i]!;
      // A PNG (its signature read above) is opened as one: no format probing for it.
      const l = it.lastFrame && last ? input(it.lastFrame, lastIsPng ? ['-f', 'png_pipe'] : []) : undefined;
      const m = firstFrameMeasure(dir, i, input(it.clip, CLIP_INPUT), sizes[i]!.clip, l, last);
      graph.push(...m.graph);
      outputs.push(...m.outputs);
    });
    await runFfmpeg(['-loglevel', 'error', ...inputs, '-filter_complex', graph.join(';'), ...outputs], {
      mediaSec: items.length,
      ...(signal ? { signal } : {}),
      ...(o.background ? { background: true } : {}),
    });
    return Promise.all(items.map((it, i) => firstFrameFigures(dir, i, it, sizes[i]!.clip)));
  });
}

/**
 * A clip's decoder on one thread: only its first frame is wanted, and thread start-up would cost
 * more than that decode (the same pixels either way). A PNG decodes faster threaded.
 */
const CLIP_INPUT = ['-threads', '1'];

const statsFile = (dir: string, i: number) => path.join(dir, `ssim-${i}.log`);
const grayFile = (dir: string, i: number) => path.join(dir, `frame-${i}.gray`);

/**
 * The filters and outputs measuring item `i`: the first frame of input `c` (a clip of `clip`'s
 * size) in grey for its sharpness and, given input `l` (a last frame of `last`'s size), the seam's
 * SSIM against it. Written to `dir`, read back by `firstFrameFigures`.
 */
function firstFrameMeasure(dir: string, i: number, c: number, clip: Size, l?: number, last?: Size) {
  const graph: string[] = [];
  const outputs: string[] = [];
  const grey = `scale=${clip.width}:${clip.height},format=gray[g${i}]`;
  if (l !== undefined && last) {
    graph.push(
      `[${c}:v:0]trim=end_frame=1,split[s${i}][k${i}]`,
      `[${l}:v:0]format=gray[a${i}]`,
      `[s${i}]scale=${last.width}:${last.height},format=gray[b${i}]`,
      `[a${i}][b${i}]ssim=stats_file=${statsFile(dir, i).replace(/[\\':]/g, '\\$&')}[o${i}]`,
      `[k${i}]${grey}`,
    );
    outputs.push('-map', `[o${i}]`, '-frames:v', '1', '-f', 'null', '-');
  } else graph.push(`[${c}:v:0]trim=end_frame=1,${grey}`);
  outputs.push('-map', `[g${i}]`, '-frames:v', '1', '-f', 'rawvideo', grayFile(dir, i));
  return { graph, outputs };
}

async function firstFrameFigures(
  dir: string,
  i: number,
  it: FirstFrameMeasure,
  clip: Size,
): Promise<FirstFrameFigures> {
  const data = new Uint8Array(await readFile(grayFile(dir, i)));
  if (data.length !== clip.width * clip.height)
    throw new Error(`could not decode the first frame of ${path.basename(it.clip)}`);
  const figures: FirstFrameFigures = { sharpness: laplacianVariance({ ...clip, data }) };
  if (it.lastFrame) {
    const m = /All:([0-9.]+)/.exec(await readFile(statsFile(dir, i), 'utf8'));
    if (!m) throw new Error(`could not measure the seam into ${path.basename(it.clip)}`);
    figures.ssim = Number(m[1]);
  }
  return figures;
}

let preparedUsed = 0;

/** How many first frames were measured by a prepared ffmpeg in this process (tests read it). */
export function preparedFirstFrames(): number {
  return preparedUsed;
}

/** A clip's first-frame figures whose ffmpeg may already be running while the clip is on its way. */
export type PreparedFirstFrame = Prepared<FirstFrameFigures>;

/**
 * Starts measuring a clip's first frame (and its seam from `lastFrame`) before the clip is here
 * (docs/architecture.md §5.2): ffmpeg starts now, is given its filters once the clip's size is
 * known and reads the clip from its stdin, so a figure the run's end waits on costs no process
 * start after the clip lands. Same filters as `measureFirstFrames`, so the same figures. Where
 * prepared seams are off (`preparedSeams`), or the clip cannot be read from a pipe, it measures as
 * usual.
 */
export function prepareFirstFrame(
  lastFrame: string | undefined,
  o: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): PreparedFirstFrame {
  const item = (clip: string): FirstFrameMeasure => ({ clip, ...(lastFrame ? { lastFrame } : {}) });
  const run = o.signal ? { signal: o.signal } : {};
  const usual: PreparedFirstFrame = {
    from: async (clip) => (await measureFirstFrames([item(clip)], run))[0]!,
    cancel: () => undefined,
  };
  // A last frame that is not a PNG is measured as usual (its size comes from a probe).
  const last = lastFrame ? pngSizeSync(lastFrame) : undefined;
  if (!preparedSeams(o.env ?? process.env) || (lastFrame && !last)) return usual;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-continuity-'));
  // Input 0 the last frame (a PNG, opened once the filters come), then the clip on the pipe.
  const [c, l] = last ? [1, 0] : [0, undefined];
  let sized!: (graph: string) => void;
  let size: Size | undefined;
  // The outputs do not depend on the clip's size; the filters are given once it is known.
  const outputs = firstFrameMeasure(dir, 0, c, { width: 0, height: 0 }, l, last).outputs;
  return prepared({
    usual: usual.from,
    start: (clipIn) =>
      runFfmpeg(
        [
          ...['-loglevel', 'error', '-filter_complex_script', 'pipe:3'],
          ...(lastFrame && last ? ['-f', 'png_pipe', '-i', lastFrame] : []),
          ...[...CLIP_INPUT, '-f', 'mp4', '-i', 'pipe:0', ...outputs],
        ],
        {
          ...run,
          stdinFrom: clipIn,
          filterScript: new Promise((resolve, reject) => ((sized = resolve), clipIn.catch(reject))),
          mediaSec: 1,
        },
      ),
    // A pipe gives the demuxer no way back: the clip's index must come before its media.
    ready: async (clip) => {
      size = await frameSize(clip, o.signal).catch(() => undefined);
      if (!size || !(await indexBeforeMedia(clip))) return false;
      sized(firstFrameMeasure(dir, 0, c, size, l, last).graph.join(';'));
      return true;
    },
    result: async (clip) => {
      const figures = await firstFrameFigures(dir, 0, item(clip), size!);
      preparedUsed++;
      return figures;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
    ...run,
  });
}

/**
 * SSIM (luma, 0–1) between an image — a clip's last frame — and the first frame of the next clip,
 * scaled to the image's size so clips of another size still compare.
 */
export async function seamSsim(lastFrame: string, nextClip: string, signal?: AbortSignal): Promise<number> {
  const { width, height } = await frameSize(lastFrame, signal);
  return scratch(async (dir) => {
    const stats = path.join(dir, 'ssim.log');
    await runFfmpeg(
      [
        ...['-loglevel', 'error', '-i', lastFrame, '-i', nextClip],
        '-filter_complex',
        `[0:v]format=gray[a];[1:v]trim=end_frame=1,scale=${width}:${height},format=gray[b];` +
          `[a][b]ssim=stats_file=${stats.replace(/[\\':]/g, '\\$&')}`,
        ...['-frames:v', '1', '-f', 'null', '-'],
      ],
      { mediaSec: 1, ...(signal ? { signal } : {}) },
    );
    const text = await readFile(stats, 'utf8');
    const m = /All:([0-9.]+)/.exec(text);
    if (!m)
      throw new Error(
        `ffmpeg measured no SSIM between ${path.basename(lastFrame)} and ${path.basename(nextClip)}`,
      );
    return Number(m[1]);
  });
}
