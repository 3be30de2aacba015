// The extension and content type a media host stores a file under: by its bytes where they say,
// else by its name; shared by the plain PUT host and the S3 host.
import path from 'node:path';
import { sniffMediaType } from './media';

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  heic: 'image/heic',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  quicktime: 'video/quicktime',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
};

export function mediaTypeOf(bytes: Buffer, file: string): { ext: string; contentType: string } {
  const sniffed = sniffMediaType(bytes, file);
  const byName = path.extname(file).slice(1).toLowerCase();
  if (sniffed) {
    const ext =
      sniffed.subtype === 'jpeg' ? 'jpg' : sniffed.subtype === 'quicktime' ? 'mov' : sniffed.subtype;
    return { ext, contentType: CONTENT_TYPES[ext] ?? `${sniffed.kind}/${sniffed.subtype}` };
  }
  const ext = /^[a-z0-9]{1,8}$/.test(byName) ? byName : 'bin';
  return { ext, contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream' };
}
