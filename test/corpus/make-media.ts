// Generates the corpus media with ffmpeg's lavfi sources, so no binary files live in git. Tiny on
// purpose (160×90 clips, 8 kHz tones): the test machines are shared. Idempotent and safe to run
// from two test files at once: each file is written under a temporary name and renamed into place.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runFfmpeg } from '../../electron/media/ffmpeg';

export const CORPUS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const MEDIA_DIR = path.join(CORPUS_DIR, 'media');

const image = (size: string) => ['-f', 'lavfi', '-i', `color=c=0x3366aa:s=${size}`, '-frames:v', '1'];
const clip = (sec: number, codec: string[]) => [
  ...['-f', 'lavfi', '-i', `color=c=0x884422:s=160x90:r=24:d=${sec}`],
  ...codec,
  ...['-pix_fmt', 'yuv420p', '-an', '-threads', '1'],
];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast'];
const tone = (sec: number, codec: string[]) => [
  ...['-f', 'lavfi', '-i', `sine=f=440:d=${sec}:sample_rate=8000`],
  ...['-ac', '1', ...codec],
];

/** File name → ffmpeg arguments (output appended), or raw bytes. */
export const CORPUS_MEDIA: Record<string, string[] | Buffer> = {
  'still-320.png': image('320x320'),
  'small-200.png': image('200x200'),
  'wide-900x300.png': image('900x300'),
  'garbage.png': Buffer.from('these bytes are not a PNG image, whatever the name says\n'),
  'clip-3s.mp4': clip(3, h264),
  'clip-1s.mp4': clip(1, h264),
  'clip-8s.mp4': clip(8, h264),
  'clip-mpeg4.mp4': clip(3, ['-c:v', 'mpeg4']),
  'tone-3s.wav': tone(3, ['-c:a', 'pcm_s16le']),
  'tone-8s.mp3': tone(8, ['-c:a', 'libmp3lame', '-b:a', '16k']),
  'tone-16s.mp3': tone(16, ['-c:a', 'libmp3lame', '-b:a', '16k']),
  'tone-3s.flac': tone(3, ['-c:a', 'flac']),
};

export async function makeCorpusMedia(dir = MEDIA_DIR): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, recipe] of Object.entries(CORPUS_MEDIA)) {
    const target = path.join(dir, name);
    if (existsSync(target)) continue;
    const tmp = path.join(dir, `.tmp-${process.pid}-${name}`);
    try {
      if (Buffer.isBuffer(recipe)) await writeFile(tmp, recipe);
      else await runFfmpeg([...recipe, tmp]);
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }
  return dir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  makeCorpusMedia().then((dir) => console.log(`corpus media in ${dir}`));
}
