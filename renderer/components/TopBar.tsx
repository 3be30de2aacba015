// File, edit, view and run commands, each with its shortcut in the tooltip.
import { useCallback, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { openFilm, saveFilm } from '../actions/files';
import { cancelRun, runFilm } from '../actions/run';
import { openRunWith } from '../actions/run-with';
import { showGallery } from '../actions/templates';
import { redo, selectDirty, undo, useDocument, type DocumentState } from '../stores/document';
import { useFilmStatus } from '../stores/film-status';
import { useRun, type RunState } from '../stores/run';
import { filmGateway, gatewayLabel } from '../model/gateway';
import { useUi, type UiState } from '../stores/ui';
import { ExportMenu } from './ExportMenu';
import { SaveAsMenu } from './SaveAsMenu';
import { useDismiss } from './useDismiss';
import { ViewSwitch } from './ViewSwitch';

const selectDoc = (s: DocumentState) => ({
  name: s.name,
  path: s.path,
  dirty: selectDirty(s),
  canUndo: s.past.length > 0,
  canRedo: s.future.length > 0,
  selected: s.nodes.find((n) => n.selected)?.id,
  gateway: filmGateway(s.extra),
});
const selectRun = (s: RunState) => ({ phase: s.phase });
const selectBar = (s: UiState) => ({
  recent: s.recent,
  provider: s.info?.defaultProvider,
  castOpen: s.castOpen,
});

function pill(film: string | undefined, hostDefault: string | undefined): string {
  const gateway = film ?? hostDefault;
  if (!gateway) return '…';
  const name = gateway === 'animatic' ? 'Animatic · free' : gatewayLabel(gateway);
  return film ? name : `${name} · auto`;
}

export function TopBar() {
  const doc = useDocument(useShallow(selectDoc));
  const run = useRun(useShallow(selectRun));
  const ui = useUi(useShallow(selectBar));
  // The gateway the engine resolves for the film (its own, else the host's default).
  const resolved = useFilmStatus((s) => s.provider);
  const [recentOpen, setRecentOpen] = useState(false);
  const recentAnchor = useRef<HTMLDivElement>(null);
  useDismiss(
    recentOpen,
    useCallback(() => setRecentOpen(false), []),
    recentAnchor,
  );
  const busy = run.phase !== 'idle';
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">◆</span> Shotgraph
      </div>
      <div className="doc-title" title={doc.path ?? 'not saved yet'} data-testid="doc-title">
        <span className="doc-name">{doc.name}</span>
        {doc.dirty && (
          <span
            className="dirty-dot"
            title="unsaved changes"
            data-testid="dirty"
            aria-label="unsaved changes"
          />
        )}
        <span className="doc-path">{doc.path ?? 'unsaved'}</span>
      </div>
      <nav className="toolbar" aria-label="Commands">
        <button
          className="tb"
          onClick={() => showGallery()}
          title="New film: blank or from a template, or a recent film (Ctrl+N: a blank film)"
          data-testid="start"
        >
          New
        </button>
        <button className="tb" onClick={() => void openFilm()} title="Open… (Ctrl+O)" data-testid="open">
          Open
        </button>
        <div className="menu-anchor" ref={recentAnchor}>
          <button
            className="tb"
            onClick={() => setRecentOpen((o) => !o)}
            title="Recent films"
            aria-expanded={recentOpen}
          >
            Recent ▾
          </button>
          {recentOpen && (
            <ul className="menu" onMouseLeave={() => setRecentOpen(false)}>
              {ui.recent.length === 0 && <li className="muted">No recent films</li>}
              {ui.recent.map((f) => (
                <li key={f.path}>
                  <button
                    onClick={() => {
                      setRecentOpen(false);
                      void openFilm(f.path);
                    }}
                  >
                    <span>{f.name}</span>
                    <span className="muted mono">{f.path}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <button className="tb" onClick={() => void saveFilm()} title="Save (Ctrl+S)" data-testid="save">
          Save
        </button>
        <SaveAsMenu />
        <ExportMenu />
        <span className="tb-sep" />
        <button
          className="tb"
          onClick={undo}
          disabled={!doc.canUndo}
          title="Undo (Ctrl+Z)"
          data-testid="undo"
        >
          Undo
        </button>
        <button
          className="tb"
          onClick={redo}
          disabled={!doc.canRedo}
          title="Redo (Ctrl+Shift+Z)"
          data-testid="redo"
        >
          Redo
        </button>
        <span className="tb-sep" />
        <button
          className={`tb ${ui.castOpen ? 'is-on' : ''}`}
          onClick={() => useUi.setState((s) => ({ castOpen: !s.castOpen }))}
          title="The film's cast: characters, props and locations called into prompts as @Name"
          aria-pressed={ui.castOpen}
          data-testid="cast-open"
        >
          Cast
        </button>
        <ViewSwitch />
      </nav>
      <div className="run-group">
        <button
          className="provider-pill"
          onClick={() => useUi.setState({ settingsOpen: true })}
          title="The film's gateway (shots can choose their own); click for gateways, keys and what each can do"
          data-testid="gateway-pill"
        >
          {pill(doc.gateway, resolved || ui.provider)}
        </button>
        {busy ? (
          <button
            className="btn btn-danger"
            onClick={() => void cancelRun()}
            disabled={run.phase === 'cancelling'}
            title="Cancel (Ctrl+.)"
            data-testid="cancel"
          >
            {run.phase === 'cancelling' ? 'Cancelling…' : '■ Cancel'}
          </button>
        ) : (
          <>
            <button
              className="btn"
              onClick={() => doc.selected && void runFilm(doc.selected)}
              disabled={!doc.selected}
              title="Run the selected node and what it needs (Ctrl+Shift+Enter)"
            >
              Run to here
            </button>
            <button
              className="btn"
              onClick={() => void openRunWith()}
              title="The film as a form: its inputs, the estimate, Run and the result"
              data-testid="run-with"
            >
              Run with…
            </button>
            <button
              className="btn btn-primary"
              onClick={() => void runFilm()}
              title="Run the film (Ctrl+Enter)"
              data-testid="run"
            >
              ▶ Run
            </button>
          </>
        )}
      </div>
    </header>
  );
}
