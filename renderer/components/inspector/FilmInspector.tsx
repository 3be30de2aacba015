// With nothing selected: the film's name and what it adds up to.
import { useShallow } from 'zustand/react/shallow';
import { renameFilm } from '../../actions/nodes';
import { useDocument, type DocumentState } from '../../stores/document';
import { FilmBudget } from './FilmBudget';

const selectFilm = (s: DocumentState) => {
  const shots = s.nodes.filter((n) => n.data.kind === 'shot');
  return {
    name: s.name,
    path: s.path,
    nodes: s.nodes.length,
    shots: shots.length,
    seconds: shots.reduce(
      (t, n) => t + (typeof n.data.params.duration === 'number' ? n.data.params.duration : 5),
      0,
    ),
  };
};

export function FilmInspector() {
  const film = useDocument(useShallow(selectFilm));
  return (
    <div className="inspector-section">
      <h2>Film</h2>
      <div className="field">
        <label htmlFor="film-name">Name</label>
        <input
          id="film-name"
          type="text"
          value={film.name}
          maxLength={200}
          onChange={(e) => renameFilm(e.target.value)}
        />
      </div>
      <dl className="facts">
        <dt>File</dt>
        <dd className="mono">{film.path ?? 'not saved yet'}</dd>
        <dt>Nodes</dt>
        <dd>{film.nodes}</dd>
        <dt>Shots</dt>
        <dd>
          {film.shots} · {film.seconds} s planned
        </dd>
      </dl>
      <FilmBudget />
      {film.nodes === 0 && (
        <div className="empty-guide">
          <h3>Start a film</h3>
          <ol>
            <li>
              Add a <b>Prompt</b> and a <b>Shot</b>; wire text → prompt.
            </li>
            <li>
              Add more shots; wire one shot’s <b>last frame</b> into the next one’s <b>first frame</b>.
            </li>
            <li>
              Wire every shot’s <b>video</b> into a <b>Final cut</b>, then press <kbd>Ctrl</kbd>+
              <kbd>Enter</kbd>.
            </li>
          </ol>
        </div>
      )}
      <p className="muted">Select a node to edit it.</p>
    </div>
  );
}
