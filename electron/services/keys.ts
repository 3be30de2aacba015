// API keys live only on the Node side: the desktop keeps them with the OS keychain (safeStorage),
// web mode keeps a key typed in the editor in the server process's memory only (gone when it stops)
// beside those of its environment. The editor can set or clear a key but never read one back: it
// is only told whether each gateway has one.
import { PROVIDER_KEYS } from '../providers';

export interface KeyStore {
  /** False where keys can only come from the environment. */
  readonly canStore: boolean;
  /** True when a stored key survives a restart (the keychain), false for memory only. */
  readonly persistent: boolean;
  set(provider: string, key: string): Promise<boolean>;
  /** Env vars to hand the engine for a run; never sent to the renderer. */
  env(): Promise<Record<string, string>>;
}

export function envVarFor(provider: string): string | undefined {
  // Own names only: `__proto__` or `constructor` must not reach a file name or a map key.
  return Object.prototype.hasOwnProperty.call(PROVIDER_KEYS, provider) ? PROVIDER_KEYS[provider] : undefined;
}

export const environmentKeys: KeyStore = {
  canStore: false,
  persistent: false,
  set: async () => false,
  env: async () => ({}),
};

/** Web mode: keys held in this process only; never written to disk, logged or sent back. */
export function memoryKeyStore(): KeyStore {
  const keys = new Map<string, string>();
  return {
    canStore: true,
    persistent: false,
    async set(provider, key) {
      const variable = envVarFor(provider);
      if (!variable) return false;
      if (key) keys.set(variable, key);
      else keys.delete(variable);
      return true;
    },
    env: async () => Object.fromEntries(keys),
  };
}

export type KeySource = 'stored' | 'environment' | null;

/** Where each gateway's key comes from, if anywhere: a stored key wins over the environment. */
export async function keySources(
  store: KeyStore,
  environment: NodeJS.ProcessEnv,
): Promise<Record<string, KeySource>> {
  const stored = await store.env();
  return Object.fromEntries(
    Object.entries(PROVIDER_KEYS).map(([provider, variable]) => [
      provider,
      stored[variable] ? 'stored' : environment[variable] ? 'environment' : null,
    ]),
  );
}
