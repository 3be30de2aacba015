// Gateway settings: which gateway this film renders on, each gateway's API key (set or not, never
// shown), and what each gateway can do. A shot can still override the gateway in its inspector.
import { setFilmGateway } from '../../actions/settings';
import { filmGateway, gatewayLabel } from '../../model/gateway';
import { useDocument, type DocumentState } from '../../stores/document';
import { useUi, type UiState } from '../../stores/ui';
import { CapabilityTable } from './CapabilityTable';
import { KeyRow } from './KeyRow';

const selectOpen = (s: UiState) => s.settingsOpen;
const selectInfo = (s: UiState) => s.info;
const selectFilmGateway = (s: DocumentState) => filmGateway(s.extra) ?? '';

export function GatewaySettings() {
  const open = useUi(selectOpen);
  const info = useUi(selectInfo);
  const chosen = useDocument(selectFilmGateway);
  if (!open || !info) return null;
  const close = () => useUi.setState({ settingsOpen: false });
  const known = new Set(info.providers);
  return (
    <div className="modal-backdrop" onMouseDown={close}>
      <div
        className="modal modal-wide settings"
        role="dialog"
        aria-label="Gateways"
        data-testid="gateway-settings"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <header className="modal-head">
          <h2>Gateways</h2>
          <button className="icon-btn" onClick={close} aria-label="close gateways">
            ×
          </button>
        </header>
        <section>
          <h3>This film renders on</h3>
          <div className="field">
            <select
              id="film-gateway"
              value={chosen}
              onChange={(e) => setFilmGateway(e.target.value)}
              data-testid="film-gateway"
            >
              <option value="">Automatic: {gatewayLabel(info.defaultProvider)} now</option>
              {info.providers.map((p) => (
                <option key={p} value={p}>
                  {gatewayLabel(p)}
                </option>
              ))}
              {chosen && !known.has(chosen) && <option value={chosen}>{chosen} (unknown)</option>}
            </select>
            <div className="field-hint">
              Automatic uses the first gateway with a key, else the free offline animatic. A shot can choose
              its own gateway in its inspector. Saved in the film file (never a key).
            </div>
          </div>
        </section>
        <section>
          <h3>API keys</h3>
          <p className="muted settings-note">
            {info.canStoreKeys
              ? info.keysPersist
                ? 'Keys are encrypted with the system keychain. Shotgraph never shows a stored key again.'
                : 'Web mode keeps a key typed here in the server’s memory only, until it stops; to keep one, set its variable in the environment of `npm run web`. A stored key is never shown again.'
              : 'Keys come from the environment of the Shotgraph server.'}
          </p>
          <table className="keys">
            <tbody>
              {info.keys.map((k) => (
                <KeyRow
                  key={k.provider}
                  provider={k.provider}
                  label={gatewayLabel(k.provider)}
                  envVar={k.envVar}
                  source={k.source}
                  canStore={info.canStoreKeys}
                />
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>What each gateway can do</h3>
          <CapabilityTable />
        </section>
      </div>
    </div>
  );
}
