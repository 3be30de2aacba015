// Bottom line: connection, counts, problems and the run's progress at a glance.
import { useShallow } from 'zustand/react/shallow';
import { FilmCost } from '../nodes/CostLine';
import { useDocument, type DocumentState } from '../stores/document';
import { allProblems, useProblems } from '../stores/problems';
import { useRun, type RunState } from '../stores/run';
import { useUi, type UiState } from '../stores/ui';

const selectCounts = (s: DocumentState) => ({ nodes: s.nodes.length, wires: s.edges.length });
const selectRun = (s: RunState) => {
  const all = Object.values(s.nodes);
  const finished = all.filter((n) =>
    ['succeeded', 'cached', 'failed', 'skipped', 'cancelled'].includes(n.status),
  ).length;
  return {
    phase: s.phase,
    step: s.step,
    finished,
    total: all.length,
    last: s.lastStatus,
    output: s.output,
  };
};
const selectUi = (s: UiState) => ({ connected: s.connected, problemsOpen: s.problemsOpen });

export function StatusBar() {
  const counts = useDocument(useShallow(selectCounts));
  const run = useRun(useShallow(selectRun));
  const ui = useUi(useShallow(selectUi));
  const problems = useProblems((s) => allProblems(s).length);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`conn ${ui.connected ? 'is-up' : 'is-down'}`}>
        {ui.connected ? 'connected' : 'connecting…'}
      </span>
      <span>
        {counts.nodes} nodes · {counts.wires} wires
      </span>
      <button
        className={`status-problems ${problems ? 'has' : ''}`}
        onClick={() => useUi.setState({ problemsOpen: !ui.problemsOpen })}
        title="Problems (P)"
      >
        {problems ? `⚠ ${problems} problem${problems > 1 ? 's' : ''}` : '✓ no problems'}
      </button>
      <span className="grow" />
      <FilmCost />
      <span data-testid="run-status">
        {run.phase !== 'idle'
          ? `${run.phase}${run.step ? ` · ${run.step}` : ''} · ${run.finished}/${run.total} nodes`
          : run.last
            ? `last run: ${run.last === 'awaiting-approval' ? 'waiting for approval' : run.last}`
            : 'not run yet'}
      </span>
      <button className="link" onClick={() => useUi.setState((s) => ({ helpOpen: !s.helpOpen }))}>
        ? shortcuts
      </button>
    </footer>
  );
}
