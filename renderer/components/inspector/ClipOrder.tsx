// Order of a final cut's clips: the order of the film. Reordering is an undoable edit.
import { useShallow } from 'zustand/react/shallow';
import { moveWire } from '../../actions/nodes';
import { useDocument, type DocumentState } from '../../stores/document';

const clipsOf = (id: string) => (s: DocumentState) =>
  s.edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.target === id && e.targetHandle === 'clips')
    .sort((a, b) => (a.e.data?.order ?? a.i) - (b.e.data?.order ?? b.i) || a.i - b.i)
    .map(({ e }) => `${e.id}\n${e.source}`);

export function ClipOrder({ id }: { id: string }) {
  const clips = useDocument(useShallow(clipsOf(id)));
  if (!clips.length) return <p className="muted">No clips yet: wire shot videos into “clips”.</p>;
  return (
    <ol className="clip-order">
      {clips.map((c, i) => {
        const [wire, source] = c.split('\n') as [string, string];
        return (
          <li key={wire}>
            <span>{source}</span>
            <button
              className="icon-btn"
              disabled={i === 0}
              onClick={() => moveWire(wire, -1)}
              aria-label={`move ${source} earlier`}
            >
              ↑
            </button>
            <button
              className="icon-btn"
              disabled={i === clips.length - 1}
              onClick={() => moveWire(wire, 1)}
              aria-label={`move ${source} later`}
            >
              ↓
            </button>
          </li>
        );
      })}
    </ol>
  );
}
