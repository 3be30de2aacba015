// Run with…: the film as an app. Its inputs as a form, the engine's estimate for those values, Run,
// progress and the finished film — without the canvas.
import { memo, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { closeRunWith, estimate, runWithValues } from '../../actions/run-with';
import { cancelRun } from '../../actions/run';
import { useDocument } from '../../stores/document';
import { useRun, type RunState } from '../../stores/run';
import { changedValues, useRunWith, type RunWithState } from '../../stores/run-with';
import { useUi } from '../../stores/ui';
import { host } from '../../transport';
import { InputControl } from './InputControl';

const selectForm = (s: RunWithState) => ({ inputs: s.inputs, values: s.values, problems: s.declProblems });

export function RunWith() {
  const name = useDocument((s) => s.name);
  const form = useRunWith(useShallow(selectForm));
  const finished = useRun((s) => s.finishedAt);
  // A run that ended changed what is cached: ask the engine again.
  useEffect(() => {
    if (finished) void estimate();
  }, [finished]);
  return (
    <section className="app-mode" data-testid="app-mode" aria-label="Run with">
      <header className="gallery-head">
        <h1>{name}</h1>
        <div className="app-run">
          <button
            className="btn"
            onClick={() => useUi.setState({ runWith: false, batchOpen: true })}
            title="One film per row of a CSV of input values"
            data-testid="batch"
          >
            Batch from CSV…
          </button>
          <button
            className="btn"
            onClick={closeRunWith}
            data-testid="run-with-close"
            title="Back to the canvas"
          >
            Back to the canvas
          </button>
        </div>
      </header>
      <div className="app-body">
        <div className="app-form">
          {form.inputs.length === 0 && (
            <p className="muted">
              This film has no inputs yet: in the inspector, turn on “expose as input” for a prompt, a shot’s
              setting or a media file.
            </p>
          )}
          {form.inputs.map((i) => (
            <InputControl key={i.name} input={i} value={form.values[i.name] ?? i.default} />
          ))}
          {form.problems.map((p, n) => (
            <p key={n} className="field-error">
              {p.message}
            </p>
          ))}
        </div>
        <div className="app-side">
          <Estimate />
          <RunBar />
          <Result />
        </div>
      </div>
    </section>
  );
}

const Estimate = memo(function Estimate() {
  const est = useRunWith((s) => s.estimate);
  const busy = useRunWith((s) => s.estimating);
  if (!est) return <p className="muted">Estimating…</p>;
  return (
    <div className="app-estimate" data-testid="app-estimate" aria-busy={busy}>
      <div>
        <b data-testid="app-cost">${est.totalUsd.toFixed(2)}</b>
        <span className="muted">
          {' '}
          · {est.toRun.length} node{est.toRun.length === 1 ? '' : 's'} to render
          {est.unpriced.length ? ` · ${est.unpriced.length} unpriced` : ''}
        </span>
      </div>
      {est.problems.map((p, n) => (
        <p key={n} className="field-error">
          {p.nodeId ? `${p.nodeId}${p.field ? `.${p.field}` : ''}: ` : ''}
          {p.message}
        </p>
      ))}
    </div>
  );
});

const selectRun = (s: RunState) => ({ phase: s.phase, nodes: s.nodes });

const RunBar = memo(function RunBar() {
  const run = useRun(useShallow(selectRun));
  const changed = useRunWith((s) => Object.keys(changedValues(s)).length);
  const blocked = useRunWith((s) => (s.estimate?.problems.length ?? 0) > 0);
  const states = Object.values(run.nodes);
  const done = states.filter((n) => ['succeeded', 'cached', 'failed', 'skipped'].includes(n.status)).length;
  const busy = run.phase !== 'idle';
  return (
    <div className="app-run">
      {busy ? (
        <button className="btn btn-danger" onClick={() => void cancelRun()} data-testid="app-cancel">
          ■ Cancel
        </button>
      ) : (
        <button
          className="btn btn-primary"
          onClick={() => void runWithValues()}
          disabled={blocked}
          data-testid="app-run"
        >
          ▶ Run{changed ? ` with ${changed} change${changed === 1 ? '' : 's'}` : ''}
        </button>
      )}
      {busy && (
        <div className="app-progress" data-testid="app-progress">
          <progress max={Math.max(states.length, 1)} value={done} />
          <span className="muted">
            {done} / {states.length}
          </span>
        </div>
      )}
    </div>
  );
});

const selectResult = (s: RunState) => ({
  output: s.output,
  status: s.lastStatus,
  at: s.finishedAt,
  phase: s.phase,
});

const Result = memo(function Result() {
  const r = useRun(useShallow(selectResult));
  if (r.phase !== 'idle' || !r.status) return null;
  if (r.status === 'awaiting-approval')
    return (
      <p className="muted">
        The run is waiting for approval: look at the gated take, approve it on its card, then run again.
      </p>
    );
  if (r.status !== 'succeeded' || !r.output)
    return <p className="field-error">The run ended {r.status}; the canvas shows which node and why.</p>;
  // The film is rewritten in place by each run: the finish time makes each result a new URL.
  const src = `${host.mediaUrl(r.output)}&v=${r.at ?? 0}`;
  return (
    <figure className="app-result">
      <video key={src} src={src} controls autoPlay muted data-testid="app-result" />
      <figcaption className="muted mono">{r.output}</figcaption>
    </figure>
  );
});
