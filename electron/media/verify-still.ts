// A keyframe image is checked whole before it is cached (docs/gateways.md §7): ffprobe must read it
// as a JPEG, PNG or WebP picture of a sane size, and the file must end where its format says it
// ends — ffprobe reads a JPEG's size from its header, so a cut-short image would otherwise pass.
import { promises as fs } from 'node:fs';
import { runFfprobe } from './ffmpeg';

export class StillDamagedError extends Error {}

export interface StillFacts {
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
}

export async function verifyStill(file: string, signal?: AbortSignal): Promise<StillFacts> {
  const bytes = await fs.readFile(file);
  const format = sniff(bytes);
  if (!format) throw new StillDamagedError('not a JPEG, PNG or WebP image');
  if (!complete(bytes, format)) throw new StillDamagedError(`the ${format.toUpperCase()} image is cut short`);
  let out: string;
  try {
    out = await runFfprobe(
      ['-pattern_type', 'none', '-print_format', 'json', '-show_streams', '-select_streams', 'v:0', file],
      signal ? { signal } : {},
    );
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new StillDamagedError(`ffprobe cannot read it (${(e as Error).message.split('\n')[0]})`);
  }
  const stream = (JSON.parse(out) as { streams?: { width?: number; height?: number }[] }).streams?.[0];
  const width = stream?.width ?? 0;
  const height = stream?.height ?? 0;
  if (width < 14 || height < 14)
    throw new StillDamagedError(`ffprobe finds no picture in it (${width}×${height})`);
  return { format, width, height };
}

function sniff(b: Buffer): StillFacts['format'] | undefined {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  return undefined;
}

/** The format's own end marker is where the file ends. */
function complete(b: Buffer, format: StillFacts['format']): boolean {
  if (format === 'jpeg') {
    // Some encoders pad after the end-of-image marker; a few bytes of slack are allowed.
    const tail = b.subarray(Math.max(0, b.length - 16));
    return tail.includes(Buffer.from([0xff, 0xd9]));
  }
  if (format === 'png') return b.length >= 12 && b.toString('latin1', b.length - 8, b.length - 4) === 'IEND';
  return b.readUInt32LE(4) + 8 === b.length || b.readUInt32LE(4) + 9 === b.length;
}
