// Which gateway renders each shot, as the engine decides it (electron/engine/plan.ts): the shot's own
// override, else the film's gateway, else the host's default (the first with a key, or the animatic).
import type { Graph, GraphNode } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { CAPABILITIES, isGatewayName } from '../../shared/seedance/capabilities';
import { capabilityProblems } from '../../shared/validate/capabilities';

/** A gateway as users know it: "seed2.io", "inference.sh". */
export function gatewayLabel(provider: string): string {
  if (provider === 'animatic') return 'Animatic (offline, free)';
  return isGatewayName(provider) ? CAPABILITIES[provider].label : provider;
}

export function filmGateway(extra: Record<string, unknown>): string | undefined {
  const settings = extra.settings as { provider?: unknown } | undefined;
  return typeof settings?.provider === 'string' && settings.provider ? settings.provider : undefined;
}

export function shotGateway(
  params: Record<string, unknown>,
  film: string | undefined,
  hostDefault: string,
): string {
  return (typeof params.provider === 'string' && params.provider) || film || hostDefault;
}

/** Shots their gateway cannot render, found before any paid call: the validator's own check. */
export function gatewayProblems(graph: Graph, hostDefault: string): Problem[] {
  const film = typeof graph.settings?.provider === 'string' ? graph.settings.provider : undefined;
  const providerOf = (n: GraphNode) =>
    n.type === 'shot' ? shotGateway(n.params, film || undefined, hostDefault) : undefined;
  return capabilityProblems(graph, providerOf);
}
