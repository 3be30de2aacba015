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
  const [shelf, hp] = kWeighting(rate);
  const out = Array.from({ length: STATE_SIZE }, (_, j) => {
    const st = new Float64Array(STATE_SIZE);
    st[j] = 1;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = step(st, 0, shelf, hp);
    return z;
  });
  ringing.set(key, out);
  return out;
}
const ringing = new Map<string, Float64Array[]>();

/** One sample through both stages (direct form I, as FFmpeg's ebur128), updating `st`. */
function step(st: Float64Array, x: number, shelf: Biquad, hp: Biquad): number {
  const y =
    x * shelf.b[0] + st[0]! * shelf.b[1] + st[1]! * shelf.b[2] - st[2]! * shelf.a[1] - st[3]! * shelf.a[2];
  const z = y * hp.b[0] + st[2]! * hp.b[1] + st[3]! * hp.b[2] - st[4]! * hp.a[1] - st[5]! * hp.a[2];
  st[1] = st[0]!;
  st[0] = x;
  st[3] = st[2]!;
  st[2] = y;
  st[5] = st[4]!;
  st[4] = z;
  return z;
}

/**
 * Meters one clip's interleaved stereo samples, fed in pieces of any size. Each full block of
 * `blockSamples` gives 10·log10 of its K-weighted mean square summed over both channels (null for
 * silence); a last partial block is not a gating block and is left out.
 */
export class SoundMeter {
  readonly blockDb: (number | null)[] = [];
  samplePeak = 0;
  private readonly shelf: Biquad;
  private readonly hp: Biquad;
  /** Per channel, STATE_SIZE numbers. */
  private readonly state = [new Float64Array(6), new Float64Array(6)];
  private readonly sums = new Float64Array(2);
  private filled = 0;
  /** Per channel and unit of state, Σ output × its ringing over the first block (stateRinging). */
  readonly entry = new Float64Array(2 * STATE_SIZE);
  private readonly rings: Float64Array[];
  private first = true;

  constructor(
    rate: number,
    private readonly blockSamples: number,
  ) {
    [this.shelf, this.hp] = kWeighting(rate);
    this.rings = stateRinging(rate, blockSamples);
  }

  /** The filter's state after the last sample, per channel (what the next clip starts from). */
  exit(): number[] {
    return [...this.state[0]!, ...this.state[1]!];
  }

  /** Interleaved L R L R … samples. */
  push(samples: Float32Array): void {
    const { sums, blockSamples, shelf, hp, entry, rings } = this;
    const [st0, st1] = this.state as [Float64Array, Float64Array];
    let peak = this.samplePeak;
    for (let i = 0; i + 1 < samples.length; i += 2) {
      for (let ch = 0; ch < 2; ch++) {
        const x = samples[i + ch]!;
        const ax = x < 0 ? -x : x;
        if (ax > peak) peak = ax;
        const z = step(ch === 0 ? st0 : st1, x, shelf, hp);
        sums[ch] = sums[ch]! + z * z;
        if (this.first)
          for (let j = 0; j < STATE_SIZE; j++)
            entry[ch * STATE_SIZE + j] = entry[ch * STATE_SIZE + j]! + z * rings[j]![this.filled]!;
      }
      if (++this.filled === blockSamples) {
        const energy = (sums[0]! + sums[1]!) / blockSamples;
        this.blockDb.push(energy > 0 ? Math.round(10 * Math.log10(energy) * 1e6) / 1e6 : null);
        sums[0] = 0;
        sums[1] = 0;
        this.filled = 0;
        this.first = false;
      }
    }
    this.samplePeak = peak;
  }
}
