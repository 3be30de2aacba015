// The animatic's burn-ins, laid over the picture like an editor's review copy: a slate (scene, shot
// number and label, length), a running timecode, the prompt as a caption and the reference images as
// a strip. Each is drawn once on a small transparent layer and faded in and out over the picture, so
// the per-frame work is an alpha blend of a few small rectangles and one timecode. They are fully
// gone before the last frame: that frame is the next shot's first frame in a chain.
import { FPS } from '../../shared/seedance/limits';
import { balancedLines, charsPerLine, drawText, wrapLines, writeLineFiles } from './caption';
import { HOUSE_CLIP } from './clip-format';
import { filterArg, fontOption, type FontSet } from './fonts';

/** Burn-ins are fully transparent before this and after duration minus this (clean seams). */
export const BURN_IN_CLEAR_SEC = 0.5;
const FADE_SEC = 0.5;
/**
 * Width of one glyph at a font size, in pixels: DejaVu Sans Mono's advance (0.602 em), which
 * FreeType rounds up to whole pixels at small sizes, and an average for bold sans, generously.
 */
const MONO_ADVANCE = (size: number) => Math.ceil(size * 0.602);
const BOLD_ADVANCE = (size: number) => size * 0.63 + 0.5;
const MAX_CAPTION_LINES = 3;

export interface SlateText {
  /** Small print above the title, e.g. "SCENE 1 — NIGHT MARKET · SHOT 3". */
  heading: string;
  /** The shot's label (or id). */
  title: string;
  /** Small print below, e.g. "5 s · 16:9 · 720p". */
  detail: string;
  /** Colour of the slate's edge, e.g. `0xd08a3a`: one per scene, so a scene reads as one. */
  accent: string;
}

export interface BurnInSpec {
  width: number;
  height: number;
  frames: number;
  durationSec: number;
  fonts: FontSet | null;
  slate: SlateText;
  prompt: string;
  /** ffmpeg input indices of the reference images, in the order they were wired. */
  strip: number[];
}

export interface BurnIns {
  /** Filtergraph chains that make the layers; they end in labels `apply` consumes. */
  chains: string[];
  /** Chain from the picture `[input]` to `[output]` with every burn-in on it. */
  apply(input: string, output: string): string;
}

interface Window {
  /** Fade-in start, fade length, fade-out start, gone (seconds). */
  show: number;
  fade: number;
  hide: number;
  gone: number;
}

/** When burn-ins are on screen; undefined when the shot is too short to show them cleanly. */
export function burnInWindow(durationSec: number): Window | undefined {
  const open = durationSec - 2 * BURN_IN_CLEAR_SEC;
  if (open <= 2 / FPS) return undefined;
  const fade = Math.min(FADE_SEC, open / 3);
  return {
    show: BURN_IN_CLEAR_SEC,
    fade,
    hide: durationSec - BURN_IN_CLEAR_SEC - fade,
    gone: durationSec - BURN_IN_CLEAR_SEC,
  };
}

export async function burnIns(spec: BurnInSpec, scratch: string): Promise<BurnIns | undefined> {
  const window = burnInWindow(spec.durationSec);
  if (!window) return undefined;
  const { width: w, height: h } = spec;
  const short = Math.min(w, h);
  const margin = even(short * 0.045);
  const layers: Layer[] = [];
  const chains: string[] = [];
  let timecode = '';

  if (spec.fonts) {
    const fonts = spec.fonts;
    layers.push(await slateLayer(spec, fonts, margin, scratch));
    const caption = spec.prompt.trim() ? await captionLayer(spec, fonts, scratch) : undefined;
    if (caption) layers.push(caption);
    const size = Math.max(10, Math.round(short / 30));
    const border = Math.max(2, Math.round(size * 0.4));
    timecode = [
      `drawtext=${fontOption(fonts.mono)}`,
      `timecode=${filterArg('00:00:00:00')}`,
      `rate=${FPS}`,
      `fontsize=${size}`,
      'fontcolor=white',
      `box=1:boxcolor=black@0.55:boxborderw=${border}`,
      `x=w-text_w-${margin + border}`,
      `y=${margin + border}`,
      `alpha='${alphaExpr(window)}'`,
      `enable='${enableExpr(window)}'`,
    ].join(':');
  }
  if (spec.strip.length) {
    const bottom = layers.find((l) => l.name === 'caption');
    layers.push(stripLayer(spec, margin, bottom ? h - bottom.y : margin));
  }
  for (const layer of layers) chains.push(...layer.chains(spec.frames, window));

  return {
    chains,
    apply(input, output) {
      if (!layers.length && !timecode) return `[${input}]null[${output}]`;
      const steps: string[] = [];
      let from = input;
      layers.forEach((layer, i) => {
        const to = `bi${i}`;
        steps.push(
          `[${from}][${layer.name}]overlay=x=${layer.x}:y=${layer.y}:eval=init:eof_action=pass:enable='${enableExpr(window)}'[${to}]`,
        );
        from = to;
      });
      steps.push(`[${from}]${timecode || 'null'}[${output}]`);
      return steps.join(';');
    },
  };
}

interface Layer {
  name: string;
  x: number;
  y: number;
  chains(frames: number, window: Window): string[];
}

/** A still RGBA picture, converted once, repeated for the clip and faded in and out by its alpha. */
function layerChains(name: string, still: string, frames: number, window: Window): string[] {
  const { show, fade, hide } = window;
  return [
    [
      still,
      `scale=out_color_matrix=${HOUSE_CLIP.colour}:out_range=tv`,
      'format=yuva420p',
      `loop=loop=${frames - 1}:size=1:start=0`,
      `settb=1/${FPS}`,
      'setpts=N',
      `fade=t=in:st=${secs(show)}:d=${secs(fade)}:alpha=1`,
      `fade=t=out:st=${secs(hide)}:d=${secs(fade)}:alpha=1`,
    ].join(',') + `[${name}]`,
  ];
}

/** A one-frame RGBA canvas (ffmpeg 5's drawbox crashes on RGBA, so boxes are canvases). */
function canvas(colour: string, w: number, h: number): string {
  return `color=c=${colour}:s=${w}x${h}:r=${FPS},trim=end_frame=1,format=rgba`;
}

async function slateLayer(spec: BurnInSpec, fonts: FontSet, margin: number, scratch: string): Promise<Layer> {
  const short = Math.min(spec.width, spec.height);
  const small = Math.max(9, Math.round(short / 40));
  const big = Math.max(12, Math.round(short / 22));
  const pad = even(short * 0.026);
  const edge = Math.max(2, even(short * 0.01));
  const maxText = Math.round(spec.width * 0.6) - edge - 2 * pad;
  const chars = (advance: number) => Math.floor(maxText / advance);
  const small1 = (text: string) => wrapLines(text, chars(MONO_ADVANCE(small)), 1);
  // The label may take two balanced lines before it is cut short.
  const title = balancedLines(spec.slate.title, chars(BOLD_ADVANCE(big)), 2);
  const mono = { size: small, font: fonts.mono, advance: MONO_ADVANCE(small), colour: 'white@0.8' };
  const bold = { size: big, font: fonts.bold, advance: BOLD_ADVANCE(big), colour: 'white' };
  const lines = [
    ...small1(spec.slate.heading).map((text) => ({ ...mono, text, gap: 0 })),
    ...title.map((text, i) => ({ ...bold, text, gap: i ? Math.round(big * 0.1) : Math.round(small * 0.55) })),
    ...small1(spec.slate.detail).map((text) => ({ ...mono, text, gap: Math.round(small * 0.7) })),
  ];
  const textWidth = Math.max(...lines.map((l) => Math.ceil(l.text.length * l.advance)));
  const boxW = even(Math.min(maxText, textWidth) + 2 * pad);
  const files = await writeLineFiles(
    scratch,
    'slate',
    lines.map((l) => l.text),
  );
  let y = pad - lines[0]!.gap;
  const draws = lines.map((l, i) => {
    y += l.gap;
    const draw = drawText({ file: files[i]!, font: l.font, fontSize: l.size, x: pad, y, colour: l.colour });
    y += Math.round(l.size * 1.15);
    return draw;
  });
  const boxH = even(y + pad);
  const still = [
    `${canvas(spec.slate.accent, edge, boxH)}[slate_edge]`,
    `${canvas('black@0.55', boxW, boxH)},${draws.join(',')}[slate_box]`,
    '[slate_edge][slate_box]hstack=inputs=2',
  ];
  return {
    name: 'slate',
    x: margin,
    y: margin,
    chains: (frames, window) => {
      const [edgeChain, boxChain, stack] = still;
      return [edgeChain!, boxChain!, ...layerChains('slate', stack!, frames, window)];
    },
  };
}

async function captionLayer(spec: BurnInSpec, fonts: FontSet, scratch: string): Promise<Layer | undefined> {
  const { width: w, height: h } = spec;
  const short = Math.min(w, h);
  const size = Math.max(11, Math.round(short / 25));
  const lines = balancedLines(spec.prompt, charsPerLine(w * 0.88, size), MAX_CAPTION_LINES);
  if (!lines.length) return undefined;
  const lineHeight = Math.round(size * 1.4);
  const pad = Math.round(size * 0.75);
  const bandH = even(lines.length * lineHeight + 2 * pad - (lineHeight - size));
  const files = await writeLineFiles(scratch, 'caption', lines);
  const draws = files.map((file, i) =>
    drawText({ file, font: fonts.text, fontSize: size, x: '(w-text_w)/2', y: pad + i * lineHeight }),
  );
  const still = `${canvas('black@0.5', w, bandH)},${draws.join(',')}`;
  return {
    name: 'caption',
    x: 0,
    y: h - bandH,
    chains: (frames, window) => layerChains('caption', still, frames, window),
  };
}

/** The reference images as framed thumbnails in a row, right-aligned above the caption. */
function stripLayer(spec: BurnInSpec, margin: number, bottom: number): Layer {
  const { width: w, height: h } = spec;
  const short = Math.min(w, h);
  const n = spec.strip.length;
  const border = Math.max(2, even(short * 0.004));
  const gap = even(short * 0.016);
  const aspect = w / h;
  let cellH = even(short * 0.15);
  let cellW = even(cellH * aspect);
  const room = w - 2 * margin;
  if (n * (cellW + 2 * border) + (n - 1) * gap > room) {
    cellW = Math.max(8, even((room - (n - 1) * gap) / n - 2 * border));
    cellH = Math.max(8, even(cellW / aspect));
  }
  const stripW = n * (cellW + 2 * border) + (n - 1) * gap;
  const stripH = cellH + 2 * border;
  const cells = spec.strip.map((input, i) => {
    const spacer = i < n - 1 ? `,pad=iw+${gap}:ih:0:0:color=black@0` : '';
    return (
      [
        `[${input}:v]trim=end_frame=1`,
        'format=rgba',
        `scale=${cellW}:${cellH}:force_original_aspect_ratio=increase:flags=bicubic`,
        `crop=${cellW}:${cellH}`,
        'setsar=1',
        `pad=iw+${2 * border}:ih+${2 * border}:${border}:${border}:color=white@0.85`,
      ].join(',') + `${spacer}[strip_${i}]`
    );
  });
  const row = n === 1 ? '[strip_0]null' : `${cells.map((_, i) => `[strip_${i}]`).join('')}hstack=inputs=${n}`;
  return {
    name: 'strip',
    x: even(w - margin - stripW),
    y: even(h - bottom - gap - stripH),
    chains: (frames, window) => [...cells, ...layerChains('strip', row, frames, window)],
  };
}

function alphaExpr({ show, fade, hide, gone }: Window): string {
  return `if(lt(t,${secs(show + fade)}),(t-${secs(show)})/${secs(fade)},if(lt(t,${secs(hide)}),1,(${secs(gone)}-t)/${secs(fade)}))`;
}

function enableExpr({ show, gone }: Window): string {
  return `between(t,${secs(show)},${secs(gone)})`;
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

function secs(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(6);
}
