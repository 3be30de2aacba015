// The in-process MP4 reader against ffprobe on real files: for every kind it answers, its facts
// equal ffprobe's field for field; every kind it cannot be sure of (another codec, fragments, a cut
// file, a turned picture, odd sound) it leaves to ffprobe, and probeMedia then gives ffprobe's answer.
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { ffmpegPath, runFfmpeg } from '../../electron/media/ffmpeg';
import { renderFinalCut } from '../../electron/media/final-cut';
import { forgetMediaFacts } from '../../electron/media/media-facts';
import { indexBeforeMedia, readMp4Facts } from '../../electron/media/mp4-facts';
import { ffprobeMedia, probeMedia } from '../../electron/media/probe';
import { tempDir } from '../helpers/media';

let dir: string;
const picture = (size = '320x240', rate = '24') => ['-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${rate}`];
const tone = (rate = 48000) => ['-f', 'lavfi', '-i', `sine=f=440:r=${rate}`];
const x264 = (...extra: string[]) => ['-c:v', 'libx264', '-preset', 'veryfast', ...extra];

/** Files the reader must describe exactly as ffprobe does. */
const exact: Record<string, string[]> = {
  'house.mp4': [...picture('864x496'), ...tone(), ...houseEncoderArgs(), '-t', '2'],
  'plain.mp4': [...picture(), ...tone(), ...x264('-pix_fmt', 'yuv420p'), '-c:a', 'aac', '-t', '2'],
  // Long GOP with B-frames: the picture track carries an edit list that starts at its first picture.
  'long-gop.mp4': [...picture(), ...tone(), ...x264('-g', '250', '-bf', '3'), '-c:a', 'aac', '-t', '6'],
  'audio-longer.mp4': [
    ...['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=24:d=2', '-f', 'lavfi', '-i', 'sine=f=440:r=48000:d=3'],
    ...x264('-pix_fmt', 'yuv420p'),
    '-c:a',
    'aac',
  ],
  'no-audio.mp4': [...picture(), ...x264('-pix_fmt', 'yuv420p'), '-t', '1'],
  'ntsc-baseline-mono.mp4': [
    ...picture('320x240', '30000/1001'),
    ...tone(44100),
    ...x264('-profile:v', 'baseline', '-pix_fmt', 'yuv420p'),
    ...['-c:a', 'aac', '-ac', '1', '-t', '1'],
  ],
  'cropped.mp4': [...picture('850x478'), ...x264('-pix_fmt', 'yuv420p'), '-t', '1'],
  'full-range.mp4': [...picture(), ...x264('-pix_fmt', 'yuvj420p'), '-t', '1'],
  'yuv422.mp4': [...picture(), ...x264('-pix_fmt', 'yuv422p'), '-t', '1'],
  'yuv444.mp4': [...picture(), ...x264('-pix_fmt', 'yuv444p'), '-t', '1'],
  'moov-at-end.mp4': [...picture(), ...tone(), ...x264(), '-c:a', 'aac', '-t', '1'],
};

/** Files it must leave to ffprobe. */
const declined: Record<string, string[]> = {
  'fragmented.mp4': [
    ...picture(),
    ...tone(),
    ...x264(),
    ...['-c:a', 'aac', '-t', '1', '-movflags', 'frag_keyframe+empty_moov'],
  ],
  'mpeg4-part2.mp4': [...picture(), '-c:v', 'mpeg4', '-t', '1'],
  'sound-only.m4a': [...tone(), '-c:a', 'aac', '-t', '1'],
  'two-sounds.mp4': [
    ...picture(),
    ...tone(),
    ...tone(),
    '-map',
    '0',
    '-map',
    '1',
    '-map',
    '2',
    ...x264(),
  ].concat(['-c:a', 'aac', '-t', '1']),
  'surround.mp4': [...picture(), ...tone(), ...x264(), '-c:a', 'aac', '-ac', '6', '-t', '1'],
  'low-rate-sound.mp4': [...picture(), ...tone(22050), ...x264(), '-c:a', 'aac', '-t', '1'],
  'wide-pixels.mp4': [...picture(), '-vf', 'setsar=4/3', ...x264(), '-t', '1'],
  'quicktime.mov': [...picture(), ...tone(), ...x264(), '-c:a', 'aac', '-t', '1'],
  'no-edit-list.mp4': [...picture(), ...tone(), ...x264('-bf', '2'), '-c:a', 'aac', '-t', '1'].concat([
    '-use_editlist',
    '0',
  ]),
};

beforeAll(async () => {
  dir = await tempDir('shotgraph-mp4-facts-');
  for (const [name, args] of Object.entries({ ...exact, ...declined })) {
    await runFfmpeg(['-loglevel', 'error', ...args, path.join(dir, name)]);
  }
  // Cut short after its (front) header: every sample table still agrees, the bytes are not there.
  const whole = path.join(dir, 'front-index.mp4');
  await runFfmpeg([
    '-loglevel',
    'error',
    ...picture(),
    ...x264(),
    '-t',
    '3',
    '-movflags',
    '+faststart',
    whole,
  ]);
  const bytes = await readFile(whole);
  await writeFile(path.join(dir, 'cut-short.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  // A turned picture (display matrix).
  execFileSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', path.join(dir, 'plain.mp4')],
    ...['-c', 'copy', '-metadata:s:v', 'rotate=90', path.join(dir, 'turned.mp4')],
  ]);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading MP4 headers in process', () => {
  it.each(Object.keys(exact))('%s: the same facts as ffprobe', async (name) => {
    const file = path.join(dir, name);
    const mine = await readMp4Facts(file);
    expect(mine, 'read in process').toBeDefined();
    expect(mine).toEqual(await ffprobeMedia(file));
  });

  it.each([...Object.keys(declined), 'cut-short.mp4', 'turned.mp4'])(
    '%s: left to ffprobe, whose answer probeMedia gives',
    async (name) => {
      const file = path.join(dir, name);
      expect(await readMp4Facts(file)).toBeUndefined();
      forgetMediaFacts();
      const viaFfprobe = await ffprobeMedia(file).catch((e: Error) => e.message);
      expect(await probeMedia(file).catch((e: Error) => e.message)).toEqual(viaFfprobe);
    },
  );

  it('a film the final cut joined from house clips reads as ffprobe reads it', async () => {
    const film = path.join(dir, 'film.mp4');
    const house = path.join(dir, 'house.mp4');
    await renderFinalCut([house, path.join(dir, 'long-gop.mp4'), house], film, { workDir: dir });
    const mine = await readMp4Facts(film);
    expect(mine).toBeDefined();
    expect(mine).toEqual(await ffprobeMedia(film));
  });

  it('a plain stream-copy join (odd sound edits) is read exactly or left to ffprobe', async () => {
    const list = path.join(dir, 'list.txt');
    await writeFile(list, `file '${path.join(dir, 'house.mp4')}'\n`.repeat(3));
    const film = path.join(dir, 'copied.mp4');
    await runFfmpeg(['-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', film]);
    const mine = await readMp4Facts(film);
    if (mine) expect(mine).toEqual(await ffprobeMedia(film));
  });

  it('tells a file whose index comes before its media (faststart) from one whose index comes last', async () => {
    const plain = path.join(dir, 'plain.mp4');
    const [first, last] = [path.join(dir, 'index-first.mp4'), path.join(dir, 'index-last.mp4')];
    const remux = ['-loglevel', 'error', '-i', plain, '-c', 'copy'];
    await runFfmpeg([...remux, '-movflags', '+faststart', first]);
    await runFfmpeg([...remux, last]);
    expect(await indexBeforeMedia(first)).toBe(true);
    expect(await indexBeforeMedia(last)).toBe(false);
    // Cut inside its first box, a FIFO, a missing file: not an MP4 a pipe can read, and no hang.
    const cut = path.join(dir, 'index-cut.mp4');
    await writeFile(cut, (await readFile(first)).subarray(0, 20));
    const fifo = path.join(dir, 'index-pipe.mp4');
    execFileSync('mkfifo', [fifo]);
    for (const f of [cut, fifo, path.join(dir, 'none.mp4')]) expect(await indexBeforeMedia(f), f).toBe(false);
  });

  it('a FIFO named like a clip is not opened (no hang); a damaged header never throws or hangs', async () => {
    const fifo = path.join(dir, 'pipe.mp4');
    execFileSync('mkfifo', [fifo]);
    expect(await readMp4Facts(fifo)).toBeUndefined();
    // Every byte of the header changed in turn: never a throw, never a hang, never facts unlike ffprobe's.
    const bytes = await readFile(path.join(dir, 'plain.mp4'));
    const moov = bytes.indexOf('moov');
    const damaged = path.join(dir, 'damaged.mp4');
    let answered = 0;
    for (let i = moov; i < Math.min(bytes.length, moov + 1200); i += 7) {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ 0xff;
      await writeFile(damaged, copy);
      const mine = await readMp4Facts(damaged);
      if (mine) {
        answered++;
        // A byte the facts do not depend on (a date, a name): the answer must still be ffprobe's.
        if (answered % 10 === 1) expect(mine).toEqual(await ffprobeMedia(damaged));
      }
    }
    expect(answered).toBeGreaterThan(0);
  }, 60_000);
});
