// The animatic must look like a Seedance shot to everything downstream: exact pixel size and frame
// count, frame 0 equal to the first-frame image, clean first/last frames, one AAC track, determinism.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAnimatic } from '../../electron/media/animatic';
import type { ShotRequest } from '../../electron/providers/types';
import type { Ratio, Resolution } from '../../shared/seedance/limits';
import {
  compareFrames,
  framemd5,
  makeImage,
  makeTone,
  meanVolumeDb,
  ssimBetween,
  streams,
  tempDir,
} from '../helpers/media';

let dir: string;
let landscape: string; // 4:3 picture, so a 16:9 shot has to crop it
let portrait: string;
let tone: string;

function shot(over: Partial<ShotRequest> = {}): ShotRequest {
  return {
    nodeId: 'shot-1',
    key: 'k',
    prompt: 'A lighthouse keeper climbs the spiral stairs at dusk, lantern swinging',
    referenceImages: [],
    referenceVideos: [],
    referenceAudios: [],
    model: 'seedance-2.0',
    duration: 4,
    ratio: '16:9',
    resolution: '480p',
    generateAudio: false,
    seed: 7,
    watermark: false,
    ...over,
  };
}

let n = 0;
const outDir = () => path.join(dir, `out-${++n}`);

beforeAll(async () => {
  dir = await tempDir('shotgraph-animatic-');
  landscape = await makeImage(path.join(dir, 'harbour.png'), 960, 720, 'testsrc2');
  portrait = await makeImage(path.join(dir, 'portrait.png'), 600, 800, 'mandelbrot');
  tone = await makeTone(path.join(dir, 'theme.wav'), 2.5);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pixel size (docs/gateways.md §3.3)', () => {
  const cases: [string, Partial<ShotRequest>, [number, number]][] = [
    ['16:9 480p clean card', {}, [864, 496]],
    ['9:16 480p', { ratio: '9:16' }, [496, 864]],
    ['21:9 480p', { ratio: '21:9' }, [992, 432]],
    ['1:1 480p', { ratio: '1:1' }, [640, 640]],
    ['4:3 720p', { ratio: '4:3', resolution: '720p' as Resolution }, [1112, 834]],
    [
      'adaptive follows a 4:3 first frame',
      { ratio: 'adaptive' as Ratio, firstFrame: { path: '' } },
      [752, 560],
    ],
    [
      'adaptive follows a 3:4 reference image',
      { ratio: 'adaptive' as Ratio, referenceImages: [{ path: '' }] },
      [560, 752],
    ],
    ['adaptive without any image is 16:9', { ratio: 'adaptive' as Ratio }, [864, 496]],
  ];
  it.each(cases)('%s', async (_name, over, [w, h]) => {
    const req = shot({
      ...over,
      ...(over.firstFrame ? { firstFrame: { path: landscape } } : {}),
      ...(over.referenceImages ? { referenceImages: [{ path: portrait }] } : {}),
    });
    const clip = await renderAnimatic(req, outDir());
    const [video] = (await streams(clip.video)).filter((s) => s.type === 'video');
    expect([video!.width, video!.height]).toEqual([w, h]);
    expect(video!.sar).toBe('1:1');
  });
});

describe('timing', () => {
  it('has exactly duration × 24 frames at 24 fps, audio of the same length', async () => {
    const clip = await renderAnimatic(shot({ duration: 6, generateAudio: true }), outDir());
    expect(clip.durationSec).toBe(6);
    const all = await streams(clip.video);
    const v = all.find((s) => s.type === 'video')!;
    const a = all.find((s) => s.type === 'audio')!;
    expect(v.frames).toBe(144);
    expect(v.fps).toBe('24/1');
    expect(v.durationSec).toBeCloseTo(6, 3);
    expect(a.durationSec).toBeCloseTo(6, 2);
  });

  it("'auto' renders the assumed 5 s", async () => {
    const clip = await renderAnimatic(shot({ duration: 'auto' }), outDir());
    expect(clip.durationSec).toBe(5);
    expect((await streams(clip.video)).find((s) => s.type === 'video')!.frames).toBe(120);
  });

  it('reports progress up to 1', async () => {
    const seen: number[] = [];
    await renderAnimatic(shot(), outDir(), { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
  });
});

describe('pictures', () => {
  it('frame 0 is the first-frame image, cover-cropped to the frame', async () => {
    const clip = await renderAnimatic(shot({ firstFrame: { path: landscape } }), outDir());
    // compareFrames scales the image to cover the frame and centre-crops it, as Seedance does.
    expect(await ssimBetween(clip.video, 0, landscape, 0)).toBeGreaterThanOrEqual(0.95);
    // The camera moves: the last frame is no longer the image.
    expect(await ssimBetween(clip.video, clip.durationSec, landscape, 0)).toBeLessThan(0.95);
  });

  it('draws the caption mid-shot but leaves the first and last frames clean', async () => {
    const base = { firstFrame: { path: landscape }, duration: 4 };
    const withText = await renderAnimatic(
      shot({ ...base, prompt: 'Rain on the harbour; the "ferry" leaves: 100% late' }),
      outDir(),
    );
    const without = await renderAnimatic(shot({ ...base, prompt: '' }), outDir());
    // Mid-shot the caption is a large difference; at the ends only encoder noise remains (x264
    // predicts later frames from earlier ones, so the last frames are not bit-identical).
    const mid = await compareFrames(withText.video, 2, without.video, 2);
    expect(mid.psnr).toBeLessThan(36);
    expect((await compareFrames(withText.video, 0, without.video, 0)).psnr).toBeGreaterThan(40);
    expect((await compareFrames(withText.video, 4, without.video, 4)).psnr).toBeGreaterThan(40);
  });

  it('renders a clean card (or a dimmed reference image) when there is no first frame', async () => {
    const card = await renderAnimatic(shot({ prompt: 'The storm arrives' }), outDir());
    const other = await renderAnimatic(shot({ prompt: 'Morning after' }), outDir());
    // Different prompts give cards of different colours (frame 0 carries no text at all).
    expect((await compareFrames(card.video, 0, other.video, 0)).psnr).toBeLessThan(25);
    const dimmed = await renderAnimatic(shot({ referenceImages: [{ path: landscape }] }), outDir());
    expect(await ssimBetween(dimmed.video, 0, landscape, 0)).toBeGreaterThan(0.3);
    expect(await ssimBetween(dimmed.video, 0, landscape, 0)).toBeLessThan(0.95);
  });

  it('is deterministic: two renders decode to identical frames', async () => {
    const req = shot({ firstFrame: { path: landscape }, generateAudio: true });
    const a = await framemd5((await renderAnimatic(req, outDir())).video);
    const b = await framemd5((await renderAnimatic(req, outDir())).video);
    expect(a).toHaveLength(96);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(90); // the camera moves every frame
  });

  it('copes with quotes, colons, commas and brackets in folder names and prompts', async () => {
    const odd = path.join(dir, "it's: a, [strange] folder; 100%");
    const img = path.join(dir, "first frame: 'a'%d.png");
    await makeImage(img, 640, 480);
    const clip = await renderAnimatic(
      shot({ prompt: "She says: 'don't', then [whispers] %{pts} \\ 50% off", firstFrame: { path: img } }),
      odd,
    );
    expect(await ssimBetween(clip.video, 0, img, 0)).toBeGreaterThanOrEqual(0.95);
    expect(existsSync(clip.lastFrame)).toBe(true);
  });
});

describe('audio', () => {
  const audio = async (file: string) => {
    const a = (await streams(file)).filter((s) => s.type === 'audio');
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    return meanVolumeDb(file);
  };

  it('is digital silence without generateAudio', async () => {
    expect(await audio((await renderAnimatic(shot(), outDir())).video)).toBe(-Infinity);
  });

  it('is a quiet bed (about −30 dBFS) with generateAudio', async () => {
    const db = await audio((await renderAnimatic(shot({ generateAudio: true }), outDir())).video);
    expect(db).toBeGreaterThan(-36);
    expect(db).toBeLessThan(-26);
  });

  it('uses the first reference audio, padded to the shot length', async () => {
    const clip = await renderAnimatic(
      shot({ referenceAudios: [{ path: tone }], generateAudio: true }),
      outDir(),
    );
    expect(await audio(clip.video)).toBeGreaterThan(-16); // the tone is about −9 dBFS for 2.5 of 4 s
    const a = (await streams(clip.video)).find((s) => s.type === 'audio')!;
    expect(a.durationSec).toBeCloseTo(4, 2);
  });
});

describe('files and cancellation', () => {
  it('writes the shot and its last frame into the shot folder, nothing else', async () => {
    const out = outDir();
    const clip = await renderAnimatic(shot({ firstFrame: { path: landscape } }), out);
    expect((await readdir(out)).sort()).toEqual(['last-frame.png', 'shot.mp4']);
    expect(await ssimBetween(clip.lastFrame, 0, clip.video, clip.durationSec)).toBeGreaterThan(0.99);
  });

  it('stops when cancelled and leaves no shot behind', async () => {
    const out = outDir();
    await mkdir(out, { recursive: true });
    const abort = new AbortController();
    const render = renderAnimatic(shot({ duration: 15 }), out, {
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(render).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(out)).toEqual([]);
  });
});
