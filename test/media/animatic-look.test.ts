// What makes the animatic read as a film, checked on decoded pixels: a slate, a running timecode and
// the prompt as a caption mid-shot, none of them on the last frame (it opens the next shot); a wired
// last frame eased in and landed on; a reference video's motion under the burn-ins; reference images
// as a strip. Regions are fractions of the 864×496 frame (16:9 480p) where each burn-in sits.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAnimatic, ZOOM_END } from '../../electron/media/animatic';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { filterArg } from '../../electron/media/fonts';
import type { ShotRequest } from '../../electron/providers/types';
import {
  framemd5,
  lumaRange,
  makeClip,
  makeImage,
  ssimBetween,
  tempDir,
  type FrameComparison,
} from '../helpers/media';

const W = 864;
const H = 496;
type Region = { x: number; y: number; w: number; h: number };
const region = (x0: number, y0: number, x1: number, y1: number): Region => ({
  x: Math.round(W * x0),
  y: Math.round(H * y0),
  w: Math.round(W * (x1 - x0)),
  h: Math.round(H * (y1 - y0)),
});
const SLATE = region(0.05, 0.06, 0.25, 0.2);
const TIMECODE = region(0.84, 0.06, 0.97, 0.1);
const BELOW_TIMECODE = region(0.84, 0.3, 0.97, 0.34);
const CAPTION = region(0.2, 0.89, 0.8, 0.97);
const STRIP = region(0.86, 0.7, 0.96, 0.8);
const CENTRE = region(0.3, 0.3, 0.7, 0.6);

let dir: string;
let harbour: string;
let landing: string;
let reference: string;
let motion: string;

function shot(over: Partial<ShotRequest> = {}): ShotRequest {
  return {
    nodeId: 'shot-1',
    key: 'k',
    prompt: 'The ferry leaves the harbour at dawn, gulls following the wake',
    referenceImages: [],
    referenceVideos: [],
    referenceAudios: [],
    model: 'seedance-2.0',
    duration: 4,
    ratio: '16:9',
    resolution: '480p',
    generateAudio: false,
    seed: 3,
    watermark: false,
    slate: { scene: 'Scene 2 — Harbour', shot: 4, label: 'The ferry leaves' },
    ...over,
  };
}

let n = 0;
const render = (req: ShotRequest) => renderAnimatic(req, path.join(dir, `out-${++n}`));
/** Inside the last frame of a 4 s shot (frame 95). */
const LAST = 4 - 0.5 / 24;

/** Frames of a clip at the given times (24 fps, burn-ins drawn at whole frames) as PNGs, in one decode. */
async function framesOf(file: string, times: number[]): Promise<string[]> {
  const out = await tempDir('shotgraph-frames-');
  scratch.push(out);
  const numbers = times.map((t) => Math.floor(t * 24 + 1e-6));
  const select = [...new Set(numbers)].map((k) => `eq(n\\,${k})`).join('+');
  await runFfmpeg([
    ...['-loglevel', 'error', '-i', file, '-map', '0:v:0', '-vf', `select=${select}`],
    ...['-fps_mode', 'passthrough', '-c:v', 'png', '-f', 'image2', path.join(out, '%03d.png')],
  ]);
  const order = [...new Set(numbers)].sort((a, b) => a - b);
  return numbers.map((k) => path.join(out, `${String(order.indexOf(k) + 1).padStart(3, '0')}.png`));
}

/** SSIM and PSNR of one region of two PNG frames. */
async function compareRegion(a: string, b: string, r: Region): Promise<FrameComparison> {
  const out = await tempDir('shotgraph-region-');
  try {
    const crop = `crop=${r.w}:${r.h}:${r.x}:${r.y},format=yuv420p`;
    const [ssimLog, psnrLog] = [path.join(out, 'ssim.txt'), path.join(out, 'psnr.txt')];
    await runFfmpeg([
      ...['-loglevel', 'error', '-i', a, '-i', b, '-filter_complex'],
      `[0:v]${crop},split[a1][a2];[1:v]${crop},split[b1][b2];[a1][b1]ssim=stats_file=${filterArg(ssimLog)};[a2][b2]psnr=stats_file=${filterArg(psnrLog)}`,
      ...['-f', 'null', '-'],
    ]);
    const ssim = Number(/All:([\d.]+)/.exec(await readFile(ssimLog, 'utf8'))![1]);
    const psnr = /psnr_avg:([\d.]+|inf)/.exec(await readFile(psnrLog, 'utf8'))![1]!;
    return { ssim, psnr: psnr === 'inf' ? Infinity : Number(psnr) };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const scratch: string[] = [];

beforeAll(async () => {
  dir = await tempDir('shotgraph-animatic-look-');
  harbour = await makeImage(path.join(dir, 'harbour.png'), 960, 540, 'mandelbrot');
  landing = await makeImage(path.join(dir, 'landing.png'), 1024, 576, 'testsrc2');
  reference = await makeImage(path.join(dir, 'reference.png'), 600, 800, 'testsrc2');
  // The mandelbrot source zooms on every frame: motion everywhere in the picture.
  motion = await makeClip(path.join(dir, 'motion.mp4'), {
    width: 640,
    height: 360,
    seconds: 2,
    audio: false,
    pattern: 'mandelbrot',
  });
});

afterAll(async () => {
  for (const d of [dir, ...scratch]) await rm(d, { recursive: true, force: true });
});

describe('the slate', () => {
  it('names scene, shot and label mid-shot, and is gone from the first and last frames', async () => {
    const a = await render(shot({ firstFrame: { path: harbour } }));
    const b = await render(
      shot({ firstFrame: { path: harbour }, slate: { scene: 'Scene 9', shot: 12, label: 'Gulls' } }),
    );
    const [a0, a2, aEnd] = await framesOf(a.video, [0, 2, LAST]);
    const [b0, b2, bEnd] = await framesOf(b.video, [0, 2, LAST]);
    // Only the slate differs between the two renders …
    expect((await compareRegion(a2!, b2!, SLATE)).psnr).toBeLessThan(25);
    expect((await compareRegion(a2!, b2!, CENTRE)).psnr).toBeGreaterThan(40);
    // … and neither the first nor the last frame shows it (only encoder noise remains).
    expect((await compareRegion(a0!, b0!, SLATE)).psnr).toBeGreaterThan(40);
    expect((await compareRegion(aEnd!, bEnd!, SLATE)).psnr).toBeGreaterThan(40);
  });

  it('runs a timecode: its digits change from frame to frame, the picture beside them hardly', async () => {
    const clip = await render(shot());
    const [t1, t2, end] = await framesOf(clip.video, [1.5, 2.25, LAST]); // 00:00:01:12, 00:00:02:06
    const tc = await compareRegion(t1!, t2!, TIMECODE);
    const beside = await compareRegion(t1!, t2!, BELOW_TIMECODE);
    expect(tc.psnr).toBeLessThan(beside.psnr - 6);
    expect((await lumaRange(t1!, 0, TIMECODE)).max).toBeGreaterThan(200); // white digits
    expect((await lumaRange(end!, 0, TIMECODE)).max).toBeLessThan(160);
  });
});

describe('a shot with no picture of its own', () => {
  it('opens and ends on a clean plate: no caption, slate or title on either end', async () => {
    const clip = await render(shot());
    const [first, mid, end] = await framesOf(clip.video, [0, 2, LAST]);
    // Mid-shot the caption is white text on its band; at either end the band area is the bare card.
    expect((await lumaRange(mid!, 0, CAPTION)).max).toBeGreaterThan(200);
    for (const [t, frame] of [
      [0, first!],
      [LAST, end!],
    ] as const) {
      const bare = await lumaRange(frame, 0, CAPTION);
      expect(bare.max, `caption area at ${t} s`).toBeLessThan(160);
      expect(bare.max - bare.min, `caption area at ${t} s`).toBeLessThan(60);
    }
    // The same card with other burn-ins: identical ends, so nothing of them reaches the next shot.
    const other = await render(shot({ nodeId: 'shot-9', slate: { label: 'Another slate entirely' } }));
    const [otherMid, otherEnd] = await framesOf(other.video, [2, LAST]);
    expect((await compareRegion(end!, otherEnd!, SLATE)).psnr).toBeGreaterThan(40);
    expect((await compareRegion(mid!, otherMid!, SLATE)).psnr).toBeLessThan(25);
    expect(await ssimBetween(clip.lastFrame, 0, end!, 0)).toBeGreaterThan(0.99);
  });
});

describe('the camera', () => {
  it('pushes in slowly on a still: mid-shot and at the end, frame 0 zoomed about its centre', async () => {
    const clip = await render(shot({ firstFrame: { path: harbour }, slate: undefined }));
    const [first, mid, end] = await framesOf(clip.video, [0, 2, LAST]);
    // Frame 0 scaled by the zoom the push has reached, centre-cropped back to the frame.
    const zoomed = async (z: number, name: string) => {
      const out = path.join(dir, name);
      await runFfmpeg([
        ...['-loglevel', 'error', '-y', '-i', first!, '-vf'],
        `scale=${2 * Math.round((W * z) / 2)}:${2 * Math.round((H * z) / 2)}:flags=bicubic,crop=${W}:${H}`,
        out,
      ]);
      return out;
    };
    const halfway = 1 + ((ZOOM_END - 1) * 48) / 95; // frame 48 of 96
    const atMid = await zoomed(halfway, 'zoom-mid.png');
    const atEnd = await zoomed(ZOOM_END, 'zoom-end.png');
    expect((await compareRegion(end!, atEnd, CENTRE)).ssim).toBeGreaterThan(0.95);
    expect((await compareRegion(mid!, atMid, CENTRE)).ssim).toBeGreaterThan(0.95);
    // It moved: the last frame is not frame 0, nor mid-shot's zoom.
    expect((await compareRegion(end!, first!, CENTRE)).ssim).toBeLessThan(0.9);
    expect((await compareRegion(end!, atMid, CENTRE)).ssim).toBeLessThan(
      (await compareRegion(end!, atEnd, CENTRE)).ssim,
    );
  });
});

describe('a wired last frame', () => {
  it('is eased in over the end of the shot and is the frame the shot ends on', async () => {
    const clip = await render(shot({ firstFrame: { path: harbour }, lastFrame: { path: landing } }));
    const times = [0, 2.4, 2.5, 3.0, 3.5, 3.8, LAST];
    const [first, before, e0, e1, e2, e3, end] = await framesOf(clip.video, times);
    // Starts on the first frame and lands on the last-frame image (cover-cropped), in the clip and
    // in its last-frame PNG; before the ease the landing is not on screen.
    expect(await ssimBetween(first!, 0, harbour, 0)).toBeGreaterThanOrEqual(0.95);
    expect(await ssimBetween(end!, 0, landing, 0)).toBeGreaterThanOrEqual(0.95);
    expect(await ssimBetween(clip.lastFrame, 0, landing, 0)).toBeGreaterThanOrEqual(0.95);
    expect(await ssimBetween(before!, 0, landing, 0)).toBeLessThan(0.7);
    // The landing grows in steadily over the last 1.5 s (centre, clear of burn-ins) …
    const likeness = [];
    for (const frame of [e0!, e1!, e2!, e3!]) likeness.push((await compareRegion(frame, end!, CENTRE)).psnr);
    for (let i = 1; i < likeness.length; i++) expect(likeness[i]!).toBeGreaterThan(likeness[i - 1]!);
    // … slowly at first: the first third of the ease changes the picture less than the middle third.
    const early = await compareRegion(e0!, e1!, CENTRE);
    const middle = await compareRegion(e1!, e2!, CENTRE);
    expect(early.psnr).toBeGreaterThan(middle.psnr);
  });
});

describe('reference media', () => {
  it("a reference video lends its motion: the plate is the video's frames, looped to the shot", async () => {
    const clip = await render(shot({ referenceVideos: [{ path: motion }] }));
    const [first, early, mid, end] = await framesOf(clip.video, [0, 0.25, 2, LAST]);
    // Burn-in-free ends: frame 0 is the video's frame 0, the last frame (3.96 s) its frame at 1.96 s.
    expect(await ssimBetween(first!, 0, motion, 0)).toBeGreaterThanOrEqual(0.9);
    expect(await ssimBetween(early!, 0, motion, 0.25)).toBeGreaterThanOrEqual(0.9);
    expect(await ssimBetween(end!, 0, motion, LAST - 2)).toBeGreaterThanOrEqual(0.9);
    expect(await ssimBetween(first!, 0, end!, 0)).toBeLessThan(0.9); // it moved
    // Mid-shot, the caption is drawn over the moving picture.
    expect((await lumaRange(mid!, 0, CAPTION)).max).toBeGreaterThan(200);
  });

  it('reference images appear as a strip mid-shot, never on the last frame', async () => {
    const base = shot({ firstFrame: { path: harbour } });
    const without = await framesOf((await render(base)).video, [2, LAST]);
    const withRefs = await framesOf(
      (await render({ ...base, referenceImages: [{ path: reference }] })).video,
      [2, LAST],
    );
    expect((await compareRegion(withRefs[0]!, without[0]!, STRIP)).psnr).toBeLessThan(25);
    expect((await compareRegion(withRefs[0]!, without[0]!, CENTRE)).psnr).toBeGreaterThan(40);
    expect((await compareRegion(withRefs[1]!, without[1]!, STRIP)).psnr).toBeGreaterThan(40);
  });

  it('shows up to nine references in one strip without failing', async () => {
    const refs = Array.from({ length: 9 }, () => ({ path: reference }));
    const clip = await render(shot({ referenceImages: refs, ratio: '9:16' }));
    const [end] = await framesOf(clip.video, [LAST]);
    expect(await ssimBetween(clip.lastFrame, 0, end!, 0)).toBeGreaterThan(0.99);
  });
});

describe('determinism', () => {
  const cases: [string, () => Partial<ShotRequest>][] = [
    ['clean plate, slate, caption and an eased last frame', () => ({ lastFrame: { path: landing } })],
    [
      'reference video under a strip of references',
      () => ({ referenceVideos: [{ path: motion }], referenceImages: [{ path: reference }] }),
    ],
  ];
  it.each(cases)('%s: two renders decode to identical frames', async (_name, over) => {
    const req = shot({ generateAudio: true, ...over() });
    const a = await framemd5((await render(req)).video);
    const b = await framemd5((await render(req)).video);
    expect(a).toHaveLength(96);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(90); // every frame moves
  });
});
