// The run-time half of the media URL policy (docs/architecture.md §3): just before a run hands graph
// media URLs to a gateway, each host is looked up and refused when it resolves to a loopback,
// private, link-local or metadata address (the same classes the pure check refuses as literals).
// Validation never does this: opening or checking a shared graph makes no network request at all.
import { lookup } from 'node:dns/promises';
import { isGatewayName } from '../../shared/seedance/capabilities';
import type { Problem } from '../../shared/problems';
import { isRemoteUrl } from '../../shared/validate/media-path';
import { addressClass, originOf } from '../../shared/validate/media-url';
import { quoted } from '../../shared/validate/quoted';
import type { Plan } from './plan';

/** Origins (comma- or space-separated) the user trusts for media URLs, e.g. a local test server. */
export const TRUSTED_MEDIA_ORIGINS_ENV = 'SHOTGRAPH_TRUSTED_MEDIA_ORIGINS';

/** A lookup that takes longer than this is refused rather than waited for. */
const LOOKUP_MS = 5_000;

export function trustedMediaOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[TRUSTED_MEDIA_ORIGINS_ENV] ?? '')
    .split(/[\s,]+/)
    .map((o) => (o ? originOf(o) : undefined))
    .filter((o): o is string => !!o);
}

export interface MediaUrlUse {
  nodeId: string;
  field: string;
  url: string;
}

/** Graph media URLs this run would hand to a gateway: inputs of shots that are not cached. */
export async function urlsForGateways(plan: Plan): Promise<MediaUrlUse[]> {
  const byId = new Map(plan.graph.nodes.map((n) => [n.id, n]));
  const uses = new Map<string, MediaUrlUse>();
  for (const shot of plan.nodes) {
    const provider = plan.providerOf(shot);
    if (!provider || !isGatewayName(provider)) continue;
    if (await plan.cache.lookup(plan.keys.get(shot.id)!)) continue; // a cached shot sends nothing
    for (const edge of plan.graph.edges) {
      if (edge.target !== shot.id) continue;
      const source = byId.get(edge.source);
      const file = source?.params.file;
      if (source && source.type !== 'shot' && typeof file === 'string' && isRemoteUrl(file))
        uses.set(source.id, { nodeId: source.id, field: 'file', url: file });
    }
  }
  return [...uses.values()];
}

/** Problems for URLs whose host resolves to an address a gateway must not be sent to. */
export async function resolvedHostProblems(
  uses: MediaUrlUse[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Problem[]> {
  const trusted = trustedMediaOrigins(env);
  const verdicts = new Map<string, Promise<string | undefined>>();
  const problems: Problem[] = [];
  for (const use of uses) {
    let u: URL;
    try {
      u = new URL(use.url);
    } catch {
      continue; // refused by the pure check already
    }
    if (trusted.includes(u.origin)) continue;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    let verdict = verdicts.get(host);
    if (!verdict) verdicts.set(host, (verdict = hostVerdict(host)));
    const reason = await verdict;
    if (reason)
      problems.push({
        code: 'media.url',
        nodeId: use.nodeId,
        field: use.field,
        message: `${quoted(use.url)} ${reason}`,
      });
  }
  return problems;
}

/** Why the host may not be used, or undefined. IP literals need no lookup. */
async function hostVerdict(host: string): Promise<string | undefined> {
  const literal = /^[\d.]+$/.test(host) || host.includes(':');
  const addresses = literal ? [host] : await resolve(host);
  if (typeof addresses === 'string') return addresses;
  for (const address of addresses) {
    const cls = addressClass(address);
    if (cls)
      return `has a host that resolves to ${address}, ${cls.label} address; media URLs must be public (nothing was sent)`;
  }
  return undefined;
}

async function resolve(host: string): Promise<string[] | string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((done) => {
    timer = setTimeout(
      () =>
        done(
          `has a host that did not resolve within ${LOOKUP_MS / 1000} s; check your network (nothing was sent)`,
        ),
      LOOKUP_MS,
    );
  });
  try {
    return await Promise.race([
      lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        (e: NodeJS.ErrnoException) =>
          `has a host that cannot be resolved (${e.code ?? e.message}); check the URL and your network (nothing was sent)`,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
