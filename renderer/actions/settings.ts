// The film's gateway (graph.settings.provider, an undoable edit) and the host's API keys (sent once,
// kept by the host's key store, never read back).
import type { GatewayName } from '../../shared/seedance/capabilities';
import { gatewayLabel } from '../model/gateway';
import { edit } from '../stores/document';
import { toast, useUi } from '../stores/ui';
import { host } from '../transport';
import { reportProblem } from './files';

/** '' returns the film to the host's default gateway. */
export function setFilmGateway(provider: string): void {
  edit((s) => {
    const { provider: _old, ...rest } = (s.extra.settings as Record<string, unknown> | undefined) ?? {};
    const settings = provider ? { ...rest, provider } : rest;
    const { settings: _settings, ...extra } = s.extra;
    return { extra: Object.keys(settings).length ? { ...extra, settings } : extra };
  });
}

export async function refreshInfo(): Promise<void> {
  const info = await host.call('app.info', {});
  useUi.setState({ info });
}

/** Stores `key` for `provider`, or clears it when empty. Returns whether the host kept it. */
export async function storeKey(provider: string, key: string): Promise<boolean> {
  try {
    // The host refuses a name that is not a gateway's; the list shown comes from it (app.info).
    const { stored } = await host.call('keys.set', { provider: provider as GatewayName, key });
    if (!stored) {
      toast('The key was not stored: this system offers no keychain', 'error');
      return false;
    }
    const name = gatewayLabel(provider);
    toast(key ? `Key for ${name} stored` : `Key for ${name} cleared`, 'success');
    await refreshInfo();
    return true;
  } catch (e) {
    reportProblem(`Could not store the key for ${provider}`, e);
    return false;
  }
}
