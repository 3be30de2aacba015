// The storyboard: the film's shots as cards in the order of the final cut, grouped by scene, then the
// shots in no cut. Same document and history as the canvas: dragging a card reorders the cut.
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { filmEntries, finalCuts, sceneRuns, shownCut, type FilmEntry } from '../../model/film';
import { useDocument, type DocumentState } from '../../stores/document';
import { useUi, type UiState } from '../../stores/ui';
import { useCutTimeline } from '../timeline/useCutTimeline';
import { StoryCard } from './StoryCard';
import { TakesDrawer } from './TakesDrawer';
import { useCardDrag, type CardDrag } from './useCardDrag';

const selectChosen = (s: UiState) => s.cut;
const selectCuts = (s: DocumentState) => finalCuts(s.nodes);
/** The cut shown, then one line per card: id, place in the cut, scene. */
const selectEntries = (chosen: string | null) => (s: DocumentState) => {
  const cut = shownCut(s.nodes, chosen);
  return [cut ?? '', ...filmEntries(s.nodes, s.edges, cut).map((e) => `${e.id}\t${e.index}\t${e.scene}`)];
};

function parse(row: string): FilmEntry {
  const [id = '', index = '-1', scene = ''] = row.split('\t');
  return { id, index: Number(index), scene };
}

/** Which card shows the insertion bar, and on which side; none where the drop changes nothing. */
function dropMark(
  drag: CardDrag | null,
  inCut: FilmEntry[],
): { id: string; side: 'before' | 'after' } | null {
  if (!drag || drag.target === null) return null;
  const from = inCut.findIndex((e) => e.id === drag.id);
  if (from >= 0 && (drag.target === from || drag.target === from + 1)) return null;
  const at = inCut[drag.target];
  if (at) return { id: at.id, side: 'before' };
  const last = inCut[inCut.length - 1];
  return last ? { id: last.id, side: 'after' } : null;
}

export function Storyboard() {
  const chosen = useUi(selectChosen);
  const [cutId = '', ...rows] = useDocument(useShallow(selectEntries(chosen)));
  const cuts = useDocument(useShallow(selectCuts));
  const cut = cutId || null;
  const timeline = useCutTimeline(cut);
  const body = useRef<HTMLDivElement>(null);
  const { drag, onPointerDown } = useCardDrag(cut, body);
  const entries = rows.map(parse);
  const inCut = entries.filter((e) => e.index >= 0);
  const loose = entries.filter((e) => e.index < 0);
  const scenes = entries.some((e) => e.scene);
  const mark = dropMark(drag, inCut);
  const seconds = new Map(timeline?.clips.map((c) => [c.nodeId, c.duration]) ?? []);
  const card = (e: FilmEntry) => (
    <StoryCard
      key={e.id}
      id={e.id}
      index={e.index}
      cut={cut}
      seconds={seconds.get(e.id)}
      drop={mark?.id === e.id ? mark.side : null}
      dragging={drag?.id === e.id}
      onPointerDown={onPointerDown}
    />
  );
  return (
    <section
      className={`storyboard ${drag ? 'is-dragging' : ''}`}
      aria-label="Storyboard"
      data-testid="storyboard"
    >
      <header className="board-head">
        <h2>Storyboard</h2>
        <span className="muted" data-testid="board-summary">
          {inCut.length} shot{inCut.length === 1 ? '' : 's'} in the cut
          {timeline?.duration !== undefined ? ` · ${timeline.duration.toFixed(1)} s` : ''}
        </span>
        {cuts.length > 1 && (
          <select
            className="board-cut"
            value={cut ?? ''}
            onChange={(e) => useUi.setState({ cut: e.target.value })}
            aria-label="Final cut shown"
          >
            {cuts.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
        <span className="grow" />
        {inCut.length > 1 && <span className="board-hint">Drag a card to move it in the cut</span>}
      </header>
      <div className="board-body" ref={body}>
        {entries.length === 0 && (
          <p className="board-empty">
            No shots yet. Add a <b>Shot</b> and a <b>Prompt</b> on the canvas, wire them, and the shot appears
            here.
          </p>
        )}
        {!cut && entries.length > 0 && (
          <p className="board-empty">
            No final cut yet: add a <b>Final cut</b> node and wire shots’ videos into it to set the film’s
            order. Until then the shots are listed as they are.
          </p>
        )}
        {cut && inCut.length === 0 && entries.length > 0 && (
          <div className="board-drop-zone" data-cut-zone>
            Drag shots here to put them in the cut
          </div>
        )}
        {sceneRuns(inCut).map((run, i) => (
          <section className="board-scene" key={`${i}-${run.scene}`}>
            {scenes && <h3>{run.scene || 'No scene'}</h3>}
            <div className="board-grid">{run.entries.map(card)}</div>
          </section>
        ))}
        {loose.length > 0 && (
          <section className="board-scene is-loose" data-testid="board-loose">
            <h3>{cut ? 'Not in the cut' : 'Shots'}</h3>
            <div className="board-grid">{loose.map(card)}</div>
          </section>
        )}
      </div>
      <TakesDrawer />
      {drag && (
        <div className="drag-ghost" style={{ left: drag.x + 14, top: drag.y + 10 }} aria-hidden="true">
          {drag.target === null ? 'Drop on the cut' : `Move ${drag.id}`}
        </div>
      )}
    </section>
  );
}
