// The last frame's BMP → PNG step done in this process must give exactly the pixels ffmpeg's own
// conversion gives (odd widths exercise the BMP's row padding), and must decline what it does not know.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bmpToPng } from '../../electron/media/bmp-to-png';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { framemd5, streams, tempDir } from '../helpers/media';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('shotgraph-bmp-png-');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A frame of a moving test pattern as a BMP in `pixFmt`, and ffmpeg's PNG of the same BMP. */
async function frame(name: string, size: string, pixFmt: string) {
  const bmp = path.join(dir, `${name}.bmp`);
  // testsrc2 makes even sizes only: scaled afterwards, so odd widths pad their BMP rows.
  const src = `testsrc2=s=320x180:r=24,trim=start_frame=7,scale=${size.replace('x', ':')}`;
  await runFfmpeg([
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    src,
    '-frames:v',
    '1',
    '-pix_fmt',
    pixFmt,
    bmp,
  ]);
  const theirs = path.join(dir, `${name}-ffmpeg.png`);
  await runFfmpeg(['-loglevel', 'error', '-i', bmp, '-frames:v', '1', '-c:v', 'png', theirs]);
  return { bmp, theirs };
}

describe('bmpToPng', () => {
  it.each(['864x496', '101x57', '2x2'])('gives the pixels ffmpeg gives, %s', async (size) => {
    const { bmp, theirs } = await frame(`f-${size}`, size, 'bgr24');
    const png = await bmpToPng(await readFile(bmp));
    expect(png).toBeDefined();
    const ours = path.join(dir, `f-${size}-ours.png`);
    await writeFile(ours, png!);
    const [w, h] = size.split('x').map(Number);
    const s = (await streams(ours))[0]!;
    expect(s).toMatchObject({ codec: 'png', width: w, height: h });
    expect(await framemd5(ours)).toEqual(await framemd5(theirs));
  });

  it('declines a BMP it does not know (32-bit) and bytes that are not a BMP', async () => {
    const { bmp } = await frame('alpha', '64x32', 'bgra');
    expect(await bmpToPng(await readFile(bmp))).toBeUndefined();
    expect(await bmpToPng(Buffer.from('not a bitmap at all, just text'))).toBeUndefined();
    const cut = await readFile((await frame('cut', '64x32', 'bgr24')).bmp);
    expect(await bmpToPng(cut.subarray(0, cut.length - 10))).toBeUndefined();
  });
});
