// Local media as inline data URIs, the way Seedance gateways take images and audio. The type is
// read from the file's bytes (an extension can lie) and written in lowercase, as Ark requires.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export type InlineKind = 'image' | 'audio';

/** Lowercase subtype from magic bytes, falling back to the extension. */
export function sniffMediaType(
  bytes: Buffer,
  file: string,
): { kind: InlineKind | 'video'; subtype: string } | undefined {
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return { kind: 'image', subtype: 'png' };
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { kind: 'image', subtype: 'jpeg' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { kind: 'image', subtype: 'webp' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return { kind: 'audio', subtype: 'wav' };
  if (ascii(0, 4) === 'GIF8') return { kind: 'image', subtype: 'gif' };
  if (ascii(0, 2) === 'BM') return { kind: 'image', subtype: 'bmp' };
  if (ascii(0, 4) === 'II*\u0000' || ascii(0, 4) === 'MM\u0000*') return { kind: 'image', subtype: 'tiff' };
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (/^(heic|heix|mif1|msf1)$/.test(brand)) return { kind: 'image', subtype: 'heic' };
    return { kind: 'video', subtype: brand.startsWith('qt') ? 'quicktime' : 'mp4' };
  }
  if (
    ascii(0, 3) === 'ID3' ||
    (bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)
  ) {
    return { kind: 'audio', subtype: 'mp3' };
  }
  const ext = path.extname(file).slice(1).toLowerCase();
  const byExt: Record<string, { kind: InlineKind; subtype: string }> = {
    png: { kind: 'image', subtype: 'png' },
    jpg: { kind: 'image', subtype: 'jpeg' },
    jpeg: { kind: 'image', subtype: 'jpeg' },
    webp: { kind: 'image', subtype: 'webp' },
    wav: { kind: 'audio', subtype: 'wav' },
    mp3: { kind: 'audio', subtype: 'mp3' },
  };
  return byExt[ext];
}

export class InlineMediaError extends Error {}

/** `data:<kind>/<subtype>;base64,<bytes>` for a local file of the expected kind. */
export async function fileToDataUri(file: string, kind: InlineKind): Promise<{ uri: string; bytes: number }> {
  const bytes = await fs.readFile(file);
  const type = sniffMediaType(bytes, file);
  if (!type || type.kind !== kind) {
    throw new InlineMediaError(
      `${path.basename(file)} is not ${kind === 'image' ? 'an image' : 'an audio file'} the gateway can read`,
    );
  }
  return { uri: `data:${kind}/${type.subtype};base64,${bytes.toString('base64')}`, bytes: bytes.length };
}

/** Bytes and subtype back out of a data URI (the mock and the tests read requests with it). */
export function decodeDataUri(uri: string): { mime: string; bytes: Buffer } | undefined {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(uri);
  return m ? { mime: m[1] ?? '', bytes: Buffer.from(m[2] ?? '', 'base64') } : undefined;
}
