// Right-hand panel: the selected node's params (generated from the registry's schemas), or the
// film's own settings when nothing is selected.
import { useShallow } from 'zustand/react/shallow';
import { makeSequenceFromSelection } from '../../actions/sequences';
import { useDocument, type DocumentState } from '../../stores/document';
import { FilmInspector } from './FilmInspector';
import { NodeInspector } from './NodeInspector';

const selectSelected = (s: DocumentState) => s.nodes.filter((n) => n.selected).map((n) => n.id);

export function Inspector() {
  const selected = useDocument(useShallow(selectSelected));
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      {selected.length === 0 && <FilmInspector />}
      {selected.length === 1 && <NodeInspector key={selected[0]} id={selected[0]!} />}
      {selected.length > 1 && (
        <div className="inspector-section">
          <h2>{selected.length} nodes selected</h2>
          <p className="muted">
            Drag to move them together. Ctrl+D duplicates, Delete removes, Ctrl+C copies.
          </p>
          <button
            className="btn"
            onClick={() => void makeSequenceFromSelection()}
            data-testid="make-sequence"
          >
            Make sequence
          </button>
        </div>
      )}
    </aside>
  );
}
