// An ffmpeg started before its input exists (`stdinFrom`): it waits on its stdin, is given the file
// once it is written, and decodes exactly what it would have decoded from the file.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { makeClip, tempDir } from '../helpers/media';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-stdin-later-');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The last decoded frame of `input` as raw BGR pixels in a BMP (every frame overwrites it). */
const lastFrameArgs = (input: string[], bmp: string) => [
  ...['-loglevel', 'error', ...input, '-map', '0:v:0', '-an', '-fps_mode', 'passthrough'],
  ...['-update', '1', '-c:v', 'bmp', '-f', 'image2', bmp],
];

function later<T>(): { promise: Promise<T>; give: (v: T) => void; fail: (e: Error) => void } {
  let give!: (v: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((give = res), (fail = rej)));
  return { promise, give, fail };
}

describe('runFfmpeg with stdinFrom', () => {
  it('started before its clip exists, it decodes the same last frame as from the file', async () => {
    const clip = path.join(dir, 'later.mp4');
    const input = later<string>();
    const fed = path.join(dir, 'fed.bmp');
    // ffmpeg is running, and waiting, before the clip is even made.
    const waiting = runFfmpeg(lastFrameArgs(['-f', 'mp4', '-i', 'pipe:0'], fed), {
      stdinFrom: input.promise,
    });
    await makeClip(clip, { width: 320, height: 240, seconds: 3, encoder: houseEncoderArgs() });
    input.give(clip);
    await waiting;

    const direct = path.join(dir, 'direct.bmp');
    await runFfmpeg(lastFrameArgs(['-i', clip], direct));
    const [a, b] = [await readFile(fed), await readFile(direct)];
    expect(a.length).toBe(54 + 320 * 240 * 3); // a 24-bit BMP of the clip's size
    expect(a.equals(b)).toBe(true);
    // The test pattern moves: the first frame differs, so equal pixels mean the same frame.
    const first = path.join(dir, 'first.bmp');
    await runFfmpeg([...lastFrameArgs(['-i', clip], first).slice(0, -1), '-frames:v', '1', first]);
    expect((await readFile(first)).equals(a)).toBe(false);
  });

  it('runs its deadline from the moment it is given its input, not from its start', async () => {
    const clip = await makeClip(path.join(dir, 'deadline.mp4'), {
      width: 160,
      height: 120,
      seconds: 1,
      encoder: houseEncoderArgs(),
    });
    const input = later<string>();
    const out = path.join(dir, 'deadline.bmp');
    const waiting = runFfmpeg(lastFrameArgs(['-f', 'mp4', '-i', 'pipe:0'], out), {
      stdinFrom: input.promise,
      timeoutMs: 5_000,
    });
    // Longer than the deadline: a deadline counted from the start would have stopped it.
    await new Promise((r) => setTimeout(r, 6_000));
    input.give(clip);
    await expect(waiting).resolves.toBeUndefined();
    expect((await readFile(out)).length).toBe(54 + 160 * 120 * 3);
  }, 30_000);

  it('stops when its input is withheld, rejecting with the reason', async () => {
    const input = later<string>();
    const waiting = runFfmpeg(lastFrameArgs(['-f', 'mp4', '-i', 'pipe:0'], path.join(dir, 'never.bmp')), {
      stdinFrom: input.promise,
    });
    input.fail(new Error('the clip never came'));
    await expect(waiting).rejects.toThrow('the clip never came');
  });

  it('rejects naming the file when the file it is given cannot be read', async () => {
    const waiting = runFfmpeg(lastFrameArgs(['-f', 'mp4', '-i', 'pipe:0'], path.join(dir, 'gone.bmp')), {
      stdinFrom: Promise.resolve(path.join(dir, 'no-such-clip.mp4')),
    });
    await expect(waiting).rejects.toThrow(/no-such-clip\.mp4/);
  });
});

describe('runFfmpeg with a stdin given as it is made', () => {
  /** Stereo floats, a sawtooth: `frames` of them, from `from` on. */
  const pcm = (frames: number, from: number) => {
    const f = new Float32Array(frames * 2);
    for (let i = 0; i < f.length; i++) f[i] = ((from + i) % 200) / 400;
    return Buffer.from(f.buffer);
  };
  const toWav = (out: string) => [
    ...['-loglevel', 'error', '-f', 'f32le', '-ar', '48000', '-ac', '2', '-i', 'pipe:0'],
    ...['-c:a', 'pcm_f32le', '-f', 'wav', out],
  ];

  it('takes the chunks as they come, and writes them all', async () => {
    async function* slowly() {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 30));
        yield pcm(24_000, i * 48_000);
      }
    }
    const out = path.join(dir, 'slow.wav');
    await runFfmpeg(toWav(out), { stdin: slowly() });
    const wav = await readFile(out);
    const body = wav.subarray(wav.indexOf('data') + 8);
    expect(body.length).toBe(4 * 24_000 * 8);
    expect(body.subarray(0, 8 * 24_000).equals(pcm(24_000, 0))).toBe(true);
  });

  it('a source that fails stops ffmpeg, and the call fails with its reason', async () => {
    async function* failing() {
      yield pcm(24_000, 0);
      await new Promise((r) => setTimeout(r, 30));
      throw new Error('the lanes could not be spliced');
    }
    const out = path.join(dir, 'failing.wav');
    await expect(runFfmpeg(toWav(out), { stdin: failing() })).rejects.toThrow(/could not be spliced/);
  });
});
