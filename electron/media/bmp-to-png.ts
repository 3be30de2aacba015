// A last frame's BMP (ffmpeg's bmp encoder: uncompressed 24-bit BGR rows, bottom-up, padded to four
// bytes) turned into a PNG in this process: a third ffmpeg start per shot would cost more CPU than
// the conversion itself (docs/architecture.md §7, last frames). Anything else returns undefined and
// the caller converts with ffmpeg as before.
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';

const deflateAsync = promisify(deflate);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: Buffer[]): number {
  let c = 0xffffffff;
  for (const b of parts) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const tag = head.subarray(4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([tag, data]), 0);
  return Buffer.concat([head, data, crc]);
}

/** The PNG of a 24-bit uncompressed BMP, or undefined for any other kind of BMP (or a damaged one). */
export async function bmpToPng(bmp: Buffer): Promise<Buffer | undefined> {
  if (bmp.length < 54 || bmp.toString('ascii', 0, 2) !== 'BM') return undefined;
  const offset = bmp.readUInt32LE(10);
  const headerSize = bmp.readUInt32LE(14);
  const width = bmp.readInt32LE(18);
  const rawHeight = bmp.readInt32LE(22);
  const bpp = bmp.readUInt16LE(28);
  const compression = bmp.readUInt32LE(30);
  if (headerSize < 40 || bpp !== 24 || compression !== 0 || width <= 0 || rawHeight === 0) return undefined;
  const height = Math.abs(rawHeight);
  if (width > 16384 || height > 16384) return undefined;
  const stride = Math.ceil((width * 3) / 4) * 4;
  if (offset < 54 || offset + stride * height > bmp.length) return undefined;
  // PNG rows top-down, RGB, each after a filter byte (0: none, as ffmpeg's png encoder by default).
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    const src = offset + stride * (rawHeight > 0 ? height - 1 - y : y);
    const dst = y * row + 1;
    for (let x = 0; x < width; x++) {
      const s = src + x * 3;
      const d = dst + x * 3;
      raw[d] = bmp[s + 2]!;
      raw[d + 1] = bmp[s + 1]!;
      raw[d + 2] = bmp[s]!;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 2; // truecolour (RGB)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', await deflateAsync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
