// Run, Run to here and Cancel. Structural problems (and what the engine's film status found for
// this very revision) are shown before anything is sent; the host then validates everything again
// and runs the engine, streaming events back.
import { useDocument } from '../stores/document';
import { useFilmStatus } from '../stores/film-status';
import { applyRunEvent, useRun } from '../stores/run';
import { revealProblems, setHostProblems, setLive, useProblems } from '../stores/problems';
import { toast, useUi } from '../stores/ui';
import { host } from '../transport';
import { refreshFilmStatus } from './film-status';
import { currentGraph, ensureSaved, reportProblem } from './files';
import { structureProblems } from './validation';

/** `values`: Run with… — the film's inputs set for this run only (the host applies them). */
export async function runFilm(until?: string, values?: Record<string, string>): Promise<void> {
  if (useRun.getState().phase !== 'idle') return toast('A run is already in progress');
  const graph = currentGraph();
  if (!graph.nodes.length) return toast('Add a shot and a final cut first');
  const problems = structureProblems(graph);
  setLive(problems);
  if (useFilmStatus.getState().revision === useDocument.getState().revision)
    problems.push(...useProblems.getState().engine);
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
      ...(values && Object.keys(values).length ? { values } : {}),
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

/**
 * Attaches this editor to the newest run of the open film on the host, if any: after a reload,
 * a reopen or a dropped connection it sees the run's progress and its end (runs live on the host,
 * not on a connection). The host pushes `run-attached` and the events so far before anything new.
 */
export async function attachToRun(): Promise<void> {
  const { path } = useDocument.getState();
  const { runId } = useRun.getState();
  if (!path && !runId) return;
  let attached;
  try {
    attached = await host.call('run.attach', runId ? { runId } : { path: path! });
  } catch {
    return; // not connected: the next reconnect tries again
  }
  // The host no longer knows the run this editor waits for (it restarted): stop waiting.
  if (!attached.runId && runId && useRun.getState().runId === runId) {
    useRun.setState({
      phase: 'idle',
      step: null,
      runId: null,
      lastStatus: 'failed',
      finishedAt: Date.now(),
    });
    toast('The run was lost: the Shotgraph server restarted; finished clips are kept', 'error');
    void refreshFilmStatus();
  }
}

/** A finished run attached only to learn how it ended (see listenToRuns). */
let quiet: string | null = null;

/** Routes pushed run messages into the run store; returns the unsubscribe. */
export function listenToRuns(): () => void {
  // A film opened (or reopened after a reload) may be running on the host already.
  const stopDoc = useDocument.subscribe((s, prev) => {
    if (s.path && s.path !== prev.path) void attachToRun();
  });
  const stopHost = host.subscribe((msg) => {
    if (msg.kind === 'connection') {
      useUi.setState({ connected: msg.up });
      if (msg.up) void attachToRun();
      return;
    }
    if (msg.kind === 'run-attached') {
      if (msg.path !== useDocument.getState().path) return; // another film's run
      const own = useRun.getState();
      if (own.runId !== msg.runId && !msg.running) {
        // A run that ended before this editor opened the film: its clips are in the film status;
        // only say how it ended, without replaying it or announcing it again.
        quiet = msg.runId;
        return;
      }
      quiet = null;
      // The events so far follow: start from a clean slate so replaying them is exact.
      useRun.setState({
        runId: msg.runId,
        phase: own.phase === 'cancelling' && msg.running ? 'cancelling' : 'running',
        step: null,
        until: msg.until ?? null,
        nodes: {},
      });
      return;
    }
    if (quiet && 'runId' in msg && msg.runId === quiet) {
      if (msg.kind === 'run-report' && useRun.getState().phase === 'idle')
        useRun.setState({
          lastRunId: msg.runId,
          lastStatus: msg.report.status,
          ...(msg.report.output ? { output: msg.report.output } : {}),
        });
      return;
    }
    if (msg.kind !== 'run-event' && msg.kind !== 'run-report') return;
    if (msg.runId !== useRun.getState().runId && useRun.getState().phase !== 'starting') return;
    if (msg.kind === 'run-event') return applyRunEvent(msg.event);
    const r = msg.report;
    const until = useRun.getState().until;
    useRun.setState({
      phase: 'idle',
      step: null,
      runId: null,
      lastRunId: msg.runId,
      lastStatus: r.status,
      problems: r.problems,
      finishedAt: Date.now(),
      ...(r.output ? { output: r.output } : {}),
    });
    setHostProblems(r.problems, true);
    void refreshFilmStatus();
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
    } else if (r.status === 'awaiting-approval')
      toast(
        `Waiting for approval of ${(r.awaiting ?? []).map((g) => `"${g.gate}" (take ${g.take})`).join(', ')}: look at the take, press Approve on its card, then run again`,
      );
    else if (r.status === 'failed')
      toast(
        `The run failed${r.problems[0] ? `: ${r.problems[0].message}` : ' — see the red nodes'}`,
        'error',
      );
    else toast('Run cancelled; finished clips are kept');
  });
  return () => {
    stopDoc();
    stopHost();
  };
}
