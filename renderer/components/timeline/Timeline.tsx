// The final cut's timeline, to scale: clips with trim handles, the joins between them (cut,
// crossfade, fade to black), the music bed, the total length, and the timeline's problems inline.
// Every edit changes the final cut's params in the document, so it is undoable and saved.
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { shownCut } from '../../model/film';
import { useDocument, type DocumentState } from '../../stores/document';
import { toggleTimeline } from '../../actions/view';
import { useUi, type UiState } from '../../stores/ui';
import { ClipBlock } from './ClipBlock';
import { ClipFields } from './ClipFields';
import { MusicRow } from './MusicRow';
import { clock, Ruler } from './Ruler';
import { TransitionMarker } from './TransitionMarker';
import { useCutTimeline } from './useCutTimeline';

const selectChosen = (s: UiState) => s.cut;
const selectView = (chosen: string | null) => (s: DocumentState) => ({
  cut: shownCut(s.nodes, chosen),
  selected: s.nodes.filter((n) => n.selected).length === 1 ? (s.nodes.find((n) => n.selected)?.id ?? '') : '',
});

const PPS = { min: 6, max: 240 };

export function Timeline() {
  const chosen = useUi(selectChosen);
  const { cut, selected } = useDocument(useShallow(selectView(chosen)));
  const timeline = useCutTimeline(cut);
  const [zoom, setZoom] = useState<number | null>(null); // null: fit the film to the panel
  const [openJoin, setOpenJoin] = useState<string | null>(null);
  const [width, setWidth] = useState(800);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = panel.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const close = () => toggleTimeline(false);
  const total =
    timeline?.duration ??
    timeline?.clips.reduce((end, c) => Math.max(end, (c.start ?? 0) + (c.duration ?? 5)), 0) ??
    0;
  const fit = Math.min(PPS.max, Math.max(PPS.min, (width - 48) / Math.max(total, 1)));
  const pps = zoom ?? fit;
  const problemOf = (prefix: string) => timeline?.problems.find((p) => p.field?.startsWith(prefix))?.message;
  const focused = timeline?.clips.find((c) => c.nodeId === selected);
  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline" ref={panel}>
      <header className="tl-head">
        <h2>Timeline</h2>
        {cut && <span className="mono muted">{cut}</span>}
        <span className="tl-total" data-testid="tl-total">
          {timeline?.duration !== undefined
            ? `Total ${clock(timeline.duration)}`
            : timeline
              ? 'Total: length unknown'
              : ''}
        </span>
        <span className="grow" />
        {timeline && (
          <span className="tl-zoom">
            <button
              className="icon-btn"
              onClick={() => setZoom(Math.max(PPS.min, pps / 1.5))}
              aria-label="zoom out"
            >
              −
            </button>
            <button className="tb" onClick={() => setZoom(null)} disabled={zoom === null}>
              Fit
            </button>
            <button
              className="icon-btn"
              onClick={() => setZoom(Math.min(PPS.max, pps * 1.5))}
              aria-label="zoom in"
            >
              +
            </button>
          </span>
        )}
        <button className="icon-btn" onClick={close} aria-label="close timeline">
          ×
        </button>
      </header>
      {!timeline && (
        <p className="tl-empty">No final cut yet: add a Final cut node and wire the shots’ videos into it.</p>
      )}
      {timeline && timeline.clips.length === 0 && (
        <p className="tl-empty">The final cut has no clips: wire shots’ videos into its “clips” port.</p>
      )}
      {timeline && timeline.clips.length > 0 && cut && (
        <div className="tl-scroll" onClick={(e) => e.target === e.currentTarget && setOpenJoin(null)}>
          <div className="tl-canvas" style={{ width: total * pps + 40 }}>
            <Ruler total={total} pps={pps} />
            <div className="tl-track" data-testid="tl-track">
              {timeline.clips.map((c) => (
                <ClipBlock
                  key={c.nodeId}
                  cut={cut}
                  clip={c}
                  fps={timeline.fps}
                  pps={pps}
                  selected={c.nodeId === selected}
                  problem={Boolean(problemOf(`clips.${c.nodeId}`))}
                />
              ))}
              {timeline.clips.slice(1).map((c, i) => (
                <TransitionMarker
                  key={`join-${c.nodeId}`}
                  cut={cut}
                  clip={c}
                  prev={timeline.clips[i]!}
                  pps={pps}
                  open={openJoin === c.nodeId}
                  problem={problemOf(`transitions.${c.nodeId}`)}
                  onToggle={() => setOpenJoin((o) => (o === c.nodeId ? null : c.nodeId))}
                />
              ))}
            </div>
            <MusicRow cut={cut} total={total} pps={pps} />
          </div>
        </div>
      )}
      {cut && focused && <ClipFields cut={cut} clip={focused} />}
      {timeline && timeline.problems.length > 0 && (
        <ul className="tl-problems" data-testid="tl-problems">
          {timeline.problems.map((p, i) => (
            <li key={i}>
              <span className="mono">{p.field}</span> {p.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
