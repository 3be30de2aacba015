// Picked or dropped files: copied into the project's media folder by the host, then referenced by
// relative path and sha256 from a media node.
import { MAX_IMPORT_BYTES } from '../../shared/contract';
import { AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../../shared/seedance/limits';
import { toast } from '../stores/ui';
import { host } from '../transport';
import { ensureSaved, reportProblem } from './files';
import { addNode, setParams } from './nodes';

export function mediaKindOfName(name: string): 'image' | 'video' | 'audio' | undefined {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  if ((IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return 'image';
  if ((VIDEO_EXTENSIONS as readonly string[]).includes(ext)) return 'video';
  if ((AUDIO_EXTENSIONS as readonly string[]).includes(ext)) return 'audio';
  return undefined;
}

export const ACCEPT: Record<'image' | 'video' | 'audio', string> = {
  image: IMAGE_EXTENSIONS.map((e) => `.${e}`).join(','),
  video: VIDEO_EXTENSIONS.map((e) => `.${e}`).join(','),
  audio: AUDIO_EXTENSIONS.map((e) => `.${e}`).join(','),
};

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Copies `file` into the film's media folder; its path (relative to the film) and sha256, or null. */
export async function importFile(file: File): Promise<{ file: string; sha256: string } | null> {
  if (file.size > MAX_IMPORT_BYTES) {
    toast(
      `${file.name} is ${(file.size / 1048576).toFixed(0)} MiB; media may be at most ${MAX_IMPORT_BYTES / 1048576} MiB`,
      'error',
    );
    return null;
  }
  const graphPath = await ensureSaved('media are copied into its folder');
  if (!graphPath) return null;
  try {
    const r = await host.call('media.import', {
      graphPath,
      name: file.name,
      dataBase64: await toBase64(file),
    });
    return { file: r.file, sha256: r.sha256 };
  } catch (e) {
    reportProblem(`Could not import ${file.name}`, e);
    return null;
  }
}

/** Imports `file` and points node `id` at it. */
export async function importInto(id: string, file: File): Promise<boolean> {
  const r = await importFile(file);
  if (r) setParams(id, r);
  return Boolean(r);
}

/** Files dropped on empty canvas: one media node each, stacked from the drop point. */
export async function dropFiles(files: File[], at: { x: number; y: number }): Promise<void> {
  let y = at.y;
  for (const file of files) {
    const kind = mediaKindOfName(file.name);
    if (!kind) {
      toast(`${file.name}: not an image, video or audio file Shotgraph can use`, 'error');
      continue;
    }
    const id = addNode(kind, { x: at.x, y });
    y += 220;
    await importInto(id, file);
  }
}
