// Transitions as filtergraph text: pictures joined by concat (cuts) and xfade (crossfade, fade
// through black), sound by concat and acrossfade with the same overlap in samples, so picture and
// sound stay the same length at every seam.
import type { TransitionType } from '../../shared/nodes/final-cut';

export interface Seam {
  type: TransitionType;
  /** Overlap in the piece's own units (frames for pictures, samples for sound); 0 for a cut. */
  length: number;
}

export interface Chain {
  filters: string[];
  out: string;
}

/**
 * Joins picture pieces (`[label]`s of `frames[i]` frames at `fps`). `seams[i]` is the transition
 * into piece i (seams[0] is ignored). Runs of cuts become one concat. A fade through black fades
 * the outgoing picture to black over the first half and the incoming one up from black over the
 * second, blended by xfade, so the film is black exactly mid-transition and the sound's dip lines up
 * (xfade's own fadeblack is darkest a fifth of the way in).
 */
export function joinPictures(labels: string[], frames: number[], seams: Seam[], fps: number): Chain {
  return join(
    labels,
    frames,
    seams,
    'v',
    (acc, next, accLength, seam, out, tag) => {
      const n = seam.length;
      const sec = (f: number) => (f / fps).toFixed(6);
      const xfade = (a: string, b: string) =>
        `${a}${b}xfade=transition=fade:duration=${sec(n)}:offset=${sec(accLength - n)}${out}`;
      if (seam.type !== 'fade_black') return [xfade(acc, next)];
      const half = Math.floor(n / 2);
      return [
        `${acc}fade=t=out:start_frame=${accLength - n}:nb_frames=${Math.max(1, half)}[${tag}o]`,
        `${next}fade=t=in:start_frame=${half}:nb_frames=${Math.max(1, n - half)}[${tag}i]`,
        xfade(`[${tag}o]`, `[${tag}i]`),
      ];
    },
    `1/${fps}`,
  );
}

/**
 * Joins sound pieces of `samples[i]` samples. A crossfade is equal-power; a fade through black dips:
 * the outgoing sound fades out over the first half, the incoming fades in over the second.
 */
export function joinSounds(labels: string[], samples: number[], seams: Seam[]): Chain {
  return join(labels, samples, seams, 'a', (acc, next, accLength, seam, out, tag) => {
    const n = seam.length;
    if (seam.type !== 'fade_black') return [`${acc}${next}acrossfade=ns=${n}:c1=qsin:c2=qsin${out}`];
    const half = Math.floor(n / 2);
    return [
      `${acc}afade=t=out:start_sample=${accLength - n}:nb_samples=${Math.max(1, half)}[${tag}o]`,
      `${next}afade=t=in:start_sample=${half}:nb_samples=${Math.max(1, n - half)}[${tag}i]`,
      `[${tag}o][${tag}i]acrossfade=ns=${n}:c1=nofade:c2=nofade${out}`,
    ];
  });
}

type Overlap = (
  acc: string,
  next: string,
  accLength: number,
  seam: Seam,
  out: string,
  tag: string,
) => string[];

function join(
  labels: string[],
  lengths: number[],
  seams: Seam[],
  media: 'v' | 'a',
  overlap: Overlap,
  timeBase = '',
): Chain {
  const filters: string[] = [];
  let n = 0;
  const fresh = () => `[j${media}${n++}]`;
  const concat = (parts: string[]): string => {
    if (parts.length === 1) return parts[0]!;
    const out = fresh();
    // concat's pictures come out in microseconds; xfade wants both inputs in the same time base.
    const counts = media === 'v' ? `v=1:a=0,settb=${timeBase}` : 'v=0:a=1';
    filters.push(`${parts.join('')}concat=n=${parts.length}:${counts}${out}`);
    return out;
  };
  let run = [labels[0]!];
  let runLength = lengths[0]!;
  for (let i = 1; i < labels.length; i++) {
    const seam = seams[i]!;
    if (seam.length === 0) {
      run.push(labels[i]!);
      runLength += lengths[i]!;
      continue;
    }
    const acc = concat(run);
    const out = fresh();
    filters.push(...overlap(acc, labels[i]!, runLength, seam, out, out.slice(1, -1)));
    run = [out];
    runLength += lengths[i]! - seam.length;
  }
  return { filters, out: concat(run) };
}
