// Provider API keys. The desktop app stores them in the OS keychain; web mode cannot (a browser
// tab is no place for them) and says which environment variable to set instead. A key typed
// here is sent once and never kept by the editor.
import { useState } from 'react';
import { toast, useUi, type UiState } from '../stores/ui';
import { host } from '../transport';

const selectKeys = (s: UiState) => s.keysOpen;
const selectInfo = (s: UiState) => s.info;

export function KeysDialog() {
  const open = useUi(selectKeys);
  const info = useUi(selectInfo);
  const [key, setKey] = useState('');
  const [provider, setProvider] = useState<string | null>(null);
  if (!open || !info) return null;
  const chosen = provider ?? info.keys[0]?.provider ?? '';
  const close = () => {
    setKey('');
    useUi.setState({ keysOpen: false });
  };
  const store = async () => {
    const { stored } = await host.call('keys.set', { provider: chosen, key });
    setKey('');
    if (stored) {
      toast(key ? `Key for ${chosen} stored in the system keychain` : `Key for ${chosen} removed`, 'success');
      const fresh = await host.call('app.info', {});
      useUi.setState({ info: fresh, keysOpen: false });
    } else toast('The key was not stored: this system offers no keychain', 'error');
  };
  return (
    <div className="modal-backdrop" onMouseDown={close}>
      <div
        className="modal"
        role="dialog"
        aria-label="Provider keys"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <h2>Provider keys</h2>
        <p className="muted">
          Without a key every shot renders with the free offline animatic. Shots run on{' '}
          <b>{info.defaultProvider}</b> now.
        </p>
        {info.keys.length === 0 && <p>No gateway that takes a key is available in this build.</p>}
        {!info.canStoreKeys &&
          info.keys.map((k) => (
            <p key={k.provider}>
              <b>{k.provider}</b>: set <code className="mono">{k.envVar}</code> in the environment before{' '}
              <code className="mono">npm run web</code>. Web mode never takes keys through the browser.
            </p>
          ))}
        {info.canStoreKeys && info.keys.length > 0 && (
          <>
            <div className="field">
              <label htmlFor="key-provider">Gateway</label>
              <select id="key-provider" value={chosen} onChange={(e) => setProvider(e.target.value)}>
                {info.keys.map((k) => (
                  <option key={k.provider}>{k.provider}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="key-value">API key</label>
              <input
                id="key-value"
                type="password"
                autoComplete="off"
                value={key}
                onChange={(e) => setKey(e.target.value)}
              />
              <div className="field-hint">Empty removes the stored key.</div>
            </div>
          </>
        )}
        <footer>
          <button className="btn" onClick={close}>
            Close
          </button>
          {info.canStoreKeys && info.keys.length > 0 && (
            <button className="btn btn-primary" onClick={() => void store()}>
              Store key
            </button>
          )}
        </footer>
      </div>
    </div>
  );
}
