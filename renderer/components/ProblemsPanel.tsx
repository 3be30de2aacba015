// Every problem of the film in one list; clicking one selects its node and brings it into view.
import { useShallow } from 'zustand/react/shallow';
import { selectOnly } from '../actions/nodes';
import { getFlow } from '../actions/viewport';
import { allProblems, useProblems } from '../stores/problems';
import { useUi } from '../stores/ui';

const selectOpen = (s: { problemsOpen: boolean }) => s.problemsOpen;

function reveal(nodeId: string | undefined) {
  if (!nodeId) return;
  selectOnly(nodeId);
  void getFlow()?.fitView({ nodes: [{ id: nodeId }], duration: 250, maxZoom: 1.1, padding: 0.6 });
}

export function ProblemsPanel() {
  const open = useUi(selectOpen);
  const problems = useProblems(useShallow(allProblems));
  if (!open) return null;
  return (
    <section className="problems-panel" aria-label="Problems" data-testid="problems-panel">
      <header>
        <h3>Problems</h3>
        <button
          className="icon-btn"
          onClick={() => useUi.setState({ problemsOpen: false })}
          aria-label="close problems"
        >
          ×
        </button>
      </header>
      {problems.length === 0 && <p className="muted">Nothing to fix: the film can run.</p>}
      <ul>
        {problems.map((p, i) => (
          <li key={i} onClick={() => reveal(p.nodeId)} className={p.nodeId ? 'is-link' : ''}>
            <span className="mono">{p.nodeId ?? 'film'}</span>
            {p.field && <span className="muted"> · {p.field}</span>}
            <span className="problem-msg">{p.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
