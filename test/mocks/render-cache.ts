// The mock gateways' clips come from the real animatic renderer, which costs seconds of CPU per
// clip. Every mock in every test process shares one on-disk cache, keyed by what shapes the
// picture and sound: input media bytes (a reference video is the animatic's moving picture),
// duration, ratio, resolution, audio and seed. The prompt (and the slate) is deliberately left out — suites vary prompts to get fresh task markers, and a mock's pixels
// need not spell the prompt — so a chain rendered once serves every gateway and every suite.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderAnimatic } from '../../electron/media/animatic';
import type { MediaRef, ShotRequest } from '../../electron/providers/types';

// v3: the animatic's camera push scales and crops (v2: its storyboard look).
// SHOTGRAPH_MOCK_RENDERS names another folder: a run that must start from an empty cache (as on CI)
// without emptying the one other runs on this machine share.
const ROOT = process.env.SHOTGRAPH_MOCK_RENDERS || path.join(os.tmpdir(), 'shotgraph-mock-renders-v3');

async function digest(ref: MediaRef | undefined): Promise<string | undefined> {
  if (!ref) return undefined;
  if (ref.url) return ref.url;
  return createHash('sha256')
    .update(await fs.readFile(ref.path!))
    .digest('hex');
}

async function renderKey(req: ShotRequest): Promise<string> {
  const parts = {
    first: await digest(req.firstFrame),
    last: await digest(req.lastFrame),
    images: await Promise.all(req.referenceImages.map(digest)),
    videos: await Promise.all(req.referenceVideos.map(digest)),
    audios: await Promise.all(req.referenceAudios.map(digest)),
    shape: [req.duration, req.ratio, req.resolution, req.generateAudio, req.seed, req.model.includes('fast')],
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A rendered clip and its last frame for `req`, from the shared cache or rendered into it. */
export async function cachedMockRender(
  req: ShotRequest,
  signal?: AbortSignal,
): Promise<{ video: string; lastFrame: string }> {
  const dir = path.join(ROOT, await renderKey(req));
  const done = { video: path.join(dir, 'shot.mp4'), lastFrame: path.join(dir, 'last-frame.png') };
  if (await exists(path.join(dir, 'done'))) return done;
  const work = path.join(ROOT, `.work-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(work, { recursive: true });
  try {
    const clip = await renderAnimatic(req, work, signal ? { signal } : {});
    await fs.rename(clip.video, path.join(work, 'shot.mp4'));
    await fs.rename(clip.lastFrame, path.join(work, 'last-frame.png'));
    await fs.writeFile(path.join(work, 'done'), '');
    // Another process may have finished the same render meanwhile: either copy is the same clip.
    await fs.rename(work, dir).catch(() => fs.rm(work, { recursive: true, force: true }));
  } catch (e) {
    await fs.rm(work, { recursive: true, force: true });
    throw e;
  }
  return done;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
