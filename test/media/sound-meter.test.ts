// The loudness meter reads a clip's samples in one pass (both channels' filters, the peak and the
// block sums in one loop) and gives the same figures, to the bit, as the way it measured before: a
// filter pass per channel, then a pass for the peak and one for the sums. Real clip, real ffmpeg.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { kWeighting, SoundMeter, stateRinging, STATE_SIZE } from '../../electron/media/sound-meter';
import { makeClip, tempDir } from '../helpers/media';

const RATE = 48000;
const BLOCK = RATE / 10;

/** The meter as it was: one K-weighting pass per channel, then the peak, then the sums. */
class TwoPassMeter {
  readonly blockDb: (number | null)[] = [];
  samplePeak = 0;
  readonly entry = new Float64Array(2 * STATE_SIZE);
  private readonly stages = kWeighting(RATE);
  private readonly rings = stateRinging(RATE, BLOCK);
  private readonly state = [new Float64Array(STATE_SIZE), new Float64Array(STATE_SIZE)];
  private sum = 0;
  private filled = 0;
  private first = true;

  exit(): number[] {
    return [...this.state[0]!, ...this.state[1]!];
  }

  private channel(ch: number, samples: Float32Array, frames: number): Float64Array {
    const [shelf, hp] = this.stages;
    const st = this.state[ch]!;
    const out = new Float64Array(frames);
    let [x1, x2, y1, y2, z1, z2] = [...st] as [number, number, number, number, number, number];
    for (let i = 0; i < frames; i++) {
      const x = samples[2 * i + ch]!;
      const y = x * shelf.b[0] + x1 * shelf.b[1] + x2 * shelf.b[2] - y1 * shelf.a[1] - y2 * shelf.a[2];
      const z = y * hp.b[0] + y1 * hp.b[1] + y2 * hp.b[2] - z1 * hp.a[1] - z2 * hp.a[2];
      [x2, x1, y2, y1, z2, z1] = [x1, x, y1, y, z1, z];
      out[i] = z;
    }
    st.set([x1, x2, y1, y2, z1, z2]);
    return out;
  }

  push(samples: Float32Array): void {
    const frames = samples.length >> 1;
    const k0 = this.channel(0, samples, frames);
    const k1 = this.channel(1, samples, frames);
    for (const s of samples) this.samplePeak = Math.max(this.samplePeak, Math.abs(s));
    for (let i = 0; i < frames; i++) {
      const [a, b] = [k0[i]!, k1[i]!];
      this.sum += a * a + b * b;
      if (this.first)
        for (let j = 0; j < STATE_SIZE; j++) {
          this.entry[j] = this.entry[j]! + a * this.rings[j]![this.filled]!;
          this.entry[STATE_SIZE + j] = this.entry[STATE_SIZE + j]! + b * this.rings[j]![this.filled]!;
        }
      if (++this.filled === BLOCK) {
        const energy = this.sum / BLOCK;
        this.blockDb.push(energy > 0 ? Math.round(10 * Math.log10(energy) * 1e6) / 1e6 : null);
        this.sum = 0;
        this.filled = 0;
        this.first = false;
      }
    }
  }
}

let dir = '';
beforeAll(async () => {
  dir = await tempDir('shotgraph-sound-meter-');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A real clip's sound (AAC, decoded by ffmpeg) as interleaved stereo floats. */
async function decodedClip(): Promise<Float32Array> {
  const file = await makeClip(path.join(dir, 'clip.mp4'), { width: 64, height: 36, seconds: 3, toneHz: 523 });
  // Louder in one channel than the other, and noise on top: the channels must not be mixed up.
  const chunks: Buffer[] = [];
  await runFfmpeg(
    [
      ...[
        '-loglevel',
        'error',
        '-i',
        file,
        '-f',
        'lavfi',
        '-i',
        'anoisesrc=color=pink:amplitude=0.2:seed=3:r=48000',
      ],
      ...[
        '-filter_complex',
        '[0:a:0]aformat=channel_layouts=stereo,pan=stereo|c0=c0|c1=0.3*c1[t];[t][1:a]amix=duration=first[a]',
      ],
      ...['-map', '[a]', '-ar', String(RATE), '-ac', '2', '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'],
    ],
    { onData: (c) => chunks.push(Buffer.from(c)) },
  );
  const bytes = Buffer.concat(chunks);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

describe('the loudness meter', () => {
  it('reads both channels in one pass with the figures of a pass per channel, to the bit', async () => {
    const samples = await decodedClip();
    expect(samples.length).toBeGreaterThan(2 * 2.5 * RATE);
    // Pieces of odd sizes, so blocks and the first block's ringing straddle pieces.
    for (const piece of [1001, 4800, 65536]) {
      const one = new SoundMeter(RATE, BLOCK);
      const two = new TwoPassMeter();
      for (let at = 0; at < samples.length; at += 2 * piece) {
        const part = samples.subarray(at, Math.min(samples.length, at + 2 * piece));
        one.push(part);
        two.push(part);
      }
      expect(one.blockDb.length).toBe(Math.floor(samples.length / 2 / BLOCK));
      expect(one.blockDb.some((db) => db !== null)).toBe(true);
      expect(one.blockDb).toEqual(two.blockDb);
      expect(one.samplePeak).toBe(two.samplePeak);
      expect([...one.entry]).toEqual([...two.entry]);
      expect(one.exit()).toEqual(two.exit());
      // The two channels differ: a meter that read one channel twice would not pass the above.
      expect(one.exit().slice(0, STATE_SIZE)).not.toEqual(one.exit().slice(STATE_SIZE));
    }
  });
});
