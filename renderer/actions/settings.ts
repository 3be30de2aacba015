// The film's gateway (graph.settings.provider, an undoable edit) and the host's API keys (sent once,
// kept by the host's key store, never read back).
import type { GatewayName } from '../../shared/seedance/capabilities';
import { gatewayLabel } from '../model/gateway';
import { edit } from '../stores/document';
import { toast, useUi } from '../stores/ui';
import { host } from '../transport';
import { reportProblem } from './files';

/** Sets (or, with undefined, removes) one of the film's settings as an undoable edit. */
function setFilmSetting(name: string, value: unknown, mark?: string): void {
  edit((s) => {
    const { [name]: _old, ...rest } = (s.extra.settings as Record<string, unknown> | undefined) ?? {};
    const settings = value === undefined ? rest : { ...rest, [name]: value };
    const { settings: _settings, ...extra } = s.extra;
    return { extra: Object.keys(settings).length ? { ...extra, settings } : extra };
  }, mark);
}

/** '' returns the film to the host's default gateway. */
export function setFilmGateway(provider: string): void {
  setFilmSetting('provider', provider || undefined);
}

/**
 * The film's spending limit, held by every run of it (the engine's rule, engine/budget.ts); null
 * removes it. Typing is one undo step per field visit.
 */
export function setFilmBudget(usd: number | null): void {
  setFilmSetting('budgetUsd', usd === null ? undefined : usd, 'film-budget');
}

export function setAllowUnpriced(allow: boolean): void {
  setFilmSetting('allowUnpriced', allow || undefined);
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
