// The film: stream copy when the clips already agree, otherwise each odd clip converted once (and
// only once across runs), always one H.264 and one AAC track, sound in sync at every seam.
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { ClipError, renderFinalCut } from '../../electron/media/final-cut';
import { audioSamples, durationOf, framemd5, makeClip, meanLuma, streams, tempDir } from '../helpers/media';

let dir: string;
let house: (name: string, seconds: number, audio?: boolean | 'silence') => Promise<string>;

beforeAll(async () => {
  dir = await tempDir('shotgraph-final-cut-');
  house = (name, seconds, audio = true) =>
    makeClip(path.join(dir, name), { width: 480, height: 272, seconds, audio, encoder: houseEncoderArgs() });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const byType = async (file: string) => {
  const all = await streams(file);
  return { all, video: all.filter((s) => s.type === 'video'), audio: all.filter((s) => s.type === 'audio') };
};

describe('renderFinalCut', () => {
  it('joins matching clips by stream copy: the pictures are bit-identical to the inputs', async () => {
    const clips = [await house('a.mp4', 3), await house('b.mp4', 2), await house('c.mp4', 3)];
    const out = path.join(dir, 'films', 'copy.mp4');
    const seen: number[] = [];
    const cut = await renderFinalCut(clips, out, { onProgress: (f) => seen.push(f) });
    expect(cut).toMatchObject({ output: out, mode: 'copy' });
    expect(cut.durationSec).toBeCloseTo(8, 1);

    const { all, video, audio } = await byType(out);
    expect(all).toHaveLength(2);
    expect(video[0]).toMatchObject({
      codec: 'h264',
      profile: 'High',
      width: 480,
      height: 272,
      pixFmt: 'yuv420p',
      fps: '24/1',
      frames: 192,
    });
    expect(video[0]!.timeBase).toBe('1/12288');
    expect(audio[0]).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(Math.abs((await durationOf(out)) - 8)).toBeLessThan(0.1);

    const expected = (await Promise.all(clips.map(framemd5))).flat();
    expect(await framemd5(out)).toEqual(expected);
    expect(seen.at(-1)).toBe(1);
    // Atomic write: nothing but the film is left beside it.
    expect(await readdir(path.dirname(out))).toEqual(['copy.mp4']);
  });

  it('keeps the sound in sync across seams (no AAC priming drift)', async () => {
    const silent = await house('silent.mp4', 2, 'silence');
    const tone = await house('tone.mp4', 2);
    const out = path.join(dir, 'sync.mp4');
    const cut = await renderFinalCut([silent, tone, silent, tone, silent, tone], out);
    expect(cut.mode).toBe('copy');
    // Picture and sound both start at 0, and every tone starts exactly on its clip's first frame.
    const { video, audio } = await byType(out);
    expect(video[0]!.startSec).toBe(0);
    expect(audio[0]!.startSec).toBe(0);
    const samples = await audioSamples(out);
    const onsets: number[] = [];
    let on = false;
    for (let i = 0; i < samples.length; i++) {
      const loud = Math.abs(samples[i]!) > 1500;
      if (loud && !on) onsets.push(i / 48000);
      if (loud) on = true;
      // Silence: no loud sample in the next 10 ms.
      else if (on && samples.subarray(i, i + 480).every((s) => Math.abs(s) < 1500)) on = false;
    }
    expect(onsets).toHaveLength(3);
    onsets.forEach((t, k) => expect(Math.abs(t - (2 + 4 * k))).toBeLessThan(0.005));
  });

  it('normalises mismatched clips once: first clip size, letterboxed, silence added, one h264 + one aac', async () => {
    const first = await house('first.mp4', 3);
    // 4:3 at 30 fps with no sound, and mono 44.1 kHz sound at the right size.
    const square = await makeClip(path.join(dir, 'square.mp4'), {
      width: 320,
      height: 240,
      seconds: 2,
      fps: 30,
      audio: false,
    });
    const mono = await makeClip(path.join(dir, 'mono.mp4'), {
      width: 480,
      height: 272,
      seconds: 2,
      encoder: [
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-ac',
        '1',
        '-ar',
        '44100',
      ],
    });
    const workDir = path.join(dir, 'normalised');
    const out = path.join(dir, 'normalised-cut.mp4');
    const cut = await renderFinalCut([first, square, mono], out, { workDir });
    expect(cut.mode).toBe('normalised');

    const { all, video, audio } = await byType(out);
    expect(all).toHaveLength(2);
    expect(video[0]).toMatchObject({
      codec: 'h264',
      width: 480,
      height: 272,
      pixFmt: 'yuv420p',
      fps: '24/1',
      sar: '1:1',
    });
    expect(video[0]!.frames).toBe(7 * 24);
    expect(audio[0]).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(Math.abs((await durationOf(out)) - 7)).toBeLessThan(0.1);
    expect(Math.abs(cut.durationSec - 7)).toBeLessThan(0.1);

    // The 4:3 clip sits between black bars; its picture is intact in the middle.
    expect(await meanLuma(out, 4, { x: 0, y: 0, w: 40, h: 272 })).toBeLessThan(20);
    expect(await meanLuma(out, 4, { x: 200, y: 100, w: 80, h: 80 })).toBeGreaterThan(30);

    // Only the two odd clips were converted; the house clip was used as it is.
    const files = await readdir(workDir);
    expect(files.filter((f) => f.endsWith('.mp4'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // A second run (even into another file) reuses the converted clips without rewriting them.
    const before = await Promise.all(
      files.map(async (f) => [f, (await stat(path.join(workDir, f))).mtimeMs] as const),
    );
    const again = await renderFinalCut([first, square, mono], path.join(dir, 'normalised-again.mp4'), {
      workDir,
    });
    expect(again.mode).toBe('normalised');
    const after = await Promise.all(
      (await readdir(workDir)).map(async (f) => [f, (await stat(path.join(workDir, f))).mtimeMs] as const),
    );
    expect(after.sort()).toEqual(before.sort());
    expect(await framemd5(path.join(dir, 'normalised-again.mp4'))).toEqual(await framemd5(out));
  });

  it('names a missing clip', async () => {
    const ok = await house('present.mp4', 1);
    const missing = path.join(dir, 'shot-7', 'take 2.mp4');
    const err = await renderFinalCut([ok, missing], path.join(dir, 'missing.mp4')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClipError);
    expect((err as ClipError).clip).toBe(missing);
    expect((err as Error).message).toContain(missing);
    await expect(stat(path.join(dir, 'missing.mp4'))).rejects.toThrow();
  });

  it('names an unreadable clip', async () => {
    const ok = await house('present2.mp4', 1);
    const junk = path.join(dir, 'not-a-video.mp4');
    await writeFile(junk, 'this is not an mp4');
    await expect(renderFinalCut([ok, junk], path.join(dir, 'junk.mp4'))).rejects.toThrow(/not-a-video\.mp4/);
  });
});
