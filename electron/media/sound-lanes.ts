// The final cut's sound encoded in lanes, one per core (docs/architecture.md §7, "Sound in lanes").
// Encoding AAC is the one long step of a cut from house clips (the pictures are copied), and
// ffmpeg's AAC encoder uses one core. Each lane encodes a stretch of the decoded film's sound;
// the stretches overlap, and the streams are spliced at a frame where both lanes' encoders made
// the same kind of frame, so the decoder's overlap-add between the two frames cancels as it does
// inside one stream. A lane starts WARM frames before its share: the encoder's rate control
// settles over its first few seconds, and only settled frames are kept.
import os from 'node:os';
import { HOUSE_CLIP, houseAudioEncoderArgs } from './clip-format';
import { runFfmpeg } from './ffmpeg';

/** Samples per AAC frame (per channel). */
export const AAC_FRAME = 1024;
/** Frames a lane encodes before its share: ffmpeg's encoder reaches its steady quality in ~256. */
const WARM = 512;
/** Frames past its share a lane also encodes: where the splice into the next lane is looked for. */
const SEARCH = 64;
const MAX_LANES = 4;
/**
 * The longest film encoded in lanes: the lanes' streams are held in memory until spliced (about
 * 1 MB a minute at the house bitrate, twice while they are joined), so a longer film takes the
 * single pass and its memory stays flat.
 */
const MAX_SECONDS = 30 * 60;
/** Bytes per sample frame of the decoded sound (interleaved stereo 32-bit floats). */
const SAMPLE_BYTES = 4 * HOUSE_CLIP.channels;

/** No frame of the overlap suits a splice: the caller encodes the sound in one pass instead. */
export class NoSplice extends Error {}

/**
 * Lanes for a sound of `samples`: one per core, each with a share of at least 2 × WARM frames (a
 * shorter film gains too little for the overlap it costs). SHOTGRAPH_SOUND_LANES sets the count.
 * One on Windows, and for a film over half an hour.
 */
export function soundLanes(samples: number, cores = os.availableParallelism()): number {
  // A lane reads its filtergraph on fd 3, which only POSIX children have.
  if (process.platform === 'win32') return 1;
  const forced = Number(process.env.SHOTGRAPH_SOUND_LANES);
  const frames = Math.ceil(samples / AAC_FRAME);
  if (samples > MAX_SECONDS * HOUSE_CLIP.sampleRate) return 1;
  const most = Math.floor(frames / (2 * WARM));
  if (Number.isInteger(forced) && forced >= 1) return Math.max(1, Math.min(forced, MAX_LANES, most));
  return Math.max(1, Math.min(cores, MAX_LANES, most));
}

/**
 * The frame where each lane's share starts. The first lane encodes its share and SEARCH, a middle
 * one WARM, its share and SEARCH, the last WARM and its share: shares are sized so each lane
 * encodes as many frames.
 */
export function laneStarts(samples: number, lanes: number): number[] {
  const frames = Math.ceil(samples / AAC_FRAME);
  const each = (frames + (lanes - 1) * (WARM + SEARCH)) / lanes;
  const starts = [0];
  for (let i = 1; i < lanes; i++) starts.push(Math.round(each - SEARCH + (i - 1) * (each - WARM - SEARCH)));
  return starts;
}

export interface Lane {
  /** Global frame of the lane's first sample. */
  from: number;
  /** Global frame where the lane's share starts (after its warm-up). */
  share: number;
  /** Global frame past the lane's last sample. */
  to: number;
}

function lanesOf(samples: number, lanes: number): Lane[] {
  const frames = Math.ceil(samples / AAC_FRAME);
  const starts = laneStarts(samples, lanes);
  return starts.map((s, i) => ({
    from: i === 0 ? 0 : s - WARM,
    share: s,
    to: i === lanes - 1 ? frames : starts[i + 1]! + SEARCH,
  }));
}

/** What a lane's ffmpeg reads: its inputs, a filtergraph ending in `[a]`, and its stdin if any. */
export interface LaneSource {
  inputs: string[];
  /** As text, or to come (read on fd 3 before the inputs are opened). */
  graph: string | Promise<string>;
  stdin?: Promise<Buffer[]>;
}

/**
 * The film's sound of `samples`, `lanes` ffmpegs at once, each encoding what `source` gives for
 * its stretch (samples `from` to `to`) with the house AAC encoder: the film's ADTS stream, packet
 * for packet where a single encode would have put one (its first packet the encoder's priming).
 */
export async function encodeInLanes(
  samples: number,
  lanes: number,
  source: (from: number, to: number) => LaneSource,
  opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamInLanes(samples, lanes, source, opts)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * As `encodeInLanes`, given as it is made: a lane's packets before the next lane's share can no
 * longer change, so they are passed on while the lanes still encode (the muxer copies the
 * pictures beside them instead of after the last lane). Each splice is made once both of its
 * lanes are past it. Ending the iteration early stops the lanes.
 */
export async function* streamInLanes(
  samples: number,
  lanes: number,
  source: (from: number, to: number) => LaneSource,
  opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): AsyncGenerator<Buffer> {
  const plan = lanesOf(samples, lanes);
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const streams = plan.map(() => new AdtsFrames());
  const finished = plan.map(() => false);
  const total = plan.reduce((n, l) => n + l.to - l.from, 0);
  let wake = () => {};
  let version = 0; // moves on whenever a lane has made more or ended
  const moved = () => {
    version++;
    wake();
  };
  const encoded = plan.map((lane, i) => {
    const src = source(lane.from * AAC_FRAME, Math.min(samples, lane.to * AAC_FRAME));
    const script = typeof src.graph !== 'string';
    return runFfmpeg(
      [
        ...['-loglevel', 'error', script ? '-filter_complex_script' : '-filter_complex'],
        ...[typeof src.graph === 'string' ? src.graph : 'pipe:3', ...src.inputs],
        ...['-map', '[a]', ...houseAudioEncoderArgs()],
        ...['-fflags', '+bitexact', '-flags:a', '+bitexact', '-f', 'adts', 'pipe:1'],
      ],
      {
        signal,
        ...(typeof src.graph === 'string' ? {} : { filterScript: src.graph }),
        ...(src.stdin ? { stdin: src.stdin } : {}),
        mediaSec: ((lane.to - lane.from) * AAC_FRAME) / HOUSE_CLIP.sampleRate,
        onData: (chunk) => {
          streams[i]!.push(chunk);
          opts.onProgress?.(Math.min(1, streams.reduce((n, f) => n + f.count, 0) / total));
          moved();
        },
      },
    ).then(() => {
      streams[i]!.done();
      finished[i] = true;
      moved();
    });
  });
  // One lane failing stops the others: the cut then fails or falls back at once.
  const failed = Promise.all(encoded);
  failed.catch(() => stop.abort());
  /** Resolves once a lane has made more or ended since `seen`; rejects when one failed. */
  const change = (seen: number) =>
    version !== seen
      ? Promise.resolve()
      : Promise.race([new Promise<void>((r) => (wake = r)), failed.then(() => undefined)]);
  try {
    let next = 0; // first global packet not yet given
    for (let i = 0; i < plan.length; i++) {
      const own = streams[i]!;
      const base = plan[i]!.from;
      const last = i === plan.length - 1;
      // Up to the next lane's share, this lane's packets are the film's whatever the splice.
      const safe = last ? Infinity : plan[i + 1]!.share;
      for (;;) {
        const seen = version;
        const ended = finished[i]!;
        const upto = Math.min(base + own.count, safe);
        if (upto > next) yield Buffer.concat(own.frames.slice(next - base, upto - base));
        next = Math.max(next, upto);
        if (ended || upto >= safe) break;
        await change(seen);
      }
      if (last) break;
      const after = streams[i + 1]!;
      while (!finished[i] || !(finished[i + 1] || plan[i + 1]!.from + after.count >= plan[i]!.to))
        await change(version);
      const p = splicePoint(own.frames, after.frames, plan, i);
      if (p > next) yield Buffer.concat(own.frames.slice(next - base, p - base));
      next = p;
    }
    await failed;
    const expected = Math.ceil((samples + AAC_FRAME) / AAC_FRAME);
    if (next !== expected)
      throw new Error(`the film's sound came out of its lanes as ${next} AAC packets, not ${expected}`);
  } finally {
    stop.abort(); // stopped early (the muxer failed, or a splice): no lane runs on
  }
}

/** Decoded sound (interleaved stereo floats at the house rate) on a lane's stdin, as input 0. */
export function decodedLane(pcm: Promise<Buffer[]>, graph: string | Promise<string>) {
  return (from: number, to: number): LaneSource => ({
    inputs: ['-f', 'f32le', '-ar', String(HOUSE_CLIP.sampleRate), '-ac', String(HOUSE_CLIP.channels)].concat([
      '-i',
      'pipe:0',
    ]),
    graph,
    stdin: pcm.then((clips) => slice(clips, from, to)),
  });
}

/**
 * A single encode of `samples` ends on a short packet (its true length, after the priming frame):
 * the lanes' ADTS stream gives every packet a whole frame, so the muxer is told the last one's
 * length, or the film's sound would be listed up to a frame longer than it is.
 */
export function lastPacketFilter(samples: number): string[] {
  const packets = Math.ceil((samples + AAC_FRAME) / AAC_FRAME);
  const left = samples + AAC_FRAME - (packets - 1) * AAC_FRAME;
  return ['-bsf:a', `setts=duration='if(eq(N,${packets - 1}),DURATION*${left}/${AAC_FRAME},DURATION)'`];
}

/** The bytes of `clips` (one buffer after another) from sample `from` to sample `to`, as views. */
function slice(clips: Buffer[], from: number, to: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const c of clips) {
    const n = c.length / SAMPLE_BYTES;
    const a = Math.max(from, at);
    const b = Math.min(to, at + n);
    if (b > a) out.push(c.subarray((a - at) * SAMPLE_BYTES, (b - at) * SAMPLE_BYTES));
    at += n;
  }
  return out;
}

/**
 * The lanes' streams as one. Packet g of a single encode (g = 0 is the priming) decodes to frame
 * g − 1; a lane whose first sample is frame f has it as its packet g − f. The splice from lane i
 * to lane i+1 is at the first packet p past lane i's share where both lanes' packets p − 1 are the
 * same kind of frame (a long window of the same shape, both channels alike) and both packets p are
 * long windows too: lane i+1's packet p was encoded to overlap exactly such a frame.
 */
export function splice(streams: Buffer[][], plan: Lane[]): { bytes: Buffer; packets: number } {
  const kept: Buffer[] = [];
  let next = 0; // first global packet not yet kept
  for (let i = 0; i < streams.length; i++) {
    const own = streams[i]!;
    const base = plan[i]!.from;
    if (i === streams.length - 1) {
      kept.push(...own.slice(next - base));
      break;
    }
    const p = splicePoint(own, streams[i + 1]!, plan, i);
    kept.push(...own.slice(next - base, p - base));
    next = p;
  }
  return { bytes: Buffer.concat(kept), packets: kept.length };
}

/** The global packet where lane `i` (`own`) hands over to lane i + 1 (`after`): see `splice`. */
function splicePoint(own: Buffer[], after: Buffer[], plan: Lane[], i: number): number {
  const base = plan[i]!.from;
  const nextBase = plan[i + 1]!.from;
  for (let g = plan[i + 1]!.share; g < plan[i]!.to - 2; g++) {
    const a0 = own[g - 1 - base];
    const b0 = after[g - 1 - nextBase];
    const a1 = own[g - base];
    const b1 = after[g - nextBase];
    if (!a0 || !b0 || !a1 || !b1) break;
    const w = windowOf(a0);
    if (w && w === windowOf(b0) && w.startsWith('long') && isLong(a1) && isLong(b1)) return g;
  }
  throw new NoSplice(`no frame between lanes ${i + 1} and ${i + 2} suits a splice`);
}

const isLong = (frame: Buffer) => windowOf(frame)?.startsWith('long') ?? false;

/**
 * A stereo frame's window, when both channels share it (a channel pair with a common window):
 * its sequence and shape, or undefined for anything else. ADTS header, 7 bytes (9 with a CRC);
 * then the element's id (3 bits), tag (4), common_window (1), reserved (1), window_sequence (2),
 * window_shape (1).
 */
export function windowOf(frame: Buffer): string | undefined {
  const header = frame[1]! & 1 ? 7 : 9;
  if (frame.length < header + 2) return undefined;
  const bits = frame.readUInt16BE(header);
  const element = bits >> 13;
  const common = (bits >> 8) & 1;
  if (element !== 1 || !common) return undefined;
  const sequence = (bits >> 5) & 3;
  const shape = (bits >> 4) & 1;
  return `${sequence === 0 ? 'long' : `seq${sequence}`}/${shape}`;
}

/** ADTS frames as they come off a pipe, whole. */
export class AdtsFrames {
  readonly frames: Buffer[] = [];
  private carry = Buffer.alloc(0);

  get count(): number {
    return this.frames.length;
  }

  /** Takes a chunk; returns the frames whole so far. */
  push(chunk: Buffer): number {
    let b = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    while (b.length >= 7) {
      if (b[0] !== 0xff || (b[1]! & 0xf0) !== 0xf0) throw new Error('the AAC stream lost its frame sync');
      const length = ((b[3]! & 3) << 11) | (b[4]! << 3) | (b[5]! >> 5);
      if (length < 7) throw new Error('the AAC stream has a frame shorter than its header');
      if (b.length < length) break;
      this.frames.push(Buffer.from(b.subarray(0, length)));
      b = b.subarray(length);
    }
    this.carry = Buffer.from(b);
    return this.frames.length;
  }

  done(): Buffer[] {
    if (this.carry.length) throw new Error('the AAC stream ended inside a frame');
    return this.frames;
  }
}
