// A shot's gateway: the film's (the default) or one of its own. What that gateway cannot do with
// this shot is listed on the shot at once, before anything runs.
import { setParam } from '../../actions/nodes';
import { filmGateway, gatewayLabel } from '../../model/gateway';
import { useDocument, type DocumentState } from '../../stores/document';
import { useFilmStatus } from '../../stores/film-status';
import { useUi, type UiState } from '../../stores/ui';

const selectFilm = (s: DocumentState) => filmGateway(s.extra);
const selectHost = (s: UiState) => s.info;

export function GatewayField({ id, value }: { id: string; value: unknown }) {
  const film = useDocument(selectFilm);
  const info = useUi(selectHost);
  const resolved = useFilmStatus((s) => s.provider);
  const own = typeof value === 'string' ? value : '';
  const providers = info?.providers ?? [];
  const inherited = film ?? (resolved || info?.defaultProvider || 'animatic');
  return (
    <div className="field" data-field="provider">
      <label htmlFor={`f-${id}-provider`}>Gateway</label>
      <select
        id={`f-${id}-provider`}
        value={own}
        onChange={(e) => setParam(id, 'provider', e.target.value || undefined)}
      >
        <option value="">Film’s gateway: {gatewayLabel(inherited)}</option>
        {providers.map((p) => (
          <option key={p} value={p}>
            {gatewayLabel(p)}
          </option>
        ))}
        {own && !providers.includes(own) && <option value={own}>{own} (unknown)</option>}
      </select>
      <div className="field-hint">
        <button className="link" onClick={() => useUi.setState({ settingsOpen: true })}>
          What each gateway can do
        </button>
      </div>
    </div>
  );
}
