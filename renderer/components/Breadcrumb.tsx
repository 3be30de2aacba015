// Where the canvas is: the film, or a sequence inside it; the film's name takes you back out. Inside a
// library sequence (read-only) it says why, and offers this instance a copy of its own to edit.
import { copyIntoFilm, drillOut } from '../actions/sequences';
import { useDocument } from '../stores/document';

export function Breadcrumb() {
  const scope = useDocument((s) => s.scope);
  const name = useDocument((s) => s.name);
  if (!scope) return null;
  return (
    <nav className="breadcrumb" aria-label="Where you are" data-testid="breadcrumb">
      <button onClick={drillOut} data-testid="breadcrumb-film" title="Back to the film (Esc)">
        {name}
      </button>
      <span className="muted">›</span>
      <b>{scope.name}</b>
      <span className="muted mono">{scope.instance}</span>
      {scope.library && (
        <span className="breadcrumb-note" data-testid="breadcrumb-library">
          Read-only: kept in <span className="mono">{scope.library}</span> and shared by every film that uses
          it, so a change here would change them all
        </span>
      )}
      {scope.library && (
        <button
          className="btn"
          onClick={copyIntoFilm}
          data-testid="copy-into-film"
          title="Give this instance its own copy of the sequence, kept in this film, to edit"
        >
          Copy into this film
        </button>
      )}
    </nav>
  );
}
