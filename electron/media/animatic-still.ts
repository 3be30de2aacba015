// The offline keyframe: a real still of the keyframe's aspect made on this machine, so a film with
// keyframes runs with no key. Frame n of a set is the clean plate seeded by the prompt and n (the
// same storyboard look, a different panel); a wired reference image is used as the picture instead,
// cropped to the frame. No text is burnt in: the still may open a shot.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { stillPixels } from '../../shared/seedance/seedream';
import type { StillRequest } from '../providers/types';
import { writeAtomically } from './atomic-output';
import { writeCleanPlate } from './clean-plate';
import { runFfmpeg } from './ffmpeg';
import { imageInput } from './plate';

/** Long side of an animatic still: enough to open a 720p shot, cheap to make and to hash. */
const MAX_SIDE = 1280;

/** The animatic's pixel size for a keyframe size: its aspect, at most MAX_SIDE, even sides. */
export function animaticStillSize(size: string): [number, number] {
  const [w, h] = stillPixels(size);
  const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
  const even = (n: number) => Math.max(16, 2 * Math.round((n * scale) / 2));
  return [even(w), even(h)];
}

export async function renderAnimaticStills(
  req: StillRequest,
  outDir: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const [width, height] = animaticStillSize(req.size);
  await mkdir(outDir, { recursive: true });
  const reference = req.referenceImages.find((r) => r.path)?.path;
  const images: string[] = [];
  for (let n = 1; n <= req.count; n++) {
    const dest = path.join(outDir, `frame-${n}.png`);
    const plate = path.join(outDir, `.plate-${n}.ppm`);
    try {
      const input = reference ?? (await writeCleanPlate(plate, width, height, `${req.prompt}\n${n}`));
      // The frame number shifts the crop of a reference, so a set from one picture is still a set.
      const shift =
        reference && req.count > 1 ? `,crop=iw*0.9:ih*0.9:iw*0.1*${n - 1}/${req.count - 1}:0` : '';
      await writeAtomically(dest, (tmp) =>
        runFfmpeg(
          [
            ...['-loglevel', 'error', ...imageInput(input)],
            ...[
              '-vf',
              `scale=${width}:${height}:force_original_aspect_ratio=increase${shift},scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},setsar=1`,
            ],
            ...['-frames:v', '1', '-f', 'image2', '-c:v', 'png', tmp],
          ],
          signal ? { signal, timeoutMs: 60_000 } : { timeoutMs: 60_000 },
        ),
      );
    } finally {
      await rm(plate, { force: true });
    }
    images.push(dest);
  }
  return images;
}
