// What a new user meets instead of an empty canvas: a blank film, the templates (each a card with
// its poster) and the recent films.
import { memo, useEffect } from 'react';
import type { TemplateView } from '../../../shared/contract';
import { newFilm, openFilm } from '../../actions/files';
import { loadTemplates, newFromTemplate, showGallery, useTemplates } from '../../actions/templates';
import { useUi } from '../../stores/ui';

export function StartGallery() {
  const templates = useTemplates((s) => s.list);
  const loaded = useTemplates((s) => s.loaded);
  const recent = useUi((s) => s.recent);
  useEffect(() => void loadTemplates(), []);
  return (
    <section className="gallery" data-testid="gallery" aria-label="Start">
      <header className="gallery-head">
        <h1>Start a film</h1>
        <button className="btn" onClick={() => showGallery(false)} title="Back to the canvas">
          Close
        </button>
      </header>
      <div className="gallery-cards">
        <button
          className="gallery-card gallery-blank"
          data-testid="gallery-blank"
          onClick={() => {
            newFilm();
            showGallery(false);
          }}
        >
          <div className="gallery-poster">+</div>
          <b>Blank film</b>
          <span className="muted">An empty canvas</span>
        </button>
        {templates.map((t) => (
          <TemplateCard key={t.name} template={t} />
        ))}
        {loaded && templates.length === 0 && <p className="muted">No templates installed.</p>}
      </div>
      <h2>Recent films</h2>
      {recent.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="gallery-recent">
          {recent.map((f) => (
            <li key={f.path}>
              <button
                onClick={() => void openFilm(f.path).then((ok) => ok && showGallery(false))}
                data-testid="gallery-recent"
              >
                <span>{f.name}</span>
                <span className="muted mono">{f.path}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const TemplateCard = memo(function TemplateCard({ template: t }: { template: TemplateView }) {
  return (
    <button
      className="gallery-card"
      data-testid={`template-${t.name}`}
      onClick={() => void newFromTemplate(t)}
      title={t.description || t.title}
    >
      <div className="gallery-poster">
        {t.poster ? <img src={t.poster} alt="" /> : <span>{t.title.slice(0, 1)}</span>}
      </div>
      <b>{t.title}</b>
      <span className="muted">{t.description}</span>
      <span className="gallery-inputs">
        {t.user ? 'yours · ' : ''}
        {t.inputs.length} input{t.inputs.length === 1 ? '' : 's'}
        {t.inputs.length ? `: ${t.inputs.join(', ')}` : ''}
      </span>
    </button>
  );
});
