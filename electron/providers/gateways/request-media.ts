// A shot's media as gateways take it: https URLs, inline data URIs where documented, and the shape
// the shared capability check reads (the same check the plan ran on the graph).
import path from 'node:path';
import { CAPABILITIES, MEDIA_HOST_GATEWAYS, MEDIA_HOST_HINT } from '../../../shared/seedance/capabilities';
import type { MediaInput, ShotSpec } from '../../../shared/validate/capabilities';
import { fileToDataUri, InlineMediaError } from '../remote/media';
import { ProviderError, type MediaRef, type ShotRequest } from '../types';

/** Media as a gateway that takes only URLs gets it; local files were refused by the capability check. */
export function urlOf(ref: MediaRef, label: string, field: string, gateway: string): string {
  if (ref.url && /^https?:\/\//i.test(ref.url)) return ref.url;
  // An asset-library id (a cast member's assetId) passes only where the gateway takes them (§4.1).
  const gw = Object.values(CAPABILITIES).find((g) => g.label === gateway);
  const takesAssets = !!gw && Object.values(gw.models).some((m) => m.assetIds);
  if (ref.url && takesAssets && /^asset:\/\//i.test(ref.url)) return ref.url;
  const hostable = MEDIA_HOST_GATEWAYS.some((g) => CAPABILITIES[g].label === gateway);
  throw new ProviderError(
    `${label} is ${ref.path ? `a file on this machine (${path.basename(ref.path)})` : 'missing'}, but ${gateway} takes media only as https URLs. ` +
      `Upload it where an https link reaches it (a storage bucket with a public or signed URL) and use that URL in the media node${hostable ? `, ${MEDIA_HOST_HINT}` : ''}. Nothing was submitted.`,
    { field },
  );
}

/** A local image/audio file inline as a data URI; a read failure names the field. */
export async function inlineFile(
  file: string,
  kind: 'image' | 'audio',
  label: string,
  field: string,
): Promise<{ uri: string; bytes: number }> {
  try {
    return await fileToDataUri(file, kind);
  } catch (e) {
    const why =
      e instanceof InlineMediaError
        ? e.message
        : `cannot read ${path.basename(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    throw new ProviderError(`${label}: ${why}.`, { field });
  }
}

/** A URL, or a local image/audio file inline as a data URI (gateways that document data URIs). */
export async function urlOrDataUri(
  ref: MediaRef,
  kind: 'image' | 'audio',
  label: string,
  field: string,
  gateway: string,
): Promise<string> {
  if (ref.url) return urlOf(ref, label, field, gateway);
  if (!ref.path) throw new ProviderError(`${label} has neither a file nor a URL.`, { field });
  return (await inlineFile(ref.path, kind, label, field)).uri;
}

/** A request as the capability check sees it (the same check the plan ran on the graph). */
export function specOf(req: ShotRequest): ShotSpec {
  const media = (refs: MediaRef[]): MediaInput[] =>
    refs.map((r) => ({ local: !r.url, source: r.url ?? `${path.basename(r.path ?? '')}` }));
  return {
    nodeId: req.nodeId,
    model: req.model,
    duration: req.duration,
    ratio: req.ratio,
    resolution: req.resolution,
    generateAudio: req.generateAudio,
    seed: req.seed,
    watermark: req.watermark,
    prompt: req.prompt,
    inputs: {
      first_frame: media(req.firstFrame ? [req.firstFrame] : []),
      last_frame: media(req.lastFrame ? [req.lastFrame] : []),
      reference_images: media(req.referenceImages),
      reference_videos: media(req.referenceVideos),
      reference_audios: media(req.referenceAudios),
    },
  };
}
