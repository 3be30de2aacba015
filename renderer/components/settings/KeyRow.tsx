// One gateway's API key: whether it is set (never the key), a field to enter one, and Clear.
import { useState } from 'react';
import { storeKey } from '../../actions/settings';

interface Props {
  provider: string;
  label: string;
  envVar: string;
  source: 'stored' | 'environment' | null;
  canStore: boolean;
}

const STATUS = {
  stored: 'set',
  environment: 'set (environment)',
  none: 'not set',
} as const;

export function KeyRow({ provider, label, envVar, source, canStore }: Props) {
  // The typed key lives only in this field until it is sent; it is cleared at once either way.
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async (value: string) => {
    setBusy(true);
    await storeKey(provider, value);
    setKey('');
    setBusy(false);
  };
  return (
    <tr data-testid={`key-${provider}`}>
      <td>
        <b>{label}</b>
        <div className="mono muted">{envVar}</div>
      </td>
      <td>
        <span className={`key-status ${source ? 'is-set' : ''}`} data-testid="key-status">
          {STATUS[source ?? 'none']}
        </span>
      </td>
      <td className="key-entry">
        {canStore ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (key) void send(key);
            }}
          >
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder={source ? 'replace the key' : 'paste the API key'}
              aria-label={`API key for ${label}`}
              value={key}
              onChange={(e) => setKey(e.target.value)}
            />
            <button className="btn" type="submit" disabled={busy || !key}>
              Store
            </button>
            <button
              className="btn"
              type="button"
              disabled={busy || source !== 'stored'}
              onClick={() => void send('')}
              title={source === 'environment' ? `Set in the environment: unset ${envVar} to remove it` : ''}
            >
              Clear
            </button>
          </form>
        ) : (
          <span className="muted">
            set <code className="mono">{envVar}</code> in the environment
          </span>
        )}
      </td>
    </tr>
  );
}
