// What is wrong with a node: its last run's error and the problems found in it. Shown on full and
// light cards alike: trouble must be seen however far out the view is.
import type { NodeRun } from '../stores/run';
import { useProblems } from '../stores/problems';

export interface Issue {
  message: string;
  field?: string | undefined;
}

export function useIssues(id: string, run: NodeRun | undefined): Issue[] {
  const problems = useProblems((s) => s.byNode[id]);
  return [...(run?.error ? [{ message: run.error, field: run.field }] : []), ...(problems ?? [])];
}

export function NodeIssues({ run, issues }: { run: NodeRun | undefined; issues: Issue[] }) {
  if (!issues.length) return null;
  return (
    <ul className="film-node__issues" data-testid="node-issues">
      {issues.slice(0, 3).map((p, i) => (
        <li key={i} className={run?.error && i === 0 ? 'is-error' : ''}>
          {p.field && <b>{p.field}: </b>}
          {p.message}
        </li>
      ))}
      {issues.length > 3 && <li>… {issues.length - 3} more (press P)</li>}
    </ul>
  );
}
