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

/**
 * wrapLines, with the lines made about equally long (a caption of two lines is not one long line
 * and an orphan word): the narrowest width that still needs no more lines than the widest.
 */
export function balancedLines(text: string, maxChars: number, maxLines: number): string[] {
  const widest = wrapLines(text, maxChars, maxLines);
  if (widest.length < 2 || widest.at(-1)!.endsWith('…')) return widest;
  const length = widest.join(' ').length;
  for (let width = Math.ceil(length / widest.length); width < maxChars; width++) {
    const lines = wrapLines(text, width, maxLines);
    if (lines.length === widest.length && !lines.at(-1)!.endsWith('…')) return lines;
  }
  return widest;
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

export interface TextLine {
  /** A file from writeLineFiles: the text itself never passes through the filtergraph parser. */
  file: string;
  font: FontChoice;
  fontSize: number;
  /** drawtext x (pixels or an expression such as `(w-text_w)/2`) and y of the line's top. */
  x: number | string;
  y: number;
  colour?: string;
}

/** One line of drawtext; text is drawn as written (no %{…} expansion). */
export function drawText(line: TextLine): string {
  return [
    `drawtext=${fontOption(line.font)}`,
    `textfile=${filterArg(line.file)}`,
    'expansion=none',
    `fontsize=${line.fontSize}`,
    `fontcolor=${line.colour ?? 'white'}`,
    `x=${line.x}`,
    `y=${line.y}`,
  ].join(':');
}
