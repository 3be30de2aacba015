// A loudness meter over raw stereo samples: BS.1770's K-weighting (a high shelf, then the RLB
// high-pass) computed as FFmpeg's ebur128 computes it (direct form I in double precision, the same
// coefficients), summed per 100 ms; and the sample peak. What the film's loudness is pooled from
// (pooled-loudness.ts); see docs/loudness.md.

interface Biquad {
  b: [number, number, number];
  a: [number, number, number];
}

/** The two K-weighting stages for `rate` (BS.1770-4, Annex 1, as FFmpeg derives them for any rate). */
export function kWeighting(rate: number): [Biquad, Biquad] {
  let K = Math.tan((Math.PI * 1681.974450955533) / rate);
  const Q1 = 0.7071752369554196;
  const Vh = 10 ** (3.999843853973347 / 20);
  const Vb = Vh ** 0.4996667741545416;
  const a0 = 1 + K / Q1 + K * K;
  const shelf: Biquad = {
    b: [(Vh + (Vb * K) / Q1 + K * K) / a0, (2 * (K * K - Vh)) / a0, (Vh - (Vb * K) / Q1 + K * K) / a0],
    a: [1, (2 * (K * K - 1)) / a0, (1 - K / Q1 + K * K) / a0],
  };
  K = Math.tan((Math.PI * 38.13547087602444) / rate);
  const Q2 = 0.5003270373238773;
  const d = 1 + K / Q2 + K * K;
  const highPass: Biquad = { b: [1, -2, 1], a: [1, (2 * (K * K - 1)) / d, (1 - K / Q2 + K * K) / d] };
  return [shelf, highPass];
}

/** The filter's state per channel: inputs x1 x2, shelf outputs y1 y2, high-pass outputs z1 z2. */
export const STATE_SIZE = 6;

/**
 * What each unit of state (STATE_SIZE of them) rings out over `n` samples of silence: a clip that
 * follows another starts with the other's state, and its K-weighted sound is its own plus this
 * ringing (the filter is linear), so the film's blocks at each cut follow from figures of both.
 */
export function stateRinging(rate: number, n: number): Float64Array[] {
  const key = `${rate}/${n}`;
  const known = ringing.get(key);
  if (known) return known;
  const stages = kWeighting(rate);
  const silence = new Float32Array(n); // the same array type as samples: one shape for kFilter
  const out = Array.from({ length: STATE_SIZE }, (_, j) => {
    const st = new Float64Array(STATE_SIZE);
    st[j] = 1;
    const z = new Float64Array(n);
    kFilter(st, silence, 0, 1, n, stages, z);
    return z;
  });
  ringing.set(key, out);
  return out;
}
const ringing = new Map<string, Float64Array[]>();

/**
 * `count` samples (from `offset`, every `stride`-th) through both stages, direct form I as FFmpeg's
 * ebur128, from and updating the state `st`; the K-weighted samples go to `out`. The state lives in
 * locals inside the loop: this runs over every sample of every clip.
 */
function kFilter(
  st: Float64Array,
  input: Float32Array,
  offset: number,
  stride: number,
  count: number,
  [shelf, hp]: [Biquad, Biquad],
  out: Float64Array,
): void {
  const [sb0, sb1, sb2] = shelf.b;
  const [, sa1, sa2] = shelf.a;
  const [hb0, hb1, hb2] = hp.b;
  const [, ha1, ha2] = hp.a;
  let [x1, x2, y1, y2, z1, z2] = st as unknown as [number, number, number, number, number, number];
  for (let i = 0, at = offset; i < count; i++, at += stride) {
    const x = input[at]!;
    const y = x * sb0 + x1 * sb1 + x2 * sb2 - y1 * sa1 - y2 * sa2;
    const z = y * hb0 + y1 * hb1 + y2 * hb2 - z1 * ha1 - z2 * ha2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    out[i] = z;
  }
  st.set([x1, x2, y1, y2, z1, z2]);
}

/**
 * Meters one clip's interleaved stereo samples, fed in pieces of any size. Each full block of
 * `blockSamples` gives 10·log10 of its K-weighted mean square summed over both channels (null for
 * silence); a last partial block is not a gating block and is left out.
 */
export class SoundMeter {
  readonly blockDb: (number | null)[] = [];
  samplePeak = 0;
  private readonly stages: [Biquad, Biquad];
  /** Per channel, STATE_SIZE numbers. */
  private readonly state = [new Float64Array(6), new Float64Array(6)];
  private sum = 0;
  private scratch: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  private filled = 0;
  /** Per channel and unit of state, Σ output × its ringing over the first block (stateRinging). */
  readonly entry = new Float64Array(2 * STATE_SIZE);
  private readonly rings: Float64Array[];
  private first = true;

  constructor(
    rate: number,
    private readonly blockSamples: number,
  ) {
    this.stages = kWeighting(rate);
    this.rings = stateRinging(rate, blockSamples);
  }

  private endBlock(sum: number): void {
    const energy = sum / this.blockSamples;
    this.blockDb.push(energy > 0 ? Math.round(10 * Math.log10(energy) * 1e6) / 1e6 : null);
  }

  /** The filter's state after the last sample, per channel (what the next clip starts from). */
  exit(): number[] {
    return [...this.state[0]!, ...this.state[1]!];
  }

  /** Interleaved L R L R … samples. */
  push(samples: Float32Array): void {
    const frames = samples.length >> 1;
    if (this.scratch[0].length < frames) this.scratch = [new Float64Array(frames), new Float64Array(frames)];
    const [k0, k1] = this.scratch;
    kFilter(this.state[0]!, samples, 0, 2, frames, this.stages, k0);
    kFilter(this.state[1]!, samples, 1, 2, frames, this.stages, k1);
    let peak = this.samplePeak;
    for (let i = 0; i < frames * 2; i++) {
      const ax = Math.abs(samples[i]!);
      if (ax > peak) peak = ax;
    }
    const { blockSamples, entry, rings } = this;
    let sum = this.sum;
    let filled = this.filled;
    let i = 0;
    // The first block also takes its products with the ringing of each unit of state.
    for (; i < frames && this.first; i++) {
      const a = k0[i]!;
      const b = k1[i]!;
      sum += a * a + b * b;
      for (let j = 0; j < STATE_SIZE; j++) {
        const g = rings[j]![filled]!;
        entry[j] = entry[j]! + a * g;
        entry[STATE_SIZE + j] = entry[STATE_SIZE + j]! + b * g;
      }
      if (++filled === blockSamples) {
        this.endBlock(sum);
        sum = 0;
        filled = 0;
        this.first = false;
      }
    }
    for (; i < frames; i++) {
      const a = k0[i]!;
      const b = k1[i]!;
      sum += a * a + b * b;
      if (++filled === blockSamples) {
        this.endBlock(sum);
        sum = 0;
        filled = 0;
      }
    }
    this.filled = filled;
    this.sum = sum;
    this.samplePeak = peak;
  }
}
