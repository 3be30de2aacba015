// Where the canvas is: the film, or a sequence inside it; the film's name takes you back out.
import { drillOut } from '../actions/sequences';
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
    </nav>
  );
}
