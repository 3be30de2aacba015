// The clean plate of a shot with no picture of its own: a dusk landscape drawn like a storyboard
// panel (sky, a glow and a low sun at the horizon, a hazy far ridge and a dark near one, both
// pencil-hatched, a vignette), in a hue picked by the shot. It is computed here in plain arithmetic
// and handed to ffmpeg as a PPM, which costs a few milliseconds where a per-pixel ffmpeg expression
// costs seconds. The ridges and hatching give the camera push something to move and continuity
// checks something to compare; there is no text: the plate may open the next shot.
import { writeFile } from 'node:fs/promises';

/** Writes the plate as a binary PPM (P6) of `width`×`height`; returns the file. */
export async function writeCleanPlate(
  file: string,
  width: number,
  height: number,
  seed: string,
): Promise<string> {
  const header = Buffer.from(`P6\n${width} ${height}\n255\n`, 'ascii');
  const pixels = cleanPlatePixels(width, height, seed);
  await writeFile(file, Buffer.concat([header, pixels]));
  return file;
}

type Rgb = [number, number, number];

/** RGB bytes, row by row. Pure and deterministic: the same seed and size give the same bytes. */
export function cleanPlatePixels(width: number, height: number, seed: string): Buffer {
  const hue = hash32(seed) % 360;
  const sky = hslToRgb(hue, 0.32, 0.3);
  const glow = hslToRgb((hue + 25) % 360, 0.45, 0.55);
  const sun = hslToRgb((hue + 30) % 360, 0.6, 0.78);
  const haze = mix(hslToRgb((hue + 200) % 360, 0.15, 0.3), glow, 0.25);
  const near = hslToRgb((hue + 180) % 360, 0.12, 0.1);
  const horizon = 0.62 * height;
  const sunY = horizon * 0.97;
  const far = ridge(width, height, 0.57, [0.035, 0.018, 0.008], `${seed}:far`);
  const close = ridge(width, height, 0.72, [0.045, 0.022, 0.01], `${seed}:near`);
  const sunX = (0.2 + (hash32(`${seed}:sun`) % 600) / 1000) * width;
  const sunR = 0.05 * Math.min(width, height);
  const halo = sunR * 3;
  const cloudCycles = 2 + (hash32(`${seed}:clouds`) % 300) / 100;
  const cloudSlant = 7 + (hash32(`${seed}:slant`) % 500) / 100;
  const cloudShift = (hash32(`${seed}:shift`) % 1000) / 1000;
  // Pencil hatching: one stroke every `step` pixels, diagonal one way on the far ridge and the other
  // on the near one; scaled with the frame so it reads the same at every resolution.
  const step = Math.max(4, Math.round(Math.min(width, height) / 90));
  const pen = Math.max(1, Math.round(Math.min(width, height) / 360));
  const out = Buffer.alloc(width * height * 3);
  // Scalar arithmetic only in the loop: this runs once per pixel (a million times at 720p).
  for (let y = 0; y < height; y++) {
    const t = y < horizon ? Math.pow(y / horizon, 2.2) : 1;
    const airR = sky[0] + (glow[0] - sky[0]) * t;
    const airG = sky[1] + (glow[1] - sky[1]) * t;
    const airB = sky[2] + (glow[2] - sky[2]) * t;
    const vy = y / height - 0.5;
    const dy = y - sunY;
    // Cloud strokes: every other hatching row of the sky, drawn where a slow wave is high.
    const cloudRow = y < horizon * 0.9 && y % (2 * step) < pen;
    const cloudPhase = (y / height) * cloudSlant + cloudShift;
    for (let x = 0; x < width; x++) {
      let r = airR;
      let g = airG;
      let b = airB;
      if (cloudRow && Math.sin(2 * Math.PI * ((x / width) * cloudCycles + cloudPhase)) > 0.35) {
        r += 18;
        g += 18;
        b += 18;
      }
      const dx = x - sunX;
      const d2 = dx * dx + dy * dy;
      if (d2 < halo * halo) {
        const d = Math.sqrt(d2);
        const a = Math.min(1, Math.max(0, sunR - d + 0.5) + 0.35 * (1 - d / halo) ** 2);
        r += (sun[0] - r) * a;
        g += (sun[1] - g) * a;
        b += (sun[2] - b) * a;
      }
      const inFar = coverage(y, far[x]!);
      if (inFar > 0) {
        const k = (x + y) % step < pen ? 0.8 : 1;
        r += (haze[0] * k - r) * inFar;
        g += (haze[1] * k - g) * inFar;
        b += (haze[2] * k - b) * inFar;
      }
      const inNear = coverage(y, close[x]!);
      if (inNear > 0) {
        // On near-black, strokes show as lighter lines.
        const k = (x - y + height * step) % (step - 1) < pen ? 16 : 0;
        r += (near[0] + k - r) * inNear;
        g += (near[1] + k - g) * inNear;
        b += (near[2] + k - b) * inNear;
      }
      const vx = x / width - 0.5;
      const vignette = 1.08 - 0.5 * Math.sqrt(vx * vx + vy * vy);
      const i = (y * width + x) * 3;
      out[i] = clamp(r * vignette);
      out[i + 1] = clamp(g * vignette);
      out[i + 2] = clamp(b * vignette);
    }
  }
  return out;
}

/** Height (pixels from the top) of a ridge line at each column: a few slow sines seeded by `salt`. */
function ridge(width: number, height: number, base: number, amps: number[], salt: string): Float64Array {
  const waves = amps.map((amp, k) => {
    const r = hash32(`${salt}:${k}`);
    return { amp, cycles: 1.2 + k * 2.1 + (r % 100) / 60, phase: ((r >>> 8) % 1000) / 1000 };
  });
  const line = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    let v = base;
    for (const w of waves) v += w.amp * Math.sin(2 * Math.PI * ((x / width) * w.cycles + w.phase));
    line[x] = v * height;
  }
  return line;
}

/** How much of the pixel at row y lies below the ridge (antialiased edge). */
function coverage(y: number, top: number): number {
  return Math.max(0, Math.min(1, y - top + 0.5));
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function clamp(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/** A colour (`0xrrggbb`) whose hue is picked by a text: the same text, the same colour. */
export function colourOf(text: string, saturation: number, lightness: number): string {
  const [r, g, b] = hslToRgb(hash32(text) % 360, saturation, lightness);
  return `0x${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** FNV-1a: tiny, stable across platforms and Node versions. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function hslToRgb(hue: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 60
      ? [c, x, 0]
      : hue < 120
        ? [x, c, 0]
        : hue < 180
          ? [0, c, x]
          : hue < 240
            ? [0, x, c]
            : hue < 300
              ? [x, 0, c]
              : [c, 0, x];
  return [r, g, b].map((v) => Math.round((v + m) * 255)) as Rgb;
}
