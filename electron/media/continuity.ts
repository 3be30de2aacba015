// The two measures of the continuity report (docs/architecture.md §7): SSIM between a clip's last
// frame and the next clip's first frame (ffmpeg's ssim filter, on luma), and the sharpness of a
// frame as the variance of its Laplacian (computed here on raw grey pixels). Both read local files
// only, one frame each, under the usual ffmpeg deadlines.
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runFfmpeg } from './ffmpeg';
import { probeMedia } from './probe';

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
async function pngSize(file: string): Promise<{ width: number; height: number } | undefined> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const head = Buffer.alloc(24);
    const { bytesRead } = await fh.read(head, 0, 24, 0);
    if (bytesRead < 24 || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
    if (head.toString('latin1', 12, 16) !== 'IHDR') return undefined;
    const [width, height] = [head.readUInt32BE(16), head.readUInt32BE(20)];
    return width > 0 && height > 0 ? { width, height } : undefined;
  } finally {
    await fh.close();
  }
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
    // A clip's decoder on one thread: only its first frame is wanted, and thread start-up would cost
    // more than that decode (the same pixels either way). A PNG decodes faster threaded.
    const input = (file: string, opts: string[] = []) => (inputs.push(...opts, '-i', file), count++);
    const clipInput = (file: string) => input(file, ['-threads', '1']);
    const stats = (i: number) => path.join(dir, `ssim-${i}.log`);
    const gray = (i: number) => path.join(dir, `frame-${i}.gray`);
    items.forEach((it, i) => {
      const { clip, last, lastIsPng } = sizes[i]!;
      const grey = `scale=${clip.width}:${clip.height},format=gray[g${i}]`;
      if (it.lastFrame && last) {
        // A PNG (its signature read above) is opened as one: no format probing for it.
        const l = input(it.lastFrame, lastIsPng ? ['-f', 'png_pipe'] : []);
        const c = clipInput(it.clip);
        graph.push(
          `[${c}:v:0]trim=end_frame=1,split[s${i}][k${i}]`,
          `[${l}:v:0]format=gray[a${i}]`,
          `[s${i}]scale=${last.width}:${last.height},format=gray[b${i}]`,
          `[a${i}][b${i}]ssim=stats_file=${stats(i).replace(/[\\':]/g, '\\$&')}[o${i}]`,
          `[k${i}]${grey}`,
        );
        outputs.push('-map', `[o${i}]`, '-frames:v', '1', '-f', 'null', '-');
      } else {
        const c = clipInput(it.clip);
        graph.push(`[${c}:v:0]trim=end_frame=1,${grey}`);
      }
      outputs.push('-map', `[g${i}]`, '-frames:v', '1', '-f', 'rawvideo', gray(i));
    });
    await runFfmpeg(['-loglevel', 'error', ...inputs, '-filter_complex', graph.join(';'), ...outputs], {
      mediaSec: items.length,
      ...(signal ? { signal } : {}),
      ...(o.background ? { background: true } : {}),
    });
    return Promise.all(
      items.map(async (it, i) => {
        const { clip } = sizes[i]!;
        const data = new Uint8Array(await readFile(gray(i)));
        if (data.length !== clip.width * clip.height)
          throw new Error(`could not decode the first frame of ${path.basename(it.clip)}`);
        const figures: FirstFrameFigures = { sharpness: laplacianVariance({ ...clip, data }) };
        if (it.lastFrame) {
          const m = /All:([0-9.]+)/.exec(await readFile(stats(i), 'utf8'));
          if (!m) throw new Error(`could not measure the seam into ${path.basename(it.clip)}`);
          figures.ssim = Number(m[1]);
        }
        return figures;
      }),
    );
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
