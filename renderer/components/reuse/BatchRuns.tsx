// Batch runs from a CSV: one film per row, side by side, each with its progress and its result.
import { memo, useRef } from 'react';
import { cancelBatch, pickCsv, startBatch } from '../../actions/batch';
import { useBatch, type BatchFilm } from '../../stores/batch';
import { useUi } from '../../stores/ui';
import { host } from '../../transport';

export function BatchRuns() {
  const csvName = useBatch((s) => s.csvName);
  const status = useBatch((s) => s.status);
  const films = useBatch((s) => s.films);
  const problems = useBatch((s) => s.problems);
  const file = useRef<HTMLInputElement>(null);
  return (
    <section className="app-mode" data-testid="batch-runs" aria-label="Batch runs">
      <header className="gallery-head">
        <h1>Batch runs</h1>
        <button className="btn" onClick={() => useUi.setState({ batchOpen: false })}>
          Back to the canvas
        </button>
      </header>
      <div className="app-run">
        <button className="btn" onClick={() => file.current?.click()} data-testid="batch-csv">
          {csvName ? `CSV: ${csvName}` : 'Choose CSV…'}
        </button>
        <input
          ref={file}
          type="file"
          accept=".csv,text/csv"
          hidden
          data-testid="batch-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void pickCsv(f);
          }}
        />
        {status === 'running' ? (
          <button className="btn btn-danger" onClick={() => void cancelBatch()}>
            ■ Cancel batch
          </button>
        ) : (
          <button
            className="btn btn-primary"
            onClick={() => void startBatch()}
            disabled={!csvName}
            data-testid="batch-run"
          >
            ▶ Run batch
          </button>
        )}
        <span className="muted">
          One column per input name, one film per row (row-1.mp4, …), all sharing the cache.
        </span>
      </div>
      {problems.map((p, i) => (
        <p key={i} className="field-error">
          {p.message}
        </p>
      ))}
      <div className="batch-grid">
        {films.map((f) => (
          <BatchCard key={f.row} film={f} />
        ))}
      </div>
    </section>
  );
}

const BatchCard = memo(function BatchCard({ film: f }: { film: BatchFilm }) {
  const src = f.report?.output ? host.mediaUrl(f.report.output) : null;
  return (
    <article className="batch-card" data-testid={`batch-film-${f.name}`}>
      <b>{f.name}</b>
      <ul className="batch-values">
        {Object.entries(f.values).map(([k, v]) => (
          <li key={k}>
            <span className="muted">{k}:</span> {v}
          </li>
        ))}
      </ul>
      {src ? (
        <video src={src} controls muted data-testid="batch-result" />
      ) : f.report ? (
        <p className="field-error">
          {f.report.status}
          {f.report.problems[0] ? `: ${f.report.problems[0].message}` : ''}
        </p>
      ) : (
        <progress max={Math.max(f.total, 1)} value={f.done} />
      )}
      {f.report && (
        <span className="muted" data-testid="batch-made">
          {f.report.submissions} shot{f.report.submissions === 1 ? '' : 's'} generated, the rest from the
          cache
        </span>
      )}
    </article>
  );
});
