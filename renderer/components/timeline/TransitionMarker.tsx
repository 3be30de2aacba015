// The join between two clips: a marker on the timeline that opens a small editor to choose a cut, a
// crossfade or a fade through black, and its length.
import { useLayoutEffect, useRef, useState } from 'react';
import { TRANSITION_SEC, TRANSITION_TYPES } from '../../../shared/nodes/final-cut';
import type { TimelineClip } from '../../../shared/timeline';
import { setTransition } from '../../actions/cut';
import { nestedError, TRANSITION_DEFAULTS, transitionOf } from '../../model/cut-params';
import { useShallow } from 'zustand/react/shallow';
import { useDocument, type DocumentState } from '../../stores/document';
import { CutField, numberField } from '../inspector/CutField';

const NAMES: Record<string, string> = { cut: 'Cut', crossfade: 'Crossfade', fade_black: 'Fade to black' };
const GLYPHS: Record<string, string> = { cut: '|', crossfade: '⨯', fade_black: '◼' };

const selectTransition = (cut: string, clip: string) => (s: DocumentState) => {
  const t = transitionOf(s.nodes.find((n) => n.id === cut)?.data.params ?? {}, clip);
  return { type: t?.type, duration: t?.duration };
};

interface Props {
  cut: string;
  clip: TimelineClip;
  /** Clip before the join, for the editor's title. */
  prev: TimelineClip;
  pps: number;
  open: boolean;
  problem: string | undefined;
  onToggle(): void;
}

export function TransitionMarker({ cut, clip, prev, pps, open, problem, onToggle }: Props) {
  const stored = useDocument(useShallow(selectTransition(cut, clip.nodeId)));
  const type = String(stored.type ?? 'cut');
  const marker = useRef<HTMLButtonElement>(null);
  // The popover floats above the marker, outside the timeline's scrolling strip.
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const start = clip.start ?? 0;
  const span = clip.transition.duration;
  const x = (start + span / 2) * pps;
  useLayoutEffect(() => {
    const r = open ? marker.current?.getBoundingClientRect() : undefined;
    setAt(r ? { x: r.left + r.width / 2, y: r.top } : null);
  }, [open, x]);
  return (
    <>
      {span > 0 && (
        <div
          className={`tl-transition is-${clip.transition.type}`}
          style={{ left: start * pps, width: span * pps }}
          aria-hidden="true"
        />
      )}
      <button
        ref={marker}
        className={`tl-marker is-${type} ${open ? 'is-open' : ''} ${problem ? 'has-problem' : ''}`}
        style={{ left: x }}
        onClick={onToggle}
        title={`${NAMES[type]}${span ? ` · ${span.toFixed(2)} s` : ''} into ${clip.nodeId}: click to change`}
        aria-label={`transition into ${clip.nodeId}`}
        aria-expanded={open}
        data-testid={`tl-marker-${clip.nodeId}`}
      >
        {GLYPHS[type] ?? '|'}
      </button>
      {open && at && (
        <div
          className="tl-popover"
          style={{ left: at.x, top: at.y - 10 }}
          role="dialog"
          aria-label={`Transition into ${clip.nodeId}`}
          data-testid="transition-editor"
        >
          <div className="tl-popover-title">
            <span>
              {prev.label ?? prev.nodeId} → {clip.label ?? clip.nodeId}
            </span>
            <button className="icon-btn" onClick={onToggle} aria-label="close transition">
              ×
            </button>
          </div>
          <div className="segmented" role="radiogroup">
            {TRANSITION_TYPES.map((t) => (
              <button
                key={t}
                role="radio"
                aria-checked={type === t}
                className={type === t ? 'is-on' : ''}
                // The length is stored with the type, so the file says what the film does.
                onClick={() =>
                  setTransition(
                    cut,
                    clip.nodeId,
                    t,
                    t === 'cut' ? undefined : Number(stored.duration ?? TRANSITION_DEFAULTS.duration),
                  )
                }
              >
                {NAMES[t]}
              </button>
            ))}
          </div>
          {type !== 'cut' && (
            <CutField
              cut={cut}
              group="transition"
              name="duration"
              label="Length (s)"
              field={numberField(TRANSITION_SEC.min, TRANSITION_SEC.max)}
              value={stored.duration}
              hint={`${TRANSITION_SEC.min}–${TRANSITION_SEC.max} s; the clips overlap by this much`}
              onChange={(v) => setTransition(cut, clip.nodeId, type, typeof v === 'number' ? v : undefined)}
            />
          )}
          {problem && !nestedError('transition', 'duration', stored.duration) && (
            <div className="field-error" role="alert">
              {problem}
            </div>
          )}
        </div>
      )}
    </>
  );
}
