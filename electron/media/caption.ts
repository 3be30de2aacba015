// Text on animatic frames: word wrapping, one text file per line (drawtext `textfile=` sidesteps
// every quoting bug a prompt could trigger) and the drawtext chain that centres each line.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { filterArg, fontOption, type FontChoice } from './fonts';

/** Average advance of a glyph relative to the font size (DejaVu Sans is on the wide side). */
const GLYPH_WIDTH = 0.58;

/** Collapses whitespace and wraps at word boundaries; overflow ends the last line with an ellipsis. */
export function wrapLines(text: string, maxChars: number, maxLines: number): string[] {
  const width = Math.max(4, Math.floor(maxChars));
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (word.length > width) {
      // A word longer than a line (a URL, a long compound) is hard-split rather than overflowing.
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = (last.length >= width ? last.slice(0, width - 1) : last) + '…';
  return kept;
}

/** How many characters fit on a line of `widthPx` at `fontSize`. */
export function charsPerLine(widthPx: number, fontSize: number): number {
  return Math.floor(widthPx / (fontSize * GLYPH_WIDTH));
}

/** Writes each line to its own UTF-8 file (no trailing newline: drawtext would draw an empty line). */
export async function writeLineFiles(dir: string, name: string, lines: string[]): Promise<string[]> {
  return Promise.all(
    lines.map(async (line, i) => {
      const file = path.join(dir, `${name}-${i}.txt`);
      await writeFile(file, line, 'utf8');
      return file;
    }),
  );
}

export interface TextBlock {
  files: string[];
  font: FontChoice;
  fontSize: number;
  /** Top of the first line in pixels. */
  top: number;
  lineHeight: number;
  style: 'caption' | 'title';
  /** drawtext `alpha` expression (may use t). */
  alpha?: string;
  /** Timeline `enable` expression. */
  enable?: string;
}

/** One centred drawtext per line, comma-joined for a filter chain. */
export function drawTextBlock(block: TextBlock): string {
  const { fontSize } = block;
  const look =
    block.style === 'caption'
      ? `fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=${Math.round(fontSize * 0.35)}`
      : `fontcolor=white:shadowcolor=black@0.6:shadowx=${Math.max(1, Math.round(fontSize / 16))}:shadowy=${Math.max(1, Math.round(fontSize / 16))}`;
  return block.files
    .map((file, i) =>
      [
        `drawtext=${fontOption(block.font)}`,
        `textfile=${filterArg(file)}`,
        'expansion=none',
        `fontsize=${fontSize}`,
        look,
        'x=(w-text_w)/2',
        `y=${Math.round(block.top + i * block.lineHeight)}`,
        ...(block.alpha ? [`alpha='${block.alpha}'`] : []),
        ...(block.enable ? [`enable='${block.enable}'`] : []),
      ].join(':'),
    )
    .join(',');
}
