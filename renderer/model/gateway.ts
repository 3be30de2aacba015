// Gateways as the editor names them. Which gateway a shot runs on, and what it can do with it, is
// the engine's answer (film.status); the editor only reads the film's own setting here.
import { defaultParams } from '../../shared/nodes';
import { CAPABILITIES, defaultShotDuration, isGatewayName } from '../../shared/seedance/capabilities';

/** A gateway as users know it: "seed2.io", "inference.sh". */
export function gatewayLabel(provider: string): string {
  if (provider === 'animatic') return 'Animatic (offline, free)';
  return isGatewayName(provider) ? CAPABILITIES[provider].label : provider;
}

export function filmGateway(extra: Record<string, unknown>): string | undefined {
  const settings = extra.settings as { provider?: unknown } | undefined;
  return typeof settings?.provider === 'string' && settings.provider ? settings.provider : undefined;
}

/** A new node's params; a shot gets the duration the film's gateway takes by default (Apiframe: 6 s). */
export function newNodeParams(kind: string, extra: Record<string, unknown>): Record<string, unknown> {
  const params = defaultParams(kind);
  return kind === 'shot' ? { ...params, duration: defaultShotDuration(filmGateway(extra)) } : params;
}
