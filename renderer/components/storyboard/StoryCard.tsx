// One shot as a storyboard card: poster, place in the film, words, length, status, cost and take.
import { useEffect, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { addShotAfter, placeInCut, selectCard } from '../../actions/storyboard';
import { activeTake } from '../../actions/takes';
import { useTakes } from '../../stores/takes';
import { orderedWires } from '../../model/film';
import { CostLine } from '../../nodes/CostLine';
import { StatusBadge } from '../../nodes/StatusBadge';
import { useNodeStatus } from '../../nodes/useNodeStatus';
import { useDocument, type DocumentState } from '../../stores/document';
import { useUi } from '../../stores/ui';
import { ContinuityBadge } from './ContinuityBadge';
import { Poster } from './Poster';
import { useClipMedia } from './useClipMedia';

const selectCardData = (id: string) => (s: DocumentState) => {
  const n = s.nodes.find((x) => x.id === id);
  const p = n?.data.params ?? {};
  const promptId = orderedWires(s.edges, id, 'prompt')[0]?.source;
  const text = s.nodes.find((x) => x.id === promptId)?.data.params.text;
  return {
    kind: n?.data.kind ?? 'shot',
    label: n?.data.label ?? '',
    selected: Boolean(n?.selected),
    take: n ? activeTake(n.data.extra) : 1,
    prompt: typeof text === 'string' ? text.trim() : '',
    duration: p.duration,
  };
};
const selectTakeCount = (id: string) => (s: { byNode: Record<string, unknown[]> }) =>
  s.byNode[id]?.length ?? 0;

interface Props {
  id: string;
  /** Place in the cut (0-based), or -1 when the shot is in no cut. */
  index: number;
  cut: string | null;
  seconds: number | undefined;
  drop: 'before' | 'after' | null;
  dragging: boolean;
  onPointerDown(e: PointerEvent, id: string): void;
}

export function StoryCard({ id, index, cut, seconds, drop, dragging, onPointerDown }: Props) {
  const card = useDocument(useShallow(selectCardData(id)));
  const takes = useTakes(selectTakeCount(id));
  const { status } = useNodeStatus(id, card.kind);
  const media = useClipMedia(id);
  const self = useRef<HTMLElement>(null);
  // Selected on the canvas: the card comes into view here too.
  useEffect(() => {
    if (card.selected) self.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [card.selected]);
  const { duration } = card;
  const shot = card.kind === 'shot';
  const planned = seconds ?? (typeof duration === 'number' ? duration : undefined);
  const length = planned !== undefined ? `${planned.toFixed(1)} s` : duration === 'auto' ? 'auto' : '';
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      selectCard(id);
    } else if (e.altKey && cut && index >= 0 && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      placeInCut(cut, id, e.key === 'ArrowLeft' ? Math.max(0, index - 1) : index + 2);
    }
  };
  return (
    <article
      ref={self}
      className={`story-card ${card.selected ? 'is-selected' : ''} ${dragging ? 'is-dragging' : ''} ${drop ? `drop-${drop}` : ''} ${index < 0 ? 'is-loose' : ''}`}
      data-testid={`card-${id}`}
      data-card={id}
      data-index={index}
      data-status={status}
      tabIndex={0}
      aria-label={`${index >= 0 ? `Shot ${index + 1} of the cut: ` : ''}${card.label || id}`}
      aria-selected={card.selected}
      onPointerDown={(e) => onPointerDown(e, id)}
      onKeyDown={onKeyDown}
    >
      <div className="story-poster">
        <Poster
          path={media.path}
          base={media.base}
          stale={status === 'stale'}
          empty={shot ? 'not rendered yet' : 'no file'}
        />
        {index >= 0 && <span className="story-index">{index + 1}</span>}
        <span className="story-status">
          <StatusBadge run={undefined} status={status} />
        </span>
        {length && <span className="story-length">{length}</span>}
        {shot && (
          <span className="story-take" title="the take this shot uses">
            take {card.take}
            {takes > 1 ? ` of ${takes}` : ''}
          </span>
        )}
      </div>
      <div className="story-text">
        <div className="story-title">
          <b>{card.label || id}</b>
          {card.label && <span className="mono muted">{id}</span>}
        </div>
        <p className={`story-prompt ${card.prompt ? '' : 'is-empty'}`} title={card.prompt}>
          {card.prompt || (shot ? 'No prompt yet: write one in the inspector' : 'A clip from a file')}
        </p>
        {shot && <ContinuityBadge id={id} />}
        {shot ? (
          <CostLine id={id} className="story-cost" testId="card-cost" />
        ) : (
          <div className="story-cost" title="a video node: nothing to generate" data-testid="card-cost">
            your own clip
          </div>
        )}
        <div className="story-foot">
          {shot && (
            <button
              className="link"
              onClick={() => {
                selectCard(id);
                useUi.setState({ takesOpen: true });
              }}
              data-testid={`takes-${id}`}
            >
              Takes
            </button>
          )}
          <button
            className="link"
            onClick={() => addShotAfter(id, cut)}
            title="A new shot starting on this one's last frame, right after it in the cut"
            data-testid={`add-after-${id}`}
          >
            + Shot after
          </button>
        </div>
      </div>
    </article>
  );
}
