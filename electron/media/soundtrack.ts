// The film's sound as one filtergraph: each clip's sound cut sample-exactly to its picture (silence
// for a clip without sound), its gain, the transitions, then the music bed. Loudness is applied by
// the caller on `out`, after measuring it (loudness.ts).
import { houseAudioFormatFilter, HOUSE_CLIP } from './clip-format';
import { mixMusicBed, type BedInput } from './music-bed';
import { joinSounds, type Chain, type Seam } from './transition';

export interface ClipSound {
  /** ffmpeg input index of the clip, or undefined when it has no sound (silence is made instead). */
  input: number | undefined;
  /** In and out points in samples at the house rate, in the clip's own time. */
  start: number;
  end: number;
  gainDb: number;
}

export interface SoundPlan {
  clips: ClipSound[];
  /** seams[i] is the transition into clip i, in samples. */
  seams: Seam[];
  bed?: BedInput;
}

export function soundtrack(plan: SoundPlan): Chain & { samples: number } {
  const rate = HOUSE_CLIP.sampleRate;
  const labels = plan.clips.map((_, i) => `[s${i}]`);
  const filters = plan.clips.map((c, i) => {
    const source = c.input !== undefined ? `[${c.input}:a:0]` : `anullsrc=r=${rate}:cl=stereo,`;
    // apad first: a clip whose sound ends early is filled with silence up to its picture's end.
    return (
      [
        `${source}${houseAudioFormatFilter()}`,
        `apad=whole_len=${c.end}`,
        `atrim=start_sample=${c.start}:end_sample=${c.end}`,
        'asetpts=N/SR/TB',
        ...(c.gainDb !== 0 ? [`volume=${c.gainDb}dB`] : []),
      ].join(',') + labels[i]
    );
  });
  const lengths = plan.clips.map((c) => c.end - c.start);
  const joined = joinSounds(labels, lengths, plan.seams);
  filters.push(...joined.filters);
  const samples = lengths.reduce((a, b) => a + b, 0) - plan.seams.slice(1).reduce((a, s) => a + s.length, 0);
  if (!plan.bed) return { filters, out: joined.out, samples };
  const bed = mixMusicBed(joined.out, samples, plan.bed);
  return { filters: [...filters, ...bed.filters], out: bed.out, samples };
}

/**
 * The stretch of a film's sound from sample `from` to `to` as a plan of its own (for a lane of
 * sound-lanes.ts): the clips that overlap it, each cut to its share, and the music bed under that
 * stretch, their inputs numbered from 0 in the order of `inputs` (the original input indices).
 * Clips joined by cuts: a transition mixes two clips, and is not split.
 */
export function soundBetween(
  plan: SoundPlan,
  from: number,
  to: number,
): { plan: SoundPlan; inputs: number[] } {
  if (plan.seams.some((s) => s.length > 0)) throw new Error('only a film of clips joined by cuts is split');
  const clips: ClipSound[] = [];
  const inputs: number[] = [];
  let at = 0;
  for (const c of plan.clips) {
    const length = c.end - c.start;
    const a = Math.max(from, at);
    const b = Math.min(to, at + length);
    if (b > a) {
      const input = c.input === undefined ? undefined : inputs.push(c.input) - 1;
      clips.push({ input, start: c.start + (a - at), end: c.start + (b - at), gainDb: c.gainDb });
    }
    at += length;
  }
  const seams = clips.map(() => ({ type: 'cut' as const, length: 0 }));
  const bed = plan.bed && {
    ...plan.bed,
    input: inputs.push(plan.bed.input) - 1,
    stretch: { from, film: at },
  };
  return { plan: { clips, seams, ...(bed ? { bed } : {}) }, inputs };
}
