// Small real media for the provider suites, made with ffmpeg once per suite.
import path from 'node:path';
import { runFfmpeg } from '../../electron/media/ffmpeg';

export interface Fixtures {
  png: string;
  jpg: string;
  wav: string;
  mp4: string;
}

export async function makeFixtures(dir: string): Promise<Fixtures> {
  const f: Fixtures = {
    png: path.join(dir, 'harbour.png'),
    jpg: path.join(dir, 'character.jpg'),
    wav: path.join(dir, 'theme.wav'),
    mp4: path.join(dir, 'move.mp4'),
  };
  const q = ['-loglevel', 'error'];
  await runFfmpeg([...q, '-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=1', '-frames:v', '1', f.png]);
  await runFfmpeg([...q, '-f', 'lavfi', '-i', 'smptebars=size=400x400:rate=1', '-frames:v', '1', f.jpg]);
  await runFfmpeg([...q, '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', f.wav]);
  await runFfmpeg([
    ...q,
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=24:duration=2',
    '-pix_fmt',
    'yuv420p',
    f.mp4,
  ]);
  return f;
}
