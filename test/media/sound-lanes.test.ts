// The final cut's sound encoded in lanes (issue 17): two ffmpegs each encode a stretch, spliced at
// a frame both made alike. The spliced sound must be as true to its source as a single encode,
// everywhere (a splice one frame off, or into an encoder still settling, is tens of dB worse), and
// the film's MP4 must carry it exactly as a single pass does. Real ffmpeg, real sound.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { houseAudioFormatFilter } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { soundBetween } from '../../electron/media/soundtrack';
import {
  AdtsFrames,
  decodedLane,
  AAC_FRAME,
  encodeInLanes,
  laneStarts,
  soundLanes,
  splice,
  streamInLanes,
  windowOf,
} from '../../electron/media/sound-lanes';

const dir = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-sound-lanes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RATE = 48000;
const GRAPH = `[0:a]${houseAudioFormatFilter()}[pcm];[pcm]volume=-3.00dB[a]`;

/** Raw stereo floats from ffmpeg's stdout. */
async function pcmOf(args: string[]): Promise<Float32Array> {
  const chunks: Buffer[] = [];
  await runFfmpeg(['-loglevel', 'error', ...args, '-f', 'f32le', '-ac', '2', '-ar', String(RATE), 'pipe:1'], {
    onData: (c) => chunks.push(Buffer.from(c)),
  });
  const b = Buffer.concat(chunks);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

/**
 * 50 s of sound that works the encoder: a gliding tone on each side, noise, and a click every 1.3 s
 * (clicks make it switch to short windows, so not every frame suits a splice).
 */
async function source(seconds: number): Promise<Buffer> {
  const left = '0.25*sin(2*PI*(220+60*sin(t/3))*t)+0.002*(random(0)-0.5)+0.5*lt(mod(t,1.3),0.003)';
  const right = '0.2*sin(2*PI*(330+40*sin(t/5))*t)+0.002*(random(1)-0.5)';
  const f = await pcmOf(['-f', 'lavfi', '-i', `aevalsrc=exprs='${left}|${right}':s=${RATE}:d=${seconds}`]);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
}

/** The ADTS stream decoded, its priming frame dropped: sample for sample against the source. */
async function decode(aac: Buffer, name: string): Promise<Float32Array> {
  const file = path.join(dir, name);
  writeFileSync(file, aac);
  return (await pcmOf(['-f', 'aac', '-i', file])).subarray(2 * AAC_FRAME);
}

/** Signal-to-noise of `x` against `ref` (×gain) in each window of `n` samples, dB. */
function snrs(x: Float32Array, ref: Float32Array, gain: number, n: number): number[] {
  const out: number[] = [];
  for (let at = 0; at + 2 * n <= ref.length; at += 2 * n) {
    let s = 0;
    let e = 0;
    for (let i = at; i < at + 2 * n; i++) {
      const r = ref[i]! * gain;
      s += r * r;
      e += (x[i]! - r) ** 2;
    }
    out.push(10 * Math.log10(s / Math.max(e, 1e-20)));
  }
  return out;
}

/** `seconds` of the source encoded in one lane: the source, the ADTS stream and its frames. */
async function oneEncode(seconds: number) {
  const src = await source(seconds);
  const aac = await encodeInLanes(src.length / 8, 1, decodedLane(Promise.resolve([src]), GRAPH));
  const whole = new AdtsFrames();
  whole.push(aac);
  return { src, aac, frames: whole.done() };
}

describe('the final cut’s sound in lanes', () => {
  it('two lanes spliced are as true to the source as one encode, at every moment', async () => {
    const src = await source(50);
    const samples = src.length / 8;
    const one = await encodeInLanes(samples, 1, decodedLane(Promise.resolve([src]), GRAPH));
    // The same sound handed over in uneven pieces, as a film's clips are.
    const pieces = [
      src.subarray(0, 8 * 100_003),
      src.subarray(8 * 100_003, 8 * 1_500_000),
      src.subarray(8 * 1_500_000),
    ];
    const two = await encodeInLanes(samples, 2, decodedLane(Promise.resolve(pieces), GRAPH));
    const ref = new Float32Array(src.buffer, src.byteOffset, src.length / 4);
    const gain = 10 ** (-3 / 20);
    const [a, b] = [await decode(one, 'one.aac'), await decode(two, 'two.aac')];
    expect(b.length).toBe(a.length);
    expect(b.length).toBeGreaterThanOrEqual(ref.length);
    // In 1,024-sample windows: a lane kept before its encoder settled is ~20 dB worse for ~250
    // frames, a splice a fraction of a frame off is noise from there on. An encoder's choices at a
    // click differ from one encode to another, so single windows are not compared.
    const [sa, sb] = [snrs(a, ref, gain, AAC_FRAME), snrs(b, ref, gain, AAC_FRAME)];
    const mean = (s: number[]) => s.reduce((x, y) => x + y, 0) / s.length;
    const low = (s: number[]) => [...s].sort((x, y) => x - y)[Math.floor(s.length / 20)]!;
    expect(mean(sb)).toBeGreaterThan(mean(sa) - 1);
    expect(low(sb)).toBeGreaterThan(low(sa) - 3);
    // Around the splice (the second lane's share starts at `split`), as close as a single encode.
    const split = laneStarts(samples, 2)[1]!;
    expect(mean(sb.slice(split - 4, split + 70))).toBeGreaterThan(
      mean(sa.slice(split - 4, split + 70)) - 1.5,
    );
    // And not the same bytes: the second half really came from another encoder.
    expect(two.equals(one)).toBe(false);
  });

  it('passes the sound on as the lanes make it, the bytes they make together; stopped, stops them', async () => {
    const src = await source(50);
    const samples = src.length / 8;
    const lane = decodedLane(Promise.resolve([src]), GRAPH);
    const whole = await encodeInLanes(samples, 2, lane);
    let made = 0;
    const at: number[] = [];
    const chunks: Buffer[] = [];
    for await (const chunk of streamInLanes(samples, 2, lane, { onProgress: (f) => (made = f) })) {
      at.push(made);
      chunks.push(chunk);
    }
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    // The first lane's packets came while the lanes were still encoding, not all at their end.
    expect(chunks.length).toBeGreaterThan(3);
    expect(at[0]).toBeLessThan(0.5);

    // A consumer that stops (the muxer failed) stops the lanes: 10 minutes they do not finish.
    const live = (globalThis as Record<symbol, Set<unknown>>)[Symbol.for('shotgraph.ffmpeg.children')]!;
    const long = (from: number, to: number) => ({
      inputs: ['-f', 'lavfi', '-i', `aevalsrc=exprs='0.1*sin(2*PI*440*t)':s=${RATE}:c=stereo:d=600`],
      graph: `[0:a]atrim=start_sample=${from}:end_sample=${to},${houseAudioFormatFilter()}[a]`,
    });
    made = 0;
    for await (const chunk of streamInLanes(600 * RATE, 2, long, { onProgress: (f) => (made = f) })) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    for (let i = 0; i < 200 && live.size > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(live.size).toBe(0);
    expect(made).toBeLessThan(0.5);
  });

  it('reads ADTS frames whole from any chunking, and the window kind of each', async () => {
    const { src, aac, frames } = await oneEncode(4);
    expect(frames.length).toBe(Math.ceil((src.length / 8 + AAC_FRAME) / AAC_FRAME));
    const bits = new AdtsFrames();
    for (let at = 0; at < aac.length; at += 777) bits.push(aac.subarray(at, at + 777));
    expect(bits.done().map((f) => f.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
    // Mostly long windows; the clicks bring some others.
    const kinds = frames.map(windowOf);
    expect(kinds.filter((k) => k?.startsWith('long')).length).toBeGreaterThan(frames.length / 2);
    expect(kinds.some((k) => k !== undefined && !k.startsWith('long'))).toBe(true);
    const cut = new AdtsFrames();
    cut.push(aac.subarray(0, aac.length - 3));
    expect(() => cut.done()).toThrow(/inside a frame/);
    expect(() => new AdtsFrames().push(Buffer.from('not an AAC stream at all'))).toThrow(/frame sync/);
  });

  it('splices where both lanes made a long window, and nowhere else', async () => {
    const { aac, frames } = await oneEncode(2);
    // Every frame turned into an eight-short-windows one (window_sequence 2).
    const short = frames.map((fr) => {
      const c = Buffer.from(fr);
      c[8] = (c[8]! & ~0x60) | (2 << 5);
      return c;
    });
    expect(windowOf(short[5]!)).toMatch(/^seq2/);
    const plan = [
      { from: 0, share: 0, to: 60 },
      { from: 0, share: 10, to: frames.length },
    ];
    // The same stream twice splices back into itself...
    const same = splice([frames, frames], plan);
    expect(same.packets).toBe(frames.length);
    expect(same.bytes.equals(aac)).toBe(true);
    // ...and with no long window anywhere, nowhere.
    expect(() => splice([short, short], plan)).toThrow(/suits a splice/);
  });

  it('gives each lane its stretch of the film as clips cut to it, inputs renumbered', () => {
    const plan = {
      clips: [
        { input: 1, start: 0, end: 1000, gainDb: 0 },
        { input: undefined, start: 0, end: 500, gainDb: 0 },
        { input: 3, start: 200, end: 1200, gainDb: -4 },
      ],
      seams: [0, 1, 2].map(() => ({ type: 'cut' as const, length: 0 })),
    };
    const a = soundBetween(plan, 0, 1300);
    const b = soundBetween(plan, 1100, 2500);
    expect(a.inputs).toEqual([1]);
    expect(a.plan.clips).toEqual([
      { input: 0, start: 0, end: 1000, gainDb: 0 },
      { input: undefined, start: 0, end: 300, gainDb: 0 },
    ]);
    expect(b.inputs).toEqual([3]);
    expect(b.plan.clips).toEqual([
      { input: undefined, start: 100, end: 500, gainDb: 0 },
      { input: 0, start: 200, end: 1200, gainDb: -4 },
    ]);
    const length = (p: typeof a) => p.plan.clips.reduce((n, c) => n + c.end - c.start, 0);
    expect(length(a)).toBe(1300);
    expect(length(b)).toBe(1400);
    // A music bed goes under every stretch: its input after the stretch's clips, cut to it there.
    const bed = {
      input: 4,
      samples: 9000,
      bed: { gain_db: -6, fade_in: 1, fade_out: 2, duck: true, duck_db: 12 },
    };
    const withBed = soundBetween({ ...plan, bed }, 1100, 2500);
    expect(withBed.inputs).toEqual([3, 4]);
    expect(withBed.plan.bed).toEqual({ ...bed, input: 1, stretch: { from: 1100, film: 2500 } });
    expect(() =>
      soundBetween(
        {
          ...plan,
          seams: [
            { type: 'cut', length: 0 },
            { type: 'crossfade', length: 9 },
          ],
        },
        0,
        10,
      ),
    ).toThrow(/cuts/);
  });

  it('uses lanes only for a film long enough, one per core, or as many as asked', () => {
    const s = (sec: number) => sec * RATE;
    expect(soundLanes(s(20), 2)).toBe(1);
    expect(soundLanes(s(100), 2)).toBe(2);
    expect(soundLanes(s(100), 1)).toBe(1);
    expect(soundLanes(s(600), 16)).toBe(4);
    expect(soundLanes(s(31 * 60), 16)).toBe(1); // held in memory until spliced: long films take one pass
    const before = process.env.SHOTGRAPH_SOUND_LANES;
    process.env.SHOTGRAPH_SOUND_LANES = '1';
    try {
      expect(soundLanes(s(100), 2)).toBe(1);
    } finally {
      if (before === undefined) delete process.env.SHOTGRAPH_SOUND_LANES;
      else process.env.SHOTGRAPH_SOUND_LANES = before;
    }
    // Every lane encodes about as many frames.
    const frames = Math.ceil(s(100) / AAC_FRAME);
    const [, second] = laneStarts(s(100), 2);
    expect(Math.abs(second! + 64 - (frames - second! + 512))).toBeLessThanOrEqual(1);
  });
});
