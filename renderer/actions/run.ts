// Run, Run to here and Cancel. Structural problems are shown before anything is sent; the host
// then validates media and runs the engine, streaming events back.
import { validateStructure } from '../../shared/validate/structure';
import { gatewayProblems } from '../model/gateway';
import { applyRunEvent, useRun } from '../stores/run';
import { revealProblems, setHostProblems, setLive } from '../stores/problems';
import { toast, useUi } from '../stores/ui';
import { host } from '../transport';
import { currentGraph, ensureSaved, reportProblem } from './files';

export async function runFilm(until?: string): Promise<void> {
  if (useRun.getState().phase !== 'idle') return toast('A run is already in progress');
  const graph = currentGraph();
  if (!graph.nodes.length) return toast('Add a shot and a final cut first');
  const problems = validateStructure(graph);
  setLive(problems);
  problems.push(...gatewayProblems(graph, useUi.getState().info?.defaultProvider ?? 'animatic'));
  revealProblems(true);
  if (problems.length) {
    useUi.setState({ problemsOpen: true });
    return toast(`Fix ${problems.length} problem${problems.length > 1 ? 's' : ''} before running`, 'error');
  }
  const path = await ensureSaved('its folder holds the clips');
  if (!path) return;
  setHostProblems([]);
  useRun.setState({
    phase: 'starting',
    until: until ?? null,
    problems: [],
    lastStatus: null,
    startedAt: Date.now(),
    finishedAt: null,
  });
  try {
    const { runId } = await host.call('run.start', {
      path,
      graph: currentGraph(),
      ...(until ? { until } : {}),
    });
    useRun.setState((s) => ({ runId, phase: s.phase === 'starting' ? 'running' : s.phase }));
  } catch (e) {
    useRun.setState({ phase: 'idle', runId: null });
    reportProblem('Could not start the run', e);
  }
}

export async function cancelRun(): Promise<void> {
  const { runId, phase } = useRun.getState();
  if (!runId || phase === 'idle') return;
  useRun.setState({ phase: 'cancelling' });
  await host.call('run.cancel', { runId }).catch((e) => reportProblem('Could not cancel', e));
}

/** Routes pushed run messages into the run store; returns the unsubscribe. */
export function listenToRuns(): () => void {
  return host.subscribe((msg) => {
    if (msg.kind === 'connection') return useUi.setState({ connected: msg.up });
    if (msg.kind !== 'run-event' && msg.kind !== 'run-report') return;
    if (msg.runId !== useRun.getState().runId && useRun.getState().phase !== 'starting') return;
    if (msg.kind === 'run-event') return applyRunEvent(msg.event);
    const r = msg.report;
    const until = useRun.getState().until;
    useRun.setState({
      phase: 'idle',
      runId: null,
      lastStatus: r.status,
      problems: r.problems,
      finishedAt: Date.now(),
      ...(r.output ? { output: r.output } : {}),
    });
    setHostProblems(r.problems, true);
    if (r.status === 'succeeded')
      toast(
        r.output ? `Final cut ready: ${r.output}` : until ? `${until} is ready` : 'Run finished',
        'success',
      );
    else if (r.status === 'invalid') {
      useUi.setState({ problemsOpen: true });
      toast(
        `The film cannot run yet: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`,
        'error',
      );
    } else if (r.status === 'failed')
      toast(
        `The run failed${r.problems[0] ? `: ${r.problems[0].message}` : ' — see the red nodes'}`,
        'error',
      );
    else toast('Run cancelled; finished clips are kept');
  });
}
