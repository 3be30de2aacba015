// A shot as the storyboard sees it: its scene, the words of the prompt wired into it, its take.
import { useShallow } from 'zustand/react/shallow';
import { setFrozen, setParam, setScene } from '../../actions/nodes';
import { activeTake } from '../../actions/takes';
import { setView } from '../../actions/view';
import { orderedWires } from '../../model/film';
import { useDocument, type DocumentState } from '../../stores/document';
import { useUi } from '../../stores/ui';

const selectStory = (id: string) => (s: DocumentState) => {
  const node = s.nodes.find((n) => n.id === id);
  const promptId = orderedWires(s.edges, id, 'prompt')[0]?.source;
  const prompt = s.nodes.find((n) => n.id === promptId);
  const scenes = new Set<string>();
  for (const n of s.nodes) if (typeof n.data.extra.scene === 'string') scenes.add(n.data.extra.scene);
  return {
    scene: typeof node?.data.extra.scene === 'string' ? node.data.extra.scene : '',
    take: node ? activeTake(node.data.extra) : 1,
    frozen: node?.data.extra.frozen === true,
    promptId: prompt?.data.kind === 'prompt' ? prompt.id : '',
    text: typeof prompt?.data.params.text === 'string' ? prompt.data.params.text : '',
    scenes: [...scenes].sort().join('\n'),
  };
};

export function ShotStory({ id }: { id: string }) {
  const story = useDocument(useShallow(selectStory(id)));
  return (
    <>
      <div className="field">
        <label htmlFor={`scene-${id}`}>Scene</label>
        <input
          id={`scene-${id}`}
          type="text"
          list={`scenes-${id}`}
          value={story.scene}
          maxLength={200}
          placeholder="groups shots on the storyboard"
          onChange={(e) => setScene(id, e.target.value)}
        />
        <datalist id={`scenes-${id}`}>
          {story.scenes
            .split('\n')
            .filter(Boolean)
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      </div>
      {story.promptId && (
        <div className="field">
          <label htmlFor={`prompt-of-${id}`}>
            Prompt <span className="muted mono">{story.promptId}</span>
          </label>
          <textarea
            id={`prompt-of-${id}`}
            rows={4}
            value={story.text}
            maxLength={8000}
            onChange={(e) => setParam(story.promptId, 'text', e.target.value)}
          />
        </div>
      )}
      <div className="take-line">
        <span>
          Take <b>{story.take}</b>
        </span>
        <button
          className="link"
          onClick={() => {
            useUi.setState({ takesOpen: true });
            if (useUi.getState().view === 'graph') setView('split');
          }}
        >
          Takes…
        </button>
      </div>
      <div className="field">
        <label htmlFor={`freeze-${id}`}>Freeze</label>
        <label className="toggle">
          <input
            id={`freeze-${id}`}
            type="checkbox"
            checked={story.frozen}
            onChange={(e) => setFrozen(id, e.target.checked)}
          />
          <span className="toggle-track" />
          <span>{story.frozen ? 'on' : 'off'}</span>
        </label>
        <div className="field-hint">keeps this clip whatever changes upstream; nothing re-renders it</div>
      </div>
    </>
  );
}
