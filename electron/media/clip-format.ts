// The house clip format (docs/architecture.md §7). Every clip Shotgraph encodes itself (animatics, normalised
// clips for the final cut) uses exactly these settings, so any two of them can be joined with the
// concat demuxer and stream copy: same SPS/PPS, timescale, GOP and audio layout.

export const HOUSE_CLIP = {
  videoCodec: 'h264',
  encoder: 'libx264',
  profile: 'High',
  pixFmt: 'yuv420p',
  fps: 24,
  /** Two seconds: a keyframe at least every 48 frames keeps `-sseof` tail decodes short. */
  gop: 48,
  /** MP4 video timescale; must be identical across clips for a clean stream-copy join. */
  timescale: 12288,
  crf: 20,
  preset: 'veryfast',
  /** Fixed, so the bitstream (and so the decoded frames) does not depend on the machine's core count. */
  threads: 4,
  colour: 'bt709',
  audioCodec: 'aac',
  sampleRate: 48000,
  channels: 2,
  channelLayout: 'stereo',
  audioBitrate: '128k',
} as const;

/** Bumped whenever the args below change, so cached normalised clips are re-made. */
export const HOUSE_FORMAT_VERSION = 2;

/**
 * Encoder and muxer arguments (place after the `-map`s, before the output path). Colour tags are
 * explicit so clips made from PNGs and clips converted from camera files carry identical VUI; the
 * chroma siting too, or a JPEG first frame (centre-sited, as Seedream's keyframes are) adds a chroma
 * location to the SPS and the clip no longer joins the others by stream copy.
 */
export function houseEncoderArgs(): string[] {
  const c = HOUSE_CLIP;
  return [
    ...['-c:v', c.encoder, '-profile:v', c.profile.toLowerCase(), '-pix_fmt', c.pixFmt, '-preset', c.preset],
    ...['-crf', String(c.crf), '-threads:v', String(c.threads)],
    ...['-r', String(c.fps), '-g', String(c.gop), '-keyint_min', String(c.gop), '-sc_threshold', '0'],
    ...['-color_primaries', c.colour, '-color_trc', c.colour, '-colorspace', c.colour, '-color_range', 'tv'],
    ...['-chroma_sample_location', 'left'],
    ...houseAudioEncoderArgs(),
    ...['-video_track_timescale', String(c.timescale), '-movflags', '+faststart'],
    ...['-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact'],
    ...['-flags:v', '+bitexact', '-flags:a', '+bitexact'],
  ];
}

/** Filter that turns RGB or any YUV into the house pixel format with the house colour matrix. */
export function houseVideoFormatFilter(): string {
  return `scale=out_color_matrix=${HOUSE_CLIP.colour}:out_range=tv,format=${HOUSE_CLIP.pixFmt}`;
}

/** The house sound's encoder: every clip's, the final cut's and each of its lanes' (sound-lanes.ts). */
export function houseAudioEncoderArgs(): string[] {
  const c = HOUSE_CLIP;
  return [
    '-c:a',
    c.audioCodec,
    '-b:a',
    c.audioBitrate,
    '-ar',
    String(c.sampleRate),
    '-ac',
    String(c.channels),
  ];
}

/** Filter that turns any audio into the house sample format, rate and layout. */
export function houseAudioFormatFilter(): string {
  const c = HOUSE_CLIP;
  return `aresample=${c.sampleRate},aformat=sample_fmts=fltp:sample_rates=${c.sampleRate}:channel_layouts=${c.channelLayout}`;
}
