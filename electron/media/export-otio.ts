// The final cut as an OpenTimelineIO file, so an editor can carry on in DaVinci Resolve or Premiere:
// one video track of Clip.2 items referencing the cached clip files, with centred Transition.1
// items where the cut crossfades or fades through black. Times are frames of the clips' own 24 fps.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FPS } from '../../shared/seedance/limits';
import type { Timeline, TimelineClip } from '../../shared/timeline';
import { writeAtomically } from './atomic-output';

type Json = Record<string, unknown>;

const time = (frames: number): Json => ({ OTIO_SCHEMA: 'RationalTime.1', rate: FPS, value: frames });
const range = (start: number, frames: number): Json => ({
  OTIO_SCHEMA: 'TimeRange.1',
  start_time: time(start),
  duration: time(frames),
});

export interface OtioSource {
  /** Clip file of each timeline clip, in order. */
  file: string;
}

/**
 * OTIO document for `timeline` (clip lengths must be known). A transition of d frames is centred on
 * its cut: the outgoing clip's source range stops d/2 before its out point and the incoming one
 * starts d/2 after its in point, the rest being handles the transition plays, so the track's length
 * is the film's.
 */
export function otioTimeline(name: string, timeline: Timeline, sources: OtioSource[]): Json {
  const frames = (sec: number) => Math.round(sec * FPS);
  const split = (c: TimelineClip | undefined) => {
    const d = c ? frames(c.transition.duration) : 0;
    return { before: Math.floor(d / 2), after: d - Math.floor(d / 2) };
  };
  const children: Json[] = [];
  timeline.clips.forEach((c, i) => {
    if (c.out === undefined || c.sourceSec === undefined)
      throw new Error(`the length of "${c.nodeId}" is not known`);
    const into = split(c);
    if (c.transition.type !== 'cut') {
      children.push({
        OTIO_SCHEMA: 'Transition.1',
        metadata: { shotgraph: { type: c.transition.type, duration: c.transition.duration } },
        name: c.transition.type === 'crossfade' ? 'Cross Dissolve' : 'Dip to Black',
        // OTIO knows dissolves; a dip to black is a custom transition an NLE may map to its own.
        transition_type: c.transition.type === 'crossfade' ? 'SMPTE_Dissolve' : 'Custom_Transition',
        in_offset: time(into.before),
        out_offset: time(into.after),
      });
    }
    const start = frames(c.in) + into.before;
    const end = frames(c.out) - split(timeline.clips[i + 1]).before;
    children.push({
      OTIO_SCHEMA: 'Clip.2',
      metadata: {
        shotgraph: {
          node: c.nodeId,
          in: c.in,
          out: c.out,
          start: c.start,
          gain_db: c.gainDb,
          ...(c.label ? { label: c.label } : {}),
          ...(c.scene ? { scene: c.scene } : {}),
          ...(c.prompt ? { prompt: c.prompt } : {}),
        },
      },
      name: c.label ?? c.nodeId,
      source_range: range(start, end - start),
      effects: [],
      markers: [],
      enabled: true,
      media_references: {
        DEFAULT_MEDIA: {
          OTIO_SCHEMA: 'ExternalReference.1',
          metadata: {},
          name: c.nodeId,
          available_range: range(0, frames(c.sourceSec)),
          available_image_bounds: null,
          target_url: pathToFileURL(sources[i]!.file).href,
        },
      },
      active_media_reference_key: 'DEFAULT_MEDIA',
    });
  });
  const { music, loudness, preset } = timeline.params;
  return {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: {
      shotgraph: {
        final_cut: timeline.nodeId,
        duration: timeline.duration,
        ...(music ? { music } : {}),
        loudness,
        preset,
      },
    },
    name,
    global_start_time: time(0),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: [
        {
          OTIO_SCHEMA: 'Track.1',
          metadata: {},
          name: 'Video 1',
          source_range: null,
          effects: [],
          markers: [],
          enabled: true,
          children,
          kind: 'Video',
        },
      ],
    },
  };
}

export async function writeOtio(
  out: string,
  name: string,
  timeline: Timeline,
  sources: OtioSource[],
): Promise<void> {
  const text = JSON.stringify(otioTimeline(name, timeline, sources), null, 2) + '\n';
  await mkdir(path.dirname(out), { recursive: true });
  await writeAtomically(out, (tmp) => writeFile(tmp, text, 'utf8'));
}
