// Finds a font the caption can be drawn with. drawtext needs a font file (or fontconfig) and some
// ffmpeg builds have no drawtext at all; the animatic then renders without text instead of failing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ffmpegPath, runFfmpeg } from './ffmpeg';
import { drewBefore, rememberDrew, verdictKey } from './font-verdicts';

/** Either a font file or a fontconfig pattern; `null` from `captionFont` means "draw no text". */
export type FontChoice = { file: string } | { family: string };

const winFonts = path.join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts');

/** Common sans-serif fonts on Debian/Ubuntu, Fedora, Arch, macOS and Windows, best first. */
export const FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/usr/share/fonts/noto/NotoSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  '/Library/Fonts/Arial.ttf',
  '/System/Library/Fonts/Helvetica.ttc',
  path.join(winFonts, 'arial.ttf'),
  path.join(winFonts, 'segoeui.ttf'),
];

/** Monospaced fonts for the running timecode and the slate's small print, best first. */
export const MONO_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
  '/usr/share/fonts/dejavu/DejaVuSansMono.ttf',
  '/usr/share/fonts/TTF/DejaVuSansMono.ttf',
  '/usr/share/fonts/dejavu-sans-mono-fonts/DejaVuSansMono.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
  '/usr/share/fonts/liberation-mono/LiberationMono-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf',
  '/System/Library/Fonts/Menlo.ttc',
  '/System/Library/Fonts/Monaco.ttf',
  path.join(winFonts, 'consola.ttf'),
  path.join(winFonts, 'cour.ttf'),
];

/** Font files to try in order: SHOTGRAPH_FONT first, then the first common one that exists. */
export function fontFileCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const found: string[] = [];
  if (env.SHOTGRAPH_FONT && existsSync(env.SHOTGRAPH_FONT)) found.push(env.SHOTGRAPH_FONT);
  const common = FONT_CANDIDATES.find((f) => existsSync(f));
  if (common) found.push(common);
  return found;
}

const verified = new Map<string, Promise<FontChoice | null>>();

/**
 * A font drawtext can really use, verified once per process with a one-frame trial render (this also
 * detects builds without drawtext or fontconfig). Resolves null when no text can be drawn.
 */
export function captionFont(env: NodeJS.ProcessEnv = process.env): Promise<FontChoice | null> {
  const choices: FontChoice[] = [...fontFileCandidates(env).map((file) => ({ file })), { family: 'Sans' }];
  const cacheKey = JSON.stringify(choices);
  let pending = verified.get(cacheKey);
  if (!pending) {
    pending = (async () => {
      for (const choice of choices) if (await canDraw(env, choice)) return choice;
      return null;
    })();
    verified.set(cacheKey, pending);
  }
  return pending;
}

/** The three faces of the animatic's burn-ins; all equal where only one font can be had. */
export interface FontSet {
  text: FontChoice;
  bold: FontChoice;
  mono: FontChoice;
}

const verifiedSets = new Map<string, Promise<FontSet | null>>();

/**
 * The caption font with its bold and monospaced companions where they exist beside it (or in the
 * usual places), verified together in one trial render; null when no text can be drawn at all.
 */
export function slateFonts(env: NodeJS.ProcessEnv = process.env): Promise<FontSet | null> {
  const cacheKey = JSON.stringify([env.SHOTGRAPH_FONT ?? '', fontFileCandidates(env)]);
  let pending = verifiedSets.get(cacheKey);
  if (!pending) {
    pending = (async () => {
      const text = await captionFont(env);
      if (!text) return null;
      const wanted: FontSet =
        'file' in text
          ? { text, bold: boldBeside(text.file) ?? text, mono: monoFile() ?? text }
          : { text, bold: { family: `${text.family}:style=Bold` }, mono: { family: 'Monospace' } };
      const same = wanted.bold === text && wanted.mono === text;
      return same || (await canDraw(env, wanted.bold, wanted.mono))
        ? wanted
        : { text, bold: text, mono: text };
    })();
    verifiedSets.set(cacheKey, pending);
  }
  return pending;
}

/** DejaVuSans.ttf → DejaVuSans-Bold.ttf, LiberationSans-Regular.ttf → LiberationSans-Bold.ttf, arial → arialbd. */
function boldBeside(file: string): FontChoice | undefined {
  const ext = path.extname(file);
  const stem = file.slice(0, -ext.length || undefined);
  const base = stem.replace(/-(Regular|Book|Roman)$/i, '');
  const found = [`${base}-Bold${ext}`, `${base}bd${ext}`, `${base} Bold${ext}`].find(
    (f) => f !== file && existsSync(f),
  );
  return found ? { file: found } : undefined;
}

function monoFile(): FontChoice | undefined {
  const found = MONO_CANDIDATES.find((f) => existsSync(f));
  return found ? { file: found } : undefined;
}

/** The drawtext option selecting this font, escaped for a filtergraph. */
export function fontOption(font: FontChoice): string {
  return 'file' in font ? `fontfile=${filterArg(font.file)}` : `font=${filterArg(font.family)}`;
}

/**
 * Whether drawtext can draw with all of `fonts`: known from an earlier trial with these very files
 * (font-verdicts.ts), else proved by a one-frame trial render.
 */
async function canDraw(env: NodeJS.ProcessEnv, ...fonts: FontChoice[]): Promise<boolean> {
  const files = fonts.flatMap((f) => ('file' in f ? [f.file] : []));
  const ffmpeg = files.length === fonts.length ? foundFfmpeg() : undefined;
  const key = ffmpeg ? await verdictKey(ffmpeg, files) : undefined;
  if (key && (await drewBefore(key, env))) return true;
  const drew = await trialRender(fonts);
  if (drew && key) await rememberDrew(key, env);
  return drew;
}

/** No ffmpeg at all is the trial's to report, as before. */
function foundFfmpeg(): string | undefined {
  try {
    return ffmpegPath();
  } catch {
    return undefined;
  }
}

async function trialRender(fonts: FontChoice[]): Promise<boolean> {
  try {
    await runFfmpeg([
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=64x32:r=1:d=1'],
      ...[
        '-vf',
        fonts.map((font) => `drawtext=${fontOption(font)}:text=Ag:fontsize=16:fontcolor=white`).join(','),
        '-frames:v',
        '1',
        '-f',
        'null',
        '-',
      ],
    ]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Escapes a value for a filter option inside a filtergraph: once for the option parser (`\ ' :`),
 * then once more for the graph parser (`\ ' [ ] , ;`). Paths with colons (Windows) or quotes survive.
 */
export function filterArg(value: string): string {
  const option = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}
