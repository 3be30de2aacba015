// What Ark is sent for a shot (docs/gateways.md §1.4–1.5): content[] in port order, local images and
// audio inline as lowercase base64 data URIs, and the marker that finds the task again.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { inlineFile } from './gateways/request-media';
import { ProviderError, type MediaRef, type ShotRequest } from './types';

/** Ark refuses images above 30 MB (§3.1). */
const MAX_IMAGE_BYTES = 30 * 1024 * 1024;

export type ContentItem =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string }; role: 'first_frame' | 'last_frame' | 'reference_image' }
  | { type: 'video_url'; video_url: { url: string }; role: 'reference_video' }
  | { type: 'audio_url'; audio_url: { url: string }; role: 'reference_audio' };

export interface BuiltContent {
  content: ContentItem[];
  /** The shot port each content item came from, for errors that name `content[i]`. */
  ports: string[];
}

/** The value sent as `safety_identifier`: recognisable in the task list, reveals nothing. */
export function shotMarker(key: string): string {
  return `sg-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

function isRemote(url: string): boolean {
  return /^(https?:\/\/|asset:\/\/|data:)/i.test(url);
}

/** Data URI media types must be lowercase (§1.5); remote URLs are sent as given. */
function normaliseUrl(url: string): string {
  const m = /^data:([^;,]+)(;base64,.*)$/is.exec(url);
  return m ? `data:${(m[1] ?? '').toLowerCase()}${m[2] ?? ''}` : url;
}

/** Ark takes reference videos only as URLs or asset ids: refused before any file is read or sent. */
export function refuseLocalVideos(req: ShotRequest): void {
  req.referenceVideos.forEach((v, i) => {
    if (!v.url && v.path) {
      throw new ProviderError(
        `Reference video ${i + 1} (${path.basename(v.path)}) is a local file, but Ark only takes reference videos as an https URL or an asset:// id. ` +
          `Upload the clip to storage that gives an https link (a public or signed URL) and use that URL in the video node, ` +
          `or upload it to Ark's asset library and use asset://<ASSET_ID>. Nothing was submitted.`,
        { field: 'reference_videos' },
      );
    }
  });
}

/**
 * content[] in port order — text, first/last frame, reference images, videos, audios — so that
 * "image 1", "video 1" in the prompt mean what the user wired (Ark numbers each media type in
 * content order, §4). Refuses what Ark cannot take before anything is paid for.
 */
export async function buildArkContent(req: ShotRequest): Promise<BuiltContent> {
  const content: ContentItem[] = [];
  const ports: string[] = [];
  refuseLocalVideos(req);
  const media = async (
    ref: MediaRef,
    kind: 'image' | 'audio',
    port: string,
    label: string,
  ): Promise<string> => {
    if (ref.url) {
      if (!isRemote(ref.url))
        throw new ProviderError(`${label}: "${ref.url}" is not an https, asset:// or data: URL.`, {
          field: port,
        });
      return normaliseUrl(ref.url);
    }
    if (!ref.path) throw new ProviderError(`${label} has neither a file nor a URL.`, { field: port });
    const { uri, bytes } = await inlineFile(ref.path, kind, label, port);
    if (kind === 'image' && bytes > MAX_IMAGE_BYTES) {
      throw new ProviderError(
        `${label} (${path.basename(ref.path)}) is ${(bytes / 1048576).toFixed(1)} MB; Ark takes images up to 30 MB. Use a smaller or compressed image.`,
        { field: port },
      );
    }
    return uri;
  };
  const push = (item: ContentItem, port: string) => {
    content.push(item);
    ports.push(port);
  };
  if (req.prompt.trim()) push({ type: 'text', text: req.prompt }, 'prompt');
  for (const [ref, role, label] of [
    [req.firstFrame, 'first_frame', 'First frame'],
    [req.lastFrame, 'last_frame', 'Last frame'],
  ] as const) {
    if (ref)
      push({ type: 'image_url', image_url: { url: await media(ref, 'image', role, label) }, role }, role);
  }
  for (const [i, ref] of req.referenceImages.entries()) {
    const url = await media(ref, 'image', 'reference_images', `Reference image ${i + 1}`);
    push({ type: 'image_url', image_url: { url }, role: 'reference_image' }, 'reference_images');
  }
  for (const ref of req.referenceVideos) {
    push(
      { type: 'video_url', video_url: { url: normaliseUrl(ref.url ?? '') }, role: 'reference_video' },
      'reference_videos',
    );
  }
  for (const [i, ref] of req.referenceAudios.entries()) {
    const url = await media(ref, 'audio', 'reference_audios', `Reference audio ${i + 1}`);
    push({ type: 'audio_url', audio_url: { url }, role: 'reference_audio' }, 'reference_audios');
  }
  return { content, ports };
}

export function buildArkBody(
  req: ShotRequest,
  built: BuiltContent,
  modelId: string,
): Record<string, unknown> {
  return {
    model: modelId,
    content: built.content,
    ratio: req.ratio,
    resolution: req.resolution,
    duration: req.duration === 'auto' ? -1 : req.duration,
    generate_audio: req.generateAudio,
    watermark: req.watermark,
    // The latest docs list seed for 1.x only: send it only when the user chose one.
    ...(req.seed >= 0 ? { seed: req.seed } : {}),
    return_last_frame: true,
    safety_identifier: shotMarker(req.key),
  };
}
