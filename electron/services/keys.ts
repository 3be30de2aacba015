// API keys live only on the Node side: the desktop keeps them with the OS keychain (safeStorage),
// web mode reads them from the environment. The editor can set a key but never read one back.
import { PROVIDER_KEYS } from '../providers';

export interface KeyStore {
  /** False where keys can only come from the environment (web mode). */
  readonly canStore: boolean;
  set(provider: string, key: string): Promise<boolean>;
  /** Env vars to hand the engine for a run; never sent to the renderer. */
  env(): Promise<Record<string, string>>;
}

export function envVarFor(provider: string): string | undefined {
  return PROVIDER_KEYS[provider];
}

export const environmentKeys: KeyStore = {
  canStore: false,
  set: async () => false,
  env: async () => ({}),
};
