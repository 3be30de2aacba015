// What ffprobe reports of an H.264 stream that its sequence parameter set decides: the picture's size
// after cropping, its pixel format (full range included), FFmpeg's profile name and the sample aspect
// ratio. Only what is read exactly is answered; anything else (interlacing, odd chroma depths,
// profiles FFmpeg names otherwise) is undefined, and the caller asks ffprobe.

class Unsupported extends Error {}
function unknown(): never {
  throw new Unsupported();
}

export interface Sps {
  width: number;
  height: number;
  pixFmt: string;
  profile: string;
  /** "n:d", or '' when the stream gives none. */
  sar: string;
}

/** The facts of one SPS NAL unit, or undefined where they are not known exactly. */
export function parseSps(nal: Buffer): Sps | undefined {
  try {
    return readSps(nal);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function reduce(n: number, d: number): string {
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = gcd(n, d);
  return `${n / g}:${d / g}`;
}

/** Reads bits of an SPS, its emulation-prevention bytes removed. */
class Bits {
  private readonly bytes: number[] = [];
  private at = 0;
  constructor(nal: Buffer) {
    for (let i = 0; i < nal.length; i++) {
      if (i >= 2 && nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) continue;
      this.bytes.push(nal[i]!);
    }
  }
  bit(): number {
    const byte = this.bytes[this.at >> 3];
    if (byte === undefined) unknown();
    return (byte >> (7 - (this.at++ & 7))) & 1;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) if (++zeros > 31) unknown();
    return 2 ** zeros - 1 + this.bits(zeros);
  }
  se(): number {
    const k = this.ue();
    return k % 2 ? (k + 1) / 2 : -k / 2;
  }
}

/** FFmpeg's profile names by profile_idc (the intra variants by constraint_set3). */
function profileName(idc: number, flags: number): string {
  const set1 = (flags >> 6) & 1;
  const set3 = (flags >> 4) & 1;
  switch (idc) {
    case 66:
      return set1 ? 'Constrained Baseline' : 'Baseline';
    case 77:
      return 'Main';
    case 100:
      return 'High';
    case 110:
      return set3 ? 'High 10 Intra' : 'High 10';
    case 122:
      return set3 ? 'High 4:2:2 Intra' : 'High 4:2:2';
    case 244:
      return set3 ? 'High 4:4:4 Intra' : 'High 4:4:4 Predictive';
    default:
      return unknown();
  }
}

/** The SAR table of H.264 (Table E-1), index 1–16. */
const SAR_TABLE = [
  [1, 1],
  [12, 11],
  [10, 11],
  [16, 11],
  [40, 33],
  [24, 11],
  [20, 11],
  [32, 11],
  [80, 33],
  [18, 11],
  [15, 11],
  [64, 33],
  [160, 99],
  [4, 3],
  [3, 2],
  [2, 1],
];

function readSps(nal: Buffer): Sps {
  const b = new Bits(nal);
  if ((b.bits(8) & 0x1f) !== 7) unknown();
  const profileIdc = b.bits(8);
  const flags = b.bits(8);
  b.bits(8); // level
  b.ue(); // seq_parameter_set_id
  let chroma = 1;
  let depth = 8;
  if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profileIdc)) {
    chroma = b.ue();
    if (chroma === 3 && b.bit()) unknown(); // separate colour planes
    depth = b.ue() + 8;
    if (b.ue() + 8 !== depth) unknown(); // chroma depth unlike luma
    b.bit(); // qpprime_y_zero_transform_bypass
    if (b.bit()) {
      for (let i = 0; i < (chroma === 3 ? 12 : 8); i++) {
        if (!b.bit()) continue;
        let last = 8;
        let next = 8;
        for (let j = 0; j < (i < 6 ? 16 : 64) && next !== 0; j++) {
          next = (last + b.se() + 256) % 256;
          last = next === 0 ? last : next;
        }
      }
    }
  }
  const profile = profileName(profileIdc, flags);
  b.ue(); // log2_max_frame_num
  const pocType = b.ue();
  if (pocType === 0) b.ue();
  else if (pocType === 1) {
    b.bit();
    b.se();
    b.se();
    const n = b.ue();
    for (let i = 0; i < n; i++) b.se();
  }
  b.ue(); // max_num_ref_frames
  b.bit(); // gaps_in_frame_num_allowed
  const mbWidth = b.ue() + 1;
  const mbHeight = b.ue() + 1;
  if (!b.bit()) unknown(); // frame_mbs_only: interlaced pictures are ffprobe's to describe
  b.bit(); // direct_8x8_inference
  let [cropL, cropR, cropT, cropB] = [0, 0, 0, 0];
  if (b.bit()) [cropL, cropR, cropT, cropB] = [b.ue(), b.ue(), b.ue(), b.ue()];
  const unitX = chroma === 1 || chroma === 2 ? 2 : 1;
  const unitY = chroma === 1 ? 2 : 1;
  const width = mbWidth * 16 - unitX * (cropL + cropR);
  const height = mbHeight * 16 - unitY * (cropT + cropB);
  let sar = '';
  let fullRange = false;
  if (b.bit()) {
    if (b.bit()) {
      const idc = b.bits(8);
      if (idc === 255) {
        const [n, d] = [b.bits(16), b.bits(16)];
        sar = n && d ? reduce(n, d) : '';
      } else if (idc >= 1 && idc <= 16) sar = SAR_TABLE[idc - 1]!.join(':');
      else if (idc !== 0) unknown();
    }
    if (b.bit()) b.bit(); // overscan
    if (b.bit()) {
      b.bits(3); // video_format
      fullRange = b.bit() === 1;
    }
  }
  const formats: Record<string, string> = {
    '1/8': fullRange ? 'yuvj420p' : 'yuv420p',
    '2/8': fullRange ? 'yuvj422p' : 'yuv422p',
    '3/8': fullRange ? 'yuvj444p' : 'yuv444p',
    '1/10': 'yuv420p10le',
    '2/10': 'yuv422p10le',
    '3/10': 'yuv444p10le',
  };
  const pixFmt = formats[`${chroma}/${depth}`] ?? unknown();
  return { width, height, pixFmt, profile, sar };
}
