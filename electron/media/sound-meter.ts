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
  const silence = new Float32Array(2 * n); // the same array type as samples: one shape for kFilter
  const out = Array.from({ length: STATE_SIZE }, (_, j) => {
    const st = new Float64Array(2 * STATE_SIZE);
    st[j] = 1;
    const z: [Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n)];
    kFilter(st, silence, n, stages, z);
    return z[0];
  });
  ringing.set(key, out);
  return out;
}
const ringing = new Map<string, Float64Array[]>();

/**
 * `frames` interleaved stereo frames through both stages, direct form I as FFmpeg's ebur128, from
 * and updating the state `st` (left's STATE_SIZE numbers, then right's); the K-weighted samples go
 * to `out`. Both channels in one pass over the samples, their state in locals: this runs over
 * every sample of every clip.
 */
function kFilter(
  st: Float64Array,
  input: Float32Array,
  frames: number,
  [shelf, hp]: [Biquad, Biquad],
  [outL, outR]: [Float64Array, Float64Array],
): void {
  const [sb0, sb1, sb2] = shelf.b;
  const [, sa1, sa2] = shelf.a;
  const [hb0, hb1, hb2] = hp.b;
  const [, ha1, ha2] = hp.a;
  // Read one by one: a destructured typed array keeps the loop's numbers boxed (several times slower).
  let lx1 = st[0]!,
    lx2 = st[1]!,
    ly1 = st[2]!,
    ly2 = st[3]!,
    lz1 = st[4]!,
    lz2 = st[5]!;
  let rx1 = st[6]!,
    rx2 = st[7]!,
    ry1 = st[8]!,
    ry2 = st[9]!,
    rz1 = st[10]!,
    rz2 = st[11]!;
  // Left and right written out side by side on purpose: one pass over the interleaved samples
  // (a per-channel helper would read them twice, the cost this meter was rewritten to remove).
  for (let i = 0; i < frames; i++) {
    const l = input[2 * i]!;
    const ly = l * sb0 + lx1 * sb1 + lx2 * sb2 - ly1 * sa1 - ly2 * sa2;
    const lz = ly * hb0 + ly1 * hb1 + ly2 * hb2 - lz1 * ha1 - lz2 * ha2;
    lx2 = lx1;
    lx1 = l;
    ly2 = ly1;
    ly1 = ly;
    lz2 = lz1;
    lz1 = lz;
    outL[i] = lz;
    const r = input[2 * i + 1]!;
    const ry = r * sb0 + rx1 * sb1 + rx2 * sb2 - ry1 * sa1 - ry2 * sa2;
    const rz = ry * hb0 + ry1 * hb1 + ry2 * hb2 - rz1 * ha1 - rz2 * ha2;
    rx2 = rx1;
    rx1 = r;
    ry2 = ry1;
    ry1 = ry;
    rz2 = rz1;
    rz1 = rz;
    outR[i] = rz;
  }
  st.set([lx1, lx2, ly1, ly2, lz1, lz2, rx1, rx2, ry1, ry2, rz1, rz2]);
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
  /** Left's STATE_SIZE numbers, then right's. */
  private readonly state = new Float64Array(2 * STATE_SIZE);
  private scratch: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  private sum = 0;
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
    return [...this.state];
  }

  /**
   * Interleaved L R L R … samples. Both channels are filtered in one pass, then one more reads the
   * peak and the block sums (a filter pass per channel, then a pass each for the peak and the sums,
   * read the samples four times); each channel's arithmetic is as before, to the bit.
   */
  push(samples: Float32Array): void {
    const frames = samples.length >> 1;
    if (this.scratch[0].length < frames) this.scratch = [new Float64Array(frames), new Float64Array(frames)];
    const [k0, k1] = this.scratch;
    kFilter(this.state, samples, frames, this.stages, this.scratch);
    const { blockSamples, entry, rings } = this;
    let peak = this.samplePeak;
    let sum = this.sum;
    let filled = this.filled;
    let first = this.first;
    for (let i = 0; i < frames; i++) {
      const al = Math.abs(samples[2 * i]!);
      const ar = Math.abs(samples[2 * i + 1]!);
      if (al > peak) peak = al;
      if (ar > peak) peak = ar;
      const a = k0[i]!;
      const b = k1[i]!;
      sum += a * a + b * b;
      // The first block also takes its products with the ringing of each unit of state.
      if (first)
        for (let j = 0; j < STATE_SIZE; j++) {
          const g = rings[j]![filled]!;
          entry[j] = entry[j]! + a * g;
          entry[STATE_SIZE + j] = entry[STATE_SIZE + j]! + b * g;
        }
      if (++filled === blockSamples) {
        this.endBlock(sum);
        sum = 0;
        filled = 0;
        first = false;
      }
    }
    this.first = first;
    this.filled = filled;
    this.sum = sum;
    this.samplePeak = peak;
  }
}
