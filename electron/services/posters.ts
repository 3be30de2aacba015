// Poster frames for the storyboard and the timeline: a clip's middle frame as a small PNG, kept in
// the editor's state folder under a key of the clip's path, size and time, so it is made once per
// clip. Also answers the clip's length, which the timeline needs to draw it to scale.
import { createHash } from 'node:crypto';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ContractError } from '../../shared/contract';
import { writeAtomically } from '../media/atomic-output';
import { runFfmpeg } from '../media/ffmpeg';
import { probeMedia } from '../media/probe';
import type { Workspace } from './workspace';

/** Posters are drawn at most this wide; a storyboard card is narrower. */
const POSTER_WIDTH = 480;
/** ffmpeg runs at once: a storyboard of fifty cards must not start fifty. */
const AT_ONCE = 2;

export interface Poster {
  /** The PNG, as the editor shows paths. */
  file: string;
  /** Length of the clip's picture in seconds. */
  seconds: number;
}

export function createPosters(ws: Workspace): (shown: string, base?: string | null) => Promise<Poster> {
  const dir = path.join(ws.stateDir, 'posters');
  const made = new Map<string, Promise<Poster>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };

  const make = async (clip: string, out: string): Promise<Poster> => {
    const info = await probeMedia(clip);
    const v = info.video;
    if (!v) throw new ContractError('poster.no-video', `${ws.show(clip)} has no picture`);
    const seconds = v.frames && v.fps ? v.frames / v.fps : info.durationSec;
    const exists = await access(out).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(dir, { recursive: true });
      await writeAtomically(out, (tmp) =>
        runFfmpeg([
          ...['-loglevel', 'error', '-ss', (seconds / 2).toFixed(3), '-i', clip, '-map', '0:v:0'],
          ...['-vf', `scale='min(${POSTER_WIDTH},iw)':-2`, '-frames:v', '1', '-update', '1'],
          ...['-c:v', 'png', '-f', 'image2', tmp],
        ]),
      );
    }
    return { file: ws.show(out), seconds };
  };

  return async (shown, base) => {
    const clip = ws.resolve(shown, base);
    const st = await stat(clip).catch(() => {
      throw new ContractError('poster.missing', `${shown} does not exist (yet)`);
    });
    const key = createHash('sha256').update(`${clip}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 32);
    let poster = made.get(key);
    if (!poster) {
      poster = slot(() => make(clip, path.join(dir, `${key}.png`)));
      made.set(key, poster);
      poster.catch(() => made.delete(key));
    }
    return poster;
  };
}
