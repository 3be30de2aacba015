// The cast, checked before anything is paid for (docs/gateways.md §4.1): names that are unique, paths
// that follow the project-path rule, `@Names` that exist, and each shot's references — wired plus those
// its cast brings — within its gateway's limits, naming the shot and the members. Pure, like the
// capability check beside it.
import {
  castField,
  isAssetId,
  mentionedMembers,
  memberImages,
  unknownMentions,
  type CastMember,
} from '../cast';
import type { Graph, GraphEdge, GraphNode } from '../graph/schema';
import { edgesInto, incomingEdges } from '../graph/topology';
import { shotParams } from '../nodes/registry';
import type { Problem } from '../problems';
import {
  CAPABILITIES,
  gatewaysWith,
  isGatewayName,
  MEDIA_HOST_HINT,
  modelCapabilities,
  usesMediaHost,
  type GatewayName,
} from '../seedance/capabilities';
import { mediaPathIssue, type MediaPathOptions } from './media-path';

/** The text a shot's prompt port receives (prompt nodes only; anything else has no text yet). */
export function promptOf(
  graph: Graph,
  node: GraphNode,
  byId?: Map<string, GraphNode>,
  into?: (id: string, port: string) => GraphEdge[],
): string {
  const nodes = byId ?? new Map(graph.nodes.map((n) => [n.id, n]));
  return (into ? into(node.id, 'prompt') : incomingEdges(graph, node.id, 'prompt'))
    .map((e) => nodes.get(e.source))
    .map((n) => (n?.type === 'prompt' && typeof n.params.text === 'string' ? n.params.text : ''))
    .join('\n');
}

/** The members each shot calls in, by shot id (shots that mention nobody are left out). */
export function castOfShots(graph: Graph): Map<string, CastMember[]> {
  const out = new Map<string, CastMember[]>();
  if (!graph.cast?.length) return out;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = edgesInto(graph);
  for (const node of graph.nodes) {
    if (node.type !== 'shot') continue;
    const members = mentionedMembers(promptOf(graph, node, byId, into), graph.cast);
    if (members.length) out.set(node.id, members);
  }
  return out;
}

/** Gateways whose default model takes asset:// ids, for the way out in a refusal. */
export function assetIdGateways(): GatewayName[] {
  return gatewaysWith((m) => m.assetIds).filter(isGatewayName);
}

/**
 * The one asset-id rule: undefined where the shot's gateway and model take asset:// ids (the capability
 * `assetIds`), else why not, naming the gateway. The offline animatic takes them too: it draws what it
 * can and never fetches an id.
 */
export function assetIdRefusal(gateway: string, model: string, member: string): string | undefined {
  if (!isGatewayName(gateway) || modelCapabilities(gateway, model).assetIds) return undefined;
  const labels = assetIdGateways().map((g) => CAPABILITIES[g].label);
  return `${CAPABILITIES[gateway].label} does not take asset:// ids, but @${member} has one; render this shot on ${labels.join(' or ')} (set the shot's provider), or remove the member's assetId`;
}

export interface CastCheckOptions extends MediaPathOptions {
  /** A media host is configured: URL-only gateways get local files uploaded. */
  mediaHost?: boolean;
}

/** The cast's own fields: unique names, paths inside the project. */
export function castFieldProblems(graph: Graph, opts: MediaPathOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  (graph.cast ?? []).forEach((member, i) => {
    const lower = member.name.toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) {
      problems.push({
        code: 'cast.duplicate-name',
        field: castField(i, 'name'),
        message: `@${member.name} is also the name of cast member ${first + 1}; names must be unique (case is ignored)`,
      });
    } else seen.set(lower, i);
    const files: [string, string][] = member.images.map((f, j) => [f, `images[${j}]`]);
    if (member.voice) files.push([member.voice, 'voice']);
    for (const [file, part] of files) {
      const issue = mediaPathIssue(file, opts);
      if (issue)
        problems.push({
          code: issue.code,
          field: castField(i, part),
          message: `@${member.name}: ${issue.message}`,
        });
    }
    if (!member.images.length && !member.assetId && !member.voice) {
      problems.push({
        code: 'cast.empty',
        field: castField(i, 'images'),
        message: `@${member.name} has no images, voice or assetId, so mentioning it attaches nothing; add a reference image`,
      });
    }
  });
  return problems;
}

/** Every shot's mentions against the cast and its gateway's limits. */
export function castShotProblems(
  graph: Graph,
  providerOf: (node: GraphNode) => string | undefined,
  opts: CastCheckOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = edgesInto(graph);
  for (const node of graph.nodes) {
    if (node.type !== 'shot') continue;
    const prompt = promptOf(graph, node, byId, into);
    const add = (code: string, field: string, message: string) =>
      problems.push({ code: `cast.${code}`, nodeId: node.id, field, message });
    const unknown = unknownMentions(prompt, graph.cast);
    if (unknown.length) {
      const names = (graph.cast ?? []).map((m) => '@' + m.name);
      add(
        'unknown',
        'prompt',
        `the prompt mentions ${unknown.map((n) => '@' + n).join(', ')}, but the cast has ${names.length ? names.join(', ') : 'no members'}; add ${unknown.length > 1 ? 'them' : 'it'} to the cast or fix the spelling`,
      );
    }
    const members = mentionedMembers(prompt, graph.cast);
    if (!members.length) continue;
    const gateway = providerOf(node);
    if (!gateway || !isGatewayName(gateway)) continue; // the animatic takes any cast
    const parsed = shotParams.safeParse(node.params);
    if (!parsed.success) continue; // bad params are reported by the structure check
    const caps = modelCapabilities(gateway, parsed.data.model);
    const label = CAPABILITIES[gateway].label;
    for (const m of members) {
      const refusal = m.assetId ? assetIdRefusal(gateway, parsed.data.model, m.name) : undefined;
      if (refusal) add('asset-id', 'prompt', refusal);
    }
    const wired = (port: string) => into(node.id, port).length;
    const frames = wired('first_frame') + wired('last_frame');
    const mine = (m: CastMember) => memberImages(m).length;
    const limit = (kind: 'image' | 'audio', have: number, brought: (m: CastMember) => number) => {
      const total = have + members.reduce((n, m) => n + brought(m), 0);
      const max = caps.references[kind];
      if (total <= max) return;
      const parts = members.filter((m) => brought(m)).map((m) => `${brought(m)} of @${m.name}'s`);
      const own = have
        ? [`${have} wired${kind === 'image' && frames ? ' (frames count as images)' : ''}`]
        : [];
      add(
        'references',
        kind === 'image' ? 'reference_images' : 'reference_audios',
        `with its cast this shot sends ${total} reference ${kind}s (${[...own, ...parts].join(' + ')}), but ${label} takes at most ${max}; mention fewer members, give them fewer ${kind === 'image' ? 'images' : 'voices'}, or wire fewer`,
      );
    };
    limit('image', frames + wired('reference_images'), mine);
    limit('audio', wired('reference_audios'), (m) => (m.voice ? 1 : 0));
    const local = (f: string) => !/^https?:\/\//i.test(f) && !isAssetId(f);
    for (const [kind, pick] of [
      ['image', (m: CastMember) => m.images],
      ['audio', (m: CastMember) => (m.voice ? [m.voice] : [])],
    ] as const) {
      if (caps.localFiles[kind] || (usesMediaHost(gateway) && opts.mediaHost)) continue;
      const owners = members.filter((m) => pick(m).some(local));
      if (!owners.length) continue;
      add(
        'local-file',
        kind === 'image' ? 'reference_images' : 'reference_audios',
        `${label} takes ${kind}s only as URLs, but ${owners.map((m) => '@' + m.name).join(', ')} ${owners.length > 1 ? 'have' : 'has'} ${kind === 'image' ? 'images' : 'a voice'} on this machine; use https URLs in the cast${usesMediaHost(gateway) ? `, ${MEDIA_HOST_HINT}` : ''}`,
      );
    }
  }
  return problems;
}
