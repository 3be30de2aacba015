// The offline provider: renders each shot as an animatic on this machine. Free, so no journal and
// no task id; it still honours cancellation and reports progress like a remote gateway.
import { renderAnimatic } from '../media/animatic';
import { renderAnimaticStills } from '../media/animatic-still';
import type { Provider, ShotContext, ShotRequest, ShotResult, StillRequest, StillResult } from './types';

/** Three shots at once: each ffmpeg run is mostly single-threaded filtering plus a 4-thread x264. */
const CONCURRENCY = 3;

export function createAnimaticProvider(env: NodeJS.ProcessEnv): Provider {
  return {
    name: 'animatic',
    concurrency: CONCURRENCY,
    async generate(req: ShotRequest, ctx: ShotContext): Promise<ShotResult> {
      const clip = await renderAnimatic(req, ctx.outDir, {
        signal: ctx.signal,
        onProgress: (fraction) => ctx.progress(fraction),
        env,
      });
      return { video: clip.video, lastFrame: clip.lastFrame, durationSec: clip.durationSec };
    },
    async stills(req: StillRequest, ctx: ShotContext): Promise<StillResult> {
      const images = await renderAnimaticStills(req, ctx.outDir, ctx.signal);
      return { images, billedImages: 0, costUsd: 0 };
    },
  };
}
