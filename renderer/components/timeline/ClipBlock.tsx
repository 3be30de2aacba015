// One clip on the timeline, to scale: its poster, name and length, with handles to trim its in and
// out points by dragging (snapped to whole frames; one drag is one undo step).
import type { PointerEvent } from 'react';
import type { TimelineClip } from '../../../shared/timeline';
import { setClipSetting } from '../../actions/cut';
import { selectCard } from '../../actions/storyboard';
import { Poster } from '../storyboard/Poster';
import { useClipMedia } from '../storyboard/useClipMedia';

interface Props {
  cut: string;
  clip: TimelineClip;
  fps: number;
  pps: number;
  selected: boolean;
  problem: boolean;
}

let drags = 0;
/** Narrower blocks show only their name: a thumbnail there would be noise. */
const THUMB_MIN_PX = 170;

export function ClipBlock({ cut, clip, fps, pps, selected, problem }: Props) {
  const media = useClipMedia(clip.nodeId);
  const frame = 1 / fps;
  const snap = (s: number) => Math.round(s * fps) / fps;
  const trim = (side: 'in' | 'out') => (e: PointerEvent) => {
    if (e.button !== 0 || clip.out === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const from = side === 'in' ? clip.in : clip.out;
    const end = clip.sourceSec ?? clip.out;
    const mark = `trim:${cut}:${clip.nodeId}:${++drags}`;
    const move = (ev: globalThis.PointerEvent) => {
      const t = snap(from + (ev.clientX - startX) / pps);
      if (side === 'in') {
        const v = Math.max(0, Math.min(t, clip.out! - frame));
        setClipSetting(cut, clip.nodeId, 'trim_in', v > 0 ? v : undefined, mark);
      } else {
        const v = Math.min(end, Math.max(t, clip.in + frame));
        setClipSetting(cut, clip.nodeId, 'trim_out', v < end ? v : undefined, mark);
      }
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const width = (clip.duration ?? clip.sourceSec ?? 5) * pps;
  const trimmed =
    clip.in > 0 || (clip.sourceSec !== undefined && clip.out !== undefined && clip.out < clip.sourceSec);
  return (
    <div
      className={`tl-clip ${width >= THUMB_MIN_PX ? 'has-thumb' : ''} ${selected ? 'is-selected' : ''} ${problem ? 'has-problem' : ''} ${clip.duration === undefined ? 'is-unknown' : ''}`}
      style={{ left: (clip.start ?? 0) * pps, width }}
      data-testid={`tl-clip-${clip.nodeId}`}
      onClick={() => selectCard(clip.nodeId)}
      title={`${clip.label ?? clip.nodeId}: ${clip.duration?.toFixed(2) ?? '?'} s${trimmed ? ` (in ${clip.in.toFixed(2)} s, out ${clip.out?.toFixed(2)} s)` : ''}`}
    >
      {width >= THUMB_MIN_PX && <Poster path={media.path} base={media.base} empty="" />}
      <div className="tl-clip-text">
        <b>
          {clip.index + 1} · {clip.label ?? clip.nodeId}
        </b>
        <span>
          {clip.duration !== undefined ? `${clip.duration.toFixed(1)} s` : 'length unknown'}
          {trimmed ? ' · trimmed' : ''}
          {clip.gainDb ? ` · ${clip.gainDb > 0 ? '+' : ''}${clip.gainDb} dB` : ''}
        </span>
      </div>
      {clip.out !== undefined && (
        <>
          <span className="tl-handle is-in" onPointerDown={trim('in')} title="Drag to trim the start" />
          <span className="tl-handle is-out" onPointerDown={trim('out')} title="Drag to trim the end" />
        </>
      )}
    </div>
  );
}
