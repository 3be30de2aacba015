// A storyboard sheet for people who review on paper: one panel per clip in film order (its middle
// frame, id and label, length and place on the cut, the prompt wrapped), a new row with a heading
// wherever the scene changes. Posters are grabbed one by one, then drawn in one ffmpeg pass.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Timeline, TimelineClip } from '../../shared/timeline';
import { writeAtomically } from './atomic-output';
import { charsPerLine, wrapLines, writeLineFiles } from './caption';
import { runFfmpeg } from './ffmpeg';
import { captionFont, filterArg, fontOption, type FontChoice } from './fonts';

export const SHEET = {
  columns: 3,
  margin: 32,
  gap: 24,
  posterWidth: 384,
  posterHeight: 216,
  titleHeight: 72,
  headingHeight: 44,
  /** Poster, then id/label line, timing line and up to four prompt lines. */
  captionHeight: 8 + 24 + 22 + 4 * 20 + 8,
  promptLines: 4,
  paper: '0xF7F5F0',
  ink: '0x202020',
  muted: '0x6B6B6B',
} as const;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SheetLayout {
  width: number;
  height: number;
  /** Poster rectangle of each clip, in film order. */
  posters: Rect[];
  headings: { text: string; y: number }[];
}

/** Where everything goes; pure, so the tests can check a sheet against it. */
export function sheetLayout(timeline: Timeline): SheetLayout {
  const s = SHEET;
  const panelHeight = s.posterHeight + s.captionHeight;
  const width = 2 * s.margin + s.columns * s.posterWidth + (s.columns - 1) * s.gap;
  const posters: Rect[] = [];
  const headings: { text: string; y: number }[] = [];
  let y = s.margin + s.titleHeight;
  let column = 0;
  let scene: string | undefined;
  for (const clip of timeline.clips) {
    const newScene = clip.scene !== undefined && clip.scene !== scene;
    // A full row, or a new scene, starts the next row.
    if (posters.length && (newScene || column === s.columns)) {
      y += panelHeight + s.gap;
      column = 0;
    }
    if (newScene) {
      headings.push({ text: clip.scene!, y });
      y += s.headingHeight;
      scene = clip.scene;
    }
    posters.push({ x: s.margin + column * (s.posterWidth + s.gap), y, w: s.posterWidth, h: s.posterHeight });
    column++;
  }
  const height = (posters.length ? y + panelHeight : y) + s.margin;
  return { width, height, posters, headings };
}

export interface StoryboardOptions {
  title: string;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Writes the sheet for `timeline` (clip i's file is `files[i]`) as a PNG at `out`. */
export async function renderStoryboardSheet(
  timeline: Timeline,
  files: string[],
  out: string,
  opts: StoryboardOptions,
): Promise<SheetLayout> {
  const layout = sheetLayout(timeline);
  const font = await captionFont(opts.env ?? process.env);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-storyboard-'));
  try {
    const posters: string[] = [];
    for (const [i, clip] of timeline.clips.entries()) {
      posters.push(await posterFrame(files[i]!, clip, path.join(scratch, `poster-${i}.png`), opts.signal));
    }
    const s = SHEET;
    const graph: string[] = [];
    let base = '[0:v]';
    layout.posters.forEach((r, i) => {
      graph.push(
        `[${i + 1}:v]scale=${r.w}:${r.h}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=lanczos,pad=${r.w}:${r.h}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1[p${i}]`,
        `${base}[p${i}]overlay=${r.x}:${r.y}[b${i}]`,
      );
      base = `[b${i}]`;
    });
    const text = font ? await sheetText(timeline, layout, font, scratch, opts.title) : [];
    const rules = layout.headings.map(
      (h) =>
        `drawbox=x=${s.margin}:y=${h.y + s.headingHeight - 10}:w=${layout.width - 2 * s.margin}:h=2:color=${s.ink}@0.4:t=fill`,
    );
    graph.push(`${base}${[...rules, ...text, 'format=rgb24'].join(',')}[sheet]`);
    await mkdir(path.dirname(out), { recursive: true });
    await writeAtomically(out, (tmp) =>
      runFfmpeg(
        [
          ...[
            '-loglevel',
            'error',
            '-f',
            'lavfi',
            '-i',
            `color=c=${s.paper}:s=${layout.width}x${layout.height}:d=1:r=1`,
          ],
          ...posters.flatMap((p) => ['-i', p]),
          ...['-filter_complex', graph.join(';'), '-map', '[sheet]', '-frames:v', '1', '-update', '1'],
          ...['-c:v', 'png', '-pix_fmt', 'rgb24', '-f', 'image2', tmp],
        ],
        { mediaSec: 1, ...(opts.signal ? { signal: opts.signal } : {}) },
      ),
    );
    return layout;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The clip's middle frame within its in/out points. */
async function posterFrame(
  file: string,
  clip: TimelineClip,
  png: string,
  signal?: AbortSignal,
): Promise<string> {
  const t = clip.in + (clip.duration ?? 0) / 2;
  await runFfmpeg(
    [
      ...['-loglevel', 'error', '-ss', t.toFixed(3), '-i', path.resolve(file), '-map', '0:v:0'],
      ...['-frames:v', '1', '-update', '1', '-c:v', 'png', '-f', 'image2', png],
    ],
    { mediaSec: 1, ...(signal ? { signal } : {}) },
  );
  return png;
}

/** drawtext filters for the title, scene headings and each panel's caption (left-aligned). */
async function sheetText(
  timeline: Timeline,
  layout: SheetLayout,
  font: FontChoice,
  dir: string,
  title: string,
): Promise<string[]> {
  const s = SHEET;
  const filters: string[] = [];
  let n = 0;
  const draw = async (line: string, x: number, y: number, size: number, colour: string) => {
    const [file] = await writeLineFiles(dir, `t${n++}`, [line]);
    filters.push(
      `drawtext=${fontOption(font)}:textfile=${filterArg(file!)}:expansion=none:fontsize=${size}:fontcolor=${colour}:x=${x}:y=${y}`,
    );
  };
  const clips = timeline.clips.length;
  const length = timeline.duration !== undefined ? `, ${clock(timeline.duration)}` : '';
  await draw(title, s.margin, s.margin, 30, s.ink);
  await draw(`${clips} shot${clips === 1 ? '' : 's'}${length}`, s.margin, s.margin + 40, 18, s.muted);
  for (const h of layout.headings) await draw(h.text, s.margin, h.y + 4, 22, s.ink);
  for (const [i, clip] of timeline.clips.entries()) {
    const r = layout.posters[i]!;
    const maxChars = charsPerLine(r.w, 15);
    let y = r.y + r.h + 8;
    const name = `${i + 1}  ${clip.nodeId}${clip.label ? ` · ${clip.label}` : ''}`;
    await draw(wrapLines(name, charsPerLine(r.w, 18), 1)[0] ?? clip.nodeId, r.x, y, 18, s.ink);
    y += 24;
    const place = clip.start !== undefined ? `  at ${clock(clip.start)}` : '';
    const into =
      clip.transition.type === 'cut'
        ? ''
        : `  · ${clip.transition.type === 'crossfade' ? 'crossfade' : 'fade through black'} in`;
    await draw(`${seconds(clip.duration)}${place}${into}`, r.x, y, 15, s.muted);
    y += 22;
    for (const line of wrapLines(clip.prompt ?? '', maxChars, s.promptLines)) {
      await draw(line, r.x, y, 15, s.ink);
      y += 20;
    }
  }
  return filters;
}

function seconds(sec: number | undefined): string {
  return sec === undefined ? 'length unknown' : `${sec.toFixed(1)} s`;
}

function clock(sec: number): string {
  const m = Math.floor(sec / 60);
  return `${m}:${(sec - m * 60).toFixed(1).padStart(4, '0')}`;
}
