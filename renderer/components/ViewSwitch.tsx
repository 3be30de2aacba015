// Graph, split or storyboard: the same film, seen as wiring or as shots; and the timeline dock.
import { useShallow } from 'zustand/react/shallow';
import { setView, toggleTimeline } from '../actions/view';
import { useUi, type StageView, type UiState } from '../stores/ui';

const selectView = (s: UiState) => ({ view: s.view, timeline: s.timelineOpen });

const VIEWS: { view: StageView; name: string; title: string }[] = [
  { view: 'graph', name: 'Graph', title: 'The node graph only (B toggles the storyboard)' },
  { view: 'split', name: 'Split', title: 'Graph and storyboard side by side' },
  { view: 'board', name: 'Storyboard', title: 'The storyboard only' },
];

export function ViewSwitch() {
  const { view, timeline } = useUi(useShallow(selectView));
  return (
    <>
      <div className="segmented view-switch" role="radiogroup" aria-label="View">
        {VIEWS.map((v) => (
          <button
            key={v.view}
            role="radio"
            aria-checked={view === v.view}
            className={view === v.view ? 'is-on' : ''}
            onClick={() => setView(v.view)}
            title={v.title}
            data-testid={`view-${v.view}`}
          >
            {v.name}
          </button>
        ))}
      </div>
      <button
        className={`tb ${timeline ? 'is-on' : ''}`}
        aria-pressed={timeline}
        onClick={() => toggleTimeline()}
        title="The final cut's timeline (T)"
        data-testid="toggle-timeline"
      >
        Timeline
      </button>
    </>
  );
}
