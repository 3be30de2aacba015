// The music bed under the film: its gain, fades and ducking under the shots' own sound. Ducking is a
// sidechain compressor keyed by the shots' mix; its dry/wet `mix` bounds the cut to `duck_db`, since
// a fully compressed bed leaves (1 − mix) of the dry signal.
import type { MusicBed } from '../../shared/nodes/final-cut';
import { houseAudioFormatFilter, HOUSE_CLIP } from './clip-format';
import type { Chain } from './transition';

/** Shot sound above this (−40 dBFS) pulls the bed down; digital silence and hiss do not. */
const DUCK_THRESHOLD = 0.01;

export interface BedInput {
  /** ffmpeg input index of the music file. */
  input: number;
  /** Length of the music file in samples at the house rate. */
  samples: number;
  bed: Omit<MusicBed, 'file' | 'sha256'>;
  /**
   * Under a stretch of the film only (a lane of sound-lanes.ts): its first sample in the film, and
   * the film's whole length. The bed is laid under the whole film as ever, then cut to the stretch.
   */
  stretch?: { from: number; film: number };
}

/**
 * Mixes the bed under `shots` (a `[label]` of `samples` samples: the film, or its stretch); the
 * length is kept. The ducking's compressor remembers only its last 400 ms release, so a stretch's
 * mix settles to the film's long before a lane's warm-up ends.
 */
export function mixMusicBed(shots: string, samples: number, m: BedInput): Chain {
  const rate = HOUSE_CLIP.sampleRate;
  const filmSamples = m.stretch?.film ?? samples;
  const from = m.stretch?.from ?? 0;
  const end = Math.min(m.samples, filmSamples);
  // Fades longer than the bed itself are shortened in proportion, so they still meet.
  let fadeIn = Math.round(m.bed.fade_in * rate);
  let fadeOut = Math.round(m.bed.fade_out * rate);
  if (fadeIn + fadeOut > end) {
    const scale = end / (fadeIn + fadeOut);
    [fadeIn, fadeOut] = [Math.floor(fadeIn * scale), Math.floor(fadeOut * scale)];
  }
  const bed =
    [
      `[${m.input}:a:0]${houseAudioFormatFilter()}`,
      `atrim=end_sample=${end}`,
      'asetpts=N/SR/TB',
      `volume=${m.bed.gain_db}dB`,
      ...(fadeIn > 0 ? [`afade=t=in:start_sample=0:nb_samples=${fadeIn}`] : []),
      ...(fadeOut > 0 ? [`afade=t=out:start_sample=${end - fadeOut}:nb_samples=${fadeOut}`] : []),
      `apad=whole_len=${filmSamples}`,
      ...(m.stretch ? [`atrim=start_sample=${from}:end_sample=${from + samples}`, 'asetpts=N/SR/TB'] : []),
    ].join(',') + '[bed]';
  const mix = (a: string, b: string) => `${a}${b}amix=inputs=2:normalize=0:duration=first[shotsbed]`;
  if (!m.bed.duck || m.bed.duck_db <= 0) return { filters: [bed, mix(shots, '[bed]')], out: '[shotsbed]' };
  const wet = Math.min(0.99, 1 - 10 ** (-m.bed.duck_db / 20));
  return {
    filters: [
      bed,
      `${shots}asplit=2[shotsmix][shotskey]`,
      `[bed][shotskey]sidechaincompress=threshold=${DUCK_THRESHOLD}:ratio=20:attack=20:release=400:mix=${wet.toFixed(4)}[ducked]`,
      mix('[shotsmix]', '[ducked]'),
    ],
    out: '[shotsbed]',
  };
}
