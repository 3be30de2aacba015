// Picks the provider for a run: an explicit --provider, else the first gateway with a key in the
// environment, else the offline animatic (what a new user without a key meets).
import { CAPABILITIES } from '../../shared/seedance/capabilities';
import type { Provider } from './types';

export type ProviderFactory = (env: NodeJS.ProcessEnv) => Provider;

// Loaded lazily so a run only pays for the provider it uses.
const factories: Record<string, () => Promise<ProviderFactory>> = {
  animatic: async () => (await import('./animatic')).createAnimaticProvider,
  ark: async () => (await import('./ark')).createArkProvider,
  seed2: async () => (await import('./seed2')).createSeed2Provider,
  apiframe: async () => (await import('./apiframe')).createApiframeProvider,
  xingchao: async () => (await import('./xingchao')).createXingchaoProvider,
  inference: async () => (await import('./inference')).createInferenceProvider,
};

/** Env var holding each remote gateway's key, in the order a default is chosen. */
export const PROVIDER_KEYS: Record<string, string> = {
  ark: CAPABILITIES.ark.keyEnv,
  seed2: CAPABILITIES.seed2.keyEnv,
  apiframe: CAPABILITIES.apiframe.keyEnv,
  xingchao: CAPABILITIES.xingchao.keyEnv,
  inference: CAPABILITIES.inference.keyEnv,
};

/** Env var holding each remote gateway's base URL (its default is in the capability matrix). */
export const PROVIDER_BASE_URLS: Record<string, string> = Object.fromEntries(
  Object.values(CAPABILITIES).map((c) => [c.name, c.baseUrlEnv]),
);

export function knownProviders(): string[] {
  return Object.keys(factories);
}

export function defaultProviderName(env: NodeJS.ProcessEnv): string {
  for (const [name, key] of Object.entries(PROVIDER_KEYS)) if (env[key]) return name;
  return 'animatic';
}

export async function createProvider(name: string, env: NodeJS.ProcessEnv): Promise<Provider> {
  const load = factories[name];
  if (!load) throw new Error(`unknown provider "${name}"; known providers: ${knownProviders().join(', ')}`);
  return (await load())(env);
}
