// Brings a picked or dropped file into the project's media folder, so the graph refers to it by a
// relative path and its sha256 (docs/architecture.md §3) and the project folder stays self-contained.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../shared/contract';
import { AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../../shared/seedance/limits';
import { writeFileAtomic } from '../engine/atomic';
import { sha256File } from '../engine/load';

export type MediaKind = 'image' | 'video' | 'audio';

export function mediaKindOf(name: string): MediaKind | undefined {
  const ext = path.extname(name).slice(1).toLowerCase();
  if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return 'image';
  if ((VIDEO_EXTENSIONS as readonly string[]).includes(ext)) return 'video';
  if ((AUDIO_EXTENSIONS as readonly string[]).includes(ext)) return 'audio';
  return undefined;
}

function safeName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC');
  const cleaned = base
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(-120);
  return cleaned || 'media';
}

/** Writes the bytes to `<project>/media/<name>`; same bytes under the same name are reused. */
export async function importMedia(
  graphAbs: string,
  name: string,
  bytes: Uint8Array,
): Promise<{ file: string; sha256: string; kind: MediaKind }> {
  const kind = mediaKindOf(name);
  if (!kind) {
    const known = [...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS, ...AUDIO_EXTENSIONS].join(', ');
    throw new ContractError(
      'media.type',
      `"${name}" is not a supported image, video or audio file (${known})`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const mediaDir = path.join(path.dirname(graphAbs), 'media');
  let fileName = safeName(name);
  const target = path.join(mediaDir, fileName);
  const existing = await sha256File(target).catch(() => undefined);
  if (existing && existing !== sha256) {
    // Another file already has this name: keep both, told apart by content.
    const ext = path.extname(fileName);
    fileName = `${fileName.slice(0, fileName.length - ext.length)}-${sha256.slice(0, 8)}${ext}`;
  }
  const finalPath = path.join(mediaDir, fileName);
  if (existing !== sha256 && (await sha256File(finalPath).catch(() => undefined)) !== sha256) {
    await fs.mkdir(mediaDir, { recursive: true });
    await writeFileAtomic(finalPath, bytes);
  }
  return { file: `media/${fileName}`, sha256, kind };
}
