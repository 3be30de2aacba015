// The facts ffprobe would give of a plain MP4 (one H.264 picture track, at most one AAC-LC sound track,
// constant frame rate), read from its headers in process: a clip costs a few small reads instead of
// an ffprobe start. Anything this reader does not know to be exact — another codec, a variable frame
// rate, an edit list that moves the picture, a display size unlike the coded one, an implicit SBR
// candidate, sample tables pointing past the end of the file — answers undefined, and the caller
// runs ffprobe as before. test/media/mp4-facts.test.ts holds its answers against ffprobe's.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { parseSps } from './h264-sps';
import type { MediaInfo } from './probe';

/** ffmpeg's name for its MP4/QuickTime demuxer, whatever the brand. */
const MOV_FORMAT = 'mov,mp4,m4a,3gp,3g2,mj2';
/** A header larger than this is not worth reading here (ffprobe copes with it). */
const MAX_MOOV_BYTES = 8 * 1024 * 1024;
/** Core sample rates where an AAC-LC track cannot hide an implicit SBR layer (which doubles it). */
const PLAIN_AAC_RATES = new Set([32000, 44100, 48000]);
const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

class Unknown extends Error {}
/** Gives up on the file: ffprobe will answer for it. */
function unknown(): never {
  throw new Unknown();
}

interface Box {
  type: string;
  /** Payload, without the box header. */
  data: Buffer;
}

/** Child boxes of a payload; a box running past its parent is not a file this reader knows. */
function boxes(data: Buffer, from = 0): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= data.length) {
    let size = data.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > data.length) unknown();
      size = Number(data.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = data.length - at;
    if (size < header || at + size > data.length) unknown();
    out.push({ type: data.toString('latin1', at + 4, at + 8), data: data.subarray(at + header, at + size) });
    at += size;
  }
  if (at !== data.length) unknown();
  return out;
}

function only(list: Box[], type: string): Box {
  const found = list.filter((b) => b.type === type);
  if (found.length !== 1) unknown();
  return found[0]!;
}

const optional = (list: Box[], type: string): Box | undefined => list.find((b) => b.type === type);

/** Facts of `file` read from its MP4 headers, or undefined where only ffprobe can say. */
export async function readMp4Facts(file: string): Promise<MediaInfo | undefined> {
  let fh: FileHandle | undefined;
  try {
    // Non-blocking: a FIFO named like a clip must not hang the open; only regular files are read.
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = await fh.stat();
    if (!st.isFile()) return undefined;
    const size = st.size;
    const moov = await findMoov(fh, size);
    return factsOf(moov, size);
  } catch (e) {
    if (e instanceof Unknown || e instanceof RangeError) return undefined;
    throw e;
  } finally {
    await fh?.close();
  }
}

/** One top-level box of a file: its type, where it starts, its header's and its whole size. */
interface TopBox {
  type: string;
  at: number;
  header: number;
  size: number;
}

/** The top-level boxes of an open file of `size` bytes, in order; a malformed one gives up. */
async function* topBoxes(fh: FileHandle, size: number): AsyncGenerator<TopBox> {
  const head = Buffer.alloc(16);
  for (let at = 0; at < size;) {
    const { bytesRead } = await fh.read(head, 0, 16, at);
    if (bytesRead < 8) unknown();
    let boxSize = head.readUInt32BE(0);
    let header = 8;
    const type = head.toString('latin1', 4, 8);
    if (boxSize === 1) {
      if (bytesRead < 16) unknown();
      boxSize = Number(head.readBigUInt64BE(8));
      header = 16;
    } else if (boxSize === 0) boxSize = size - at;
    if (boxSize < header || at + boxSize > size) unknown();
    yield { type, at, header, size: boxSize };
    at += boxSize;
  }
}

/** The moov payload, found by walking the top-level boxes; the file must start with ftyp. */
async function findMoov(fh: FileHandle, size: number): Promise<Buffer> {
  let moov: Buffer | undefined;
  let first = true;
  for await (const box of topBoxes(fh, size)) {
    if (first && box.type !== 'ftyp') unknown();
    first = false;
    // Fragments: the headers do not say how long the film is.
    if (box.type === 'moof' || box.type === 'mfra') unknown();
    if (box.type === 'moov') {
      if (moov || box.size - box.header > MAX_MOOV_BYTES) unknown();
      moov = Buffer.alloc(box.size - box.header);
      const { bytesRead: got } = await fh.read(moov, 0, moov.length, box.at + box.header);
      if (got !== moov.length) unknown();
    }
  }
  return moov ?? unknown();
}

/**
 * Whether `file` is an MP4 whose index (moov) comes before its media (mdat), as a faststart file
 * has it: only such a file can be demuxed from a pipe, which gives no way back.
 */
export async function indexBeforeMedia(file: string): Promise<boolean> {
  // Non-blocking, regular files only: a FIFO must not hang the open.
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  if (!fh) return false;
  try {
    const st = await fh.stat();
    if (!st.isFile()) return false;
    for await (const box of topBoxes(fh, st.size)) {
      if (box.type === 'moov') return true;
      if (box.type === 'mdat') return false;
    }
    return false;
  } catch (e) {
    if (e instanceof Unknown || e instanceof RangeError) return false;
    throw e;
  } finally {
    await fh.close();
  }
}

interface Track {
  handler: string;
  timescale: number;
  /** mdhd duration, in the track's timescale. */
  duration: number;
  /** Where the track ends as played (its edit), in its timescale; every track starts at 0. */
  end: number;
  entry: Box;
  /** Every sample's duration is this (one stts entry). */
  sampleDelta: number;
  samples: number;
  tkhd: { width: number; height: number; identity: boolean };
}

function factsOf(moovData: Buffer, fileSize: number): MediaInfo {
  const moov = boxes(moovData);
  if (optional(moov, 'mvex')) unknown();
  const mvhd = only(moov, 'mvhd').data;
  const v1 = mvhd[0] === 1;
  const movieScale = mvhd.readUInt32BE(v1 ? 20 : 12);
  if (!(movieScale > 0)) unknown();
  const tracks = moov.filter((b) => b.type === 'trak').map((t) => track(t, fileSize, movieScale));
  const videos = tracks.filter((t) => t.handler === 'vide');
  const audios = tracks.filter((t) => t.handler === 'soun');
  if (videos.length !== 1 || audios.length > 1 || tracks.length !== videos.length + audios.length) unknown();
  // The film's length is where its longest track ends (not mvhd's figure), in microseconds rounded
  // half up as libavformat does; ffprobe prints six places.
  const micros = Math.max(...tracks.map((t) => Math.round((t.end * 1e6) / t.timescale)));
  const durationSec = Number((micros / 1e6).toFixed(6));
  const info: MediaInfo = { formatName: MOV_FORMAT, durationSec, sizeBytes: fileSize };
  info.video = video(videos[0]!);
  if (audios[0]) info.audio = audio(audios[0]);
  return info;
}

function track(trak: Box, fileSize: number, movieScale: number): Track {
  const kids = boxes(trak.data);
  const tkhd = only(kids, 'tkhd').data;
  const tv1 = tkhd[0] === 1;
  const matrixAt = tv1 ? 52 : 40;
  const matrix = Array.from({ length: 9 }, (_, i) => tkhd.readInt32BE(matrixAt + 4 * i));
  const identity = matrix.join() === [65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30].join();
  const width = tkhd.readUInt32BE(matrixAt + 36) / 65536;
  const height = tkhd.readUInt32BE(matrixAt + 40) / 65536;
  const mdia = boxes(only(kids, 'mdia').data);
  const mdhd = only(mdia, 'mdhd').data;
  const mv1 = mdhd[0] === 1;
  const timescale = mdhd.readUInt32BE(mv1 ? 20 : 12);
  const duration = mv1 ? Number(mdhd.readBigUInt64BE(24)) : mdhd.readUInt32BE(16);
  const handler = only(mdia, 'hdlr').data.toString('latin1', 8, 12);
  if (!(timescale > 0)) unknown();
  if (handler !== 'vide' && handler !== 'soun') return { handler } as Track;
  const stbl = boxes(only(boxes(only(mdia, 'minf').data), 'stbl').data);
  // One sample description: a track that switches codec parameters midway is ffprobe's to describe.
  const stsd = only(stbl, 'stsd').data;
  if (stsd.readUInt32BE(4) !== 1) unknown();
  const entries = boxes(stsd, 8);
  if (entries.length !== 1) unknown();
  const entry = entries[0]!;
  // The picture's frame rate is exact only when every frame lasts the same (one stts entry); the
  // sound's facts do not depend on it (its last packet is usually shorter).
  const stts = only(stbl, 'stts').data;
  const runs = stts.readUInt32BE(4);
  if (runs < 1 || (handler === 'vide' && runs !== 1)) unknown();
  let samples = 0;
  for (let i = 0; i < runs; i++) samples += stts.readUInt32BE(8 + 8 * i);
  const sampleDelta = stts.readUInt32BE(12);
  if (!(samples > 0 && sampleDelta > 0)) unknown();
  checkSamplesInFile(stbl, samples, fileSize);
  const end = playedEnd(kids, handler, timescale, movieScale, duration, firstOffset(stbl));
  return {
    handler,
    timescale,
    duration,
    end,
    entry,
    sampleDelta,
    samples,
    tkhd: { width, height, identity },
  };
}

/** The first sample's composition offset (ctts): how late the first picture shows, B-frames before it. */
function firstOffset(stbl: Box[]): number {
  const ctts = optional(stbl, 'ctts')?.data;
  if (!ctts || ctts.readUInt32BE(4) === 0) return 0;
  return ctts[0] === 1 ? ctts.readInt32BE(12) : ctts.readUInt32BE(12);
}

/**
 * Where a track ends as played, in its timescale; each must start at 0. An edit list that starts a
 * track later or plays part of the picture changes what ffprobe reports, so the edits kept are: one
 * edit over the whole picture track from its first picture (what a muxer writes for B-frames), none
 * on a picture without B-frames, and one edit on the sound (skipping the AAC encoder's priming),
 * whose length is then the edit's.
 */
function playedEnd(
  kids: Box[],
  handler: string,
  timescale: number,
  movieScale: number,
  duration: number,
  firstPicture: number,
) {
  const edts = optional(kids, 'edts');
  if (!edts) {
    if (handler === 'vide' && firstPicture !== 0) unknown(); // starts late by its B-frame delay
    return duration;
  }
  const elst = only(boxes(edts.data), 'elst').data;
  const v1 = elst[0] === 1;
  if (elst.readUInt32BE(4) !== 1) unknown();
  const segment = v1 ? Number(elst.readBigUInt64BE(8)) : elst.readUInt32BE(8);
  const mediaTime = v1 ? Number(elst.readBigInt64BE(16)) : elst.readInt32BE(12);
  const rate = elst.readInt32BE(v1 ? 24 : 16);
  if (rate !== 0x10000) unknown();
  if (handler === 'vide') {
    if (mediaTime !== firstPicture) unknown();
    if (segment !== Math.round((duration * movieScale) / timescale)) unknown();
    return duration;
  }
  if (mediaTime < 0) unknown();
  return Math.round((segment * timescale) / movieScale);
}

/** Every chunk the sample tables name lies inside the file: a cut-short file is left to ffprobe. */
function checkSamplesInFile(stbl: Box[], samples: number, fileSize: number): void {
  const stsz = only(stbl, 'stsz').data;
  const fixed = stsz.readUInt32BE(4);
  const count = stsz.readUInt32BE(8);
  if (count !== samples || (!fixed && 12 + 4 * count > stsz.length)) unknown();
  const stco = optional(stbl, 'stco');
  const co64 = optional(stbl, 'co64');
  if (!!stco === !!co64) unknown();
  const offsets = (stco ?? co64)!.data;
  const chunks = offsets.readUInt32BE(4);
  if (8 + chunks * (stco ? 4 : 8) > offsets.length) unknown();
  const offset = (i: number) =>
    stco ? offsets.readUInt32BE(8 + 4 * i) : Number(offsets.readBigUInt64BE(8 + 8 * i));
  const stsc = only(stbl, 'stsc').data;
  const runs = stsc.readUInt32BE(4);
  if (runs < 1 || 8 + 12 * runs > stsc.length) unknown();
  // Every loop below is bounded by a table's length in the (bounded) header, whatever the counts say.
  let sample = 0;
  for (let r = 0; r < runs; r++) {
    const firstChunk = stsc.readUInt32BE(8 + 12 * r) - 1;
    const perChunk = stsc.readUInt32BE(12 + 12 * r);
    const endChunk = r + 1 < runs ? stsc.readUInt32BE(8 + 12 * (r + 1)) - 1 : chunks;
    if (firstChunk < 0 || endChunk > chunks || endChunk < firstChunk) unknown();
    for (let c = firstChunk; c < endChunk && sample < samples; c++) {
      const n = Math.min(perChunk, samples - sample);
      let end = offset(c) + (fixed ? fixed * n : 0);
      if (!fixed) for (let k = 0; k < n; k++) end += stsz.readUInt32BE(12 + 4 * (sample + k));
      sample += n;
      if (end > fileSize) unknown();
    }
  }
  if (sample !== samples) unknown();
}

function reduce(n: number, d: number): string {
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = gcd(n, d);
  return `${n / g}/${d / g}`;
}

const md5 = (b: Buffer) => `MD5:${createHash('md5').update(b).digest('hex')}`;

function video(t: Track): NonNullable<MediaInfo['video']> {
  if (t.entry.type !== 'avc1') unknown();
  // VisualSampleEntry: 6 reserved + 2 index, 16 predefined, then width, height; child boxes at 78.
  const width = t.entry.data.readUInt16BE(24);
  const height = t.entry.data.readUInt16BE(26);
  const kids = boxes(t.entry.data, 78);
  // A track header that displays another size (or turns the picture) sets its own aspect ratio.
  if (!t.tkhd.identity || t.tkhd.width !== width || t.tkhd.height !== height) unknown();
  const avcC = only(kids, 'avcC').data;
  const sps = parseSps(firstSps(avcC)) ?? unknown();
  // The container's pixel aspect (pasp) wins over the stream's, as in ffprobe.
  const pasp = optional(kids, 'pasp')?.data;
  const [h, v] = pasp ? [pasp.readUInt32BE(0), pasp.readUInt32BE(4)] : [0, 0];
  const sar = h > 0 && v > 0 && h <= 0x7fffffff && v <= 0x7fffffff ? reduce(h, v).replace('/', ':') : sps.sar;
  if (!sar) unknown(); // no ratio anywhere: what ffprobe then says is its own
  if (sps.width !== width || sps.height !== height) unknown();
  const frameRate = reduce(t.timescale, t.sampleDelta);
  return {
    codec: 'h264',
    width,
    height,
    pixFmt: sps.pixFmt,
    fps: t.timescale / t.sampleDelta,
    sar,
    timeBase: `1/${t.timescale}`,
    frames: t.samples,
    profile: sps.profile,
    frameRate,
    streamSec: Number((t.duration / t.timescale).toFixed(6)),
    extradata: md5(avcC),
  };
}

function firstSps(avcC: Buffer): Buffer {
  if (avcC[0] !== 1) unknown();
  const count = avcC[5]! & 0x1f;
  if (count < 1) unknown();
  const len = avcC.readUInt16BE(6);
  if (8 + len > avcC.length) unknown();
  return avcC.subarray(8, 8 + len);
}

function audio(t: Track): NonNullable<MediaInfo['audio']> {
  if (t.entry.type !== 'mp4a') unknown();
  // AudioSampleEntry (version 0): 28 bytes, then child boxes.
  if (t.entry.data.readUInt16BE(8) !== 0) unknown();
  const esds = only(boxes(t.entry.data, 28), 'esds').data;
  const asc = decoderConfig(esds.subarray(4));
  const objectType = asc[0]! >> 3;
  if (objectType !== 2) unknown(); // AAC-LC only
  const rateIndex = ((asc[0]! & 7) << 1) | (asc[1]! >> 7);
  const sampleRate = AAC_RATES[rateIndex] ?? unknown();
  const channels = (asc[1]! >> 3) & 0xf;
  if (!PLAIN_AAC_RATES.has(sampleRate) || (channels !== 1 && channels !== 2)) unknown();
  if ((asc[1]! & 7) !== 0) unknown(); // frame length flag, core coder, extension flag
  if (!(asc.length === 2 || saysNoSbr(asc))) unknown();
  return {
    codec: 'aac',
    sampleRate,
    channels,
    channelLayout: channels === 1 ? 'mono' : 'stereo',
    profile: 'LC',
    extradata: md5(asc),
  };
}

/**
 * The 5-byte form FFmpeg's encoder writes: the config followed by the SBR sync extension (0x2b7,
 * object type 5) saying SBR is absent — the decoder then never looks for it.
 */
function saysNoSbr(asc: Buffer): boolean {
  if (asc.length !== 5) return false;
  const tail = asc.readUInt32BE(1) & 0x00ffffff; // bits 16–39
  const sync = tail >>> 13;
  const type = (tail >>> 8) & 0x1f;
  const sbr = (tail >>> 7) & 1;
  return sync === 0x2b7 && type === 5 && sbr === 0;
}

/** The DecoderSpecificInfo (AudioSpecificConfig) inside an ES descriptor. */
function decoderConfig(es: Buffer): Buffer {
  let at = 0;
  const descriptor = (): { tag: number; end: number; start: number } => {
    const tag = es[at++] ?? unknown();
    let len = 0;
    for (let i = 0; i < 4; i++) {
      const byte = es[at++] ?? unknown();
      len = (len << 7) | (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    if (at + len > es.length) unknown();
    return { tag, start: at, end: at + len };
  };
  const esd = descriptor();
  if (esd.tag !== 3) unknown();
  const flags = es[at + 2] ?? unknown();
  at += 3;
  if (flags & 0x80) at += 2;
  if (flags & 0x40) at += 1 + (es[at] ?? unknown());
  if (flags & 0x20) at += 2;
  const dcd = descriptor();
  if (dcd.tag !== 4) unknown();
  if (es[at] !== 0x40) unknown(); // MPEG-4 audio
  at += 13;
  const dsi = descriptor();
  if (dsi.tag !== 5 || dsi.end > dcd.end) unknown();
  return es.subarray(dsi.start, dsi.end);
}
