// The storyboard sheet as a one-page PDF, in plain code: a PNG's IDAT data is already a zlib stream
// with PNG row filters, which PDF's FlateDecode reads as is with /Predictor 15, so the picture is
// embedded without decoding or a PDF library. Needs an 8-bit RGB, non-interlaced PNG (what
// storyboard-sheet.ts writes).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from './atomic-output';

/** Pixels to points: the sheet prints at 96 px per inch. */
const POINTS_PER_PIXEL = 72 / 96;

export async function pngToPdf(png: string, out: string): Promise<void> {
  const pdf = pdfOfPng(await readFile(png));
  await mkdir(path.dirname(out), { recursive: true });
  await writeAtomically(out, (tmp) => writeFile(tmp, pdf));
}

export function pdfOfPng(png: Buffer): Buffer {
  const { width, height, data } = readPng(png);
  const w = +(width * POINTS_PER_PIXEL).toFixed(2);
  const h = +(height * POINTS_PER_PIXEL).toFixed(2);
  const content = Buffer.from(`q ${w} 0 0 ${h} 0 0 cm /Sheet Do Q\n`, 'latin1');
  const objects: (string | [string, Buffer])[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Sheet 4 0 R >> >> /Contents 5 0 R >>`,
    [
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 ` +
        `/Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns ${width} >> /Length ${data.length} >>`,
      data,
    ],
    [`<< /Length ${content.length} >>`, content],
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(offset);
    const chunk =
      typeof obj === 'string'
        ? Buffer.from(`${i + 1} 0 obj\n${obj}\nendobj\n`, 'latin1')
        : Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n${obj[0]}\nstream\n`, 'latin1'),
            obj[1],
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(offset),
    '%%EOF',
  ];
  parts.push(Buffer.from(xref.join('\n') + '\n', 'latin1'));
  return Buffer.concat(parts);
}

function readPng(png: Buffer): { width: number; height: number; data: Buffer } {
  if (png.subarray(0, 8).toString('latin1') !== '\x89PNG\r\n\x1a\n') throw new Error('not a PNG file');
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || colour !== 2 || interlace !== 0) {
        throw new Error('the storyboard PNG must be 8-bit RGB without interlacing to embed in a PDF');
      }
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  return { width, height, data: Buffer.concat(idat) };
}
