// The one content key of a node (docs/architecture.md §5): a hash of its kind, named params, gateway, take
// and the content of everything upstream — file bytes, never where a file lives — so a renamed or
// copied project keeps its cache, and an edit re-runs exactly what it affects. Pure: the engine
// hashes the files and passes the hash function in, so this runs anywhere and decides alone.
import { nodeKind } from '../nodes/registry';
import { finalCutParams } from '../nodes/final-cut';
import { isAssetId, type CastMember } from '../cast';
import { castOfShots } from '../validate/cast';
import { isRemoteMedia, isRemoteUrl } from '../validate/media-path';
import type { Graph, GraphNode } from './schema';
import { topoOrder } from './topology';

/** Bump when the meaning of a key changes, so old cache entries are not mistaken for new ones. */
export const KEY_SCHEMA = 1;

/** sha256 (hex) of a string's UTF-8 bytes; node:crypto on the engine side. */
export type HashText = (text: string) => string;

export interface KeyFacts {
  /** The gateway a shot runs on. */
  providerOf(node: GraphNode): string | undefined;
  /** sha256 of a local file a node names (as written in the graph); undefined: unreadable. */
  fileHash(file: string): string | undefined;
  /** A frozen node's kept key: it replaces the computed one, whatever changed upstream. */
  pinned?(node: GraphNode): string | undefined;
}

/** JSON with sorted keys, so key order in the graph file never changes a key. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
  }
  return JSON.stringify(value);
}

/** Local files whose bytes enter some key: media nodes' files and final cuts' music beds. */
export function keyedFiles(graph: Graph): string[] {
  const files = new Set<string>();
  for (const node of graph.nodes) {
    const file = node.type === 'final_cut' ? musicFile(node) : node.params.file;
    if (typeof file === 'string' && file && !isRemoteMedia(file)) files.add(file);
  }
  for (const member of graph.cast ?? []) {
    for (const file of [...member.images, ...(member.voice ? [member.voice] : [])])
      if (!isRemoteUrl(file) && !isAssetId(file)) files.add(file);
  }
  return [...files];
}

/**
 * Every node's key, in dependency order. A node whose content cannot be known (an unreadable
 * file, invalid params, a cycle) has no key, and neither has anything downstream of it.
 */
export function nodeKeys(graph: Graph, facts: KeyFacts, hash: HashText): Map<string, string> {
  const keys = new Map<string, string>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // Inputs in port order (`order`, then file order), as incomingEdges gives them, grouped once.
  const into = new Map<string, { e: Graph['edges'][number]; i: number }[]>();
  graph.edges.forEach((e, i) => {
    const k = `${e.target}\0${e.targetPort}`;
    (into.get(k) ?? into.set(k, []).get(k)!).push({ e, i });
  });
  for (const list of into.values()) list.sort((a, b) => (a.e.order ?? a.i) - (b.e.order ?? b.i) || a.i - b.i);
  const castOf = castOfShots(graph);
  for (const id of topoOrder(graph)) {
    const node = byId.get(id)!;
    const pin = node.frozen ? facts.pinned?.(node) : undefined;
    if (pin) {
      keys.set(id, pin);
      continue;
    }
    const key = ownKey(node, facts, hash, (port) => {
      const edges = (into.get(`${id}\0${port}`) ?? []).map((x) => x.e);
      const sources = edges.map((e) => keys.get(e.source));
      if (sources.some((s) => s === undefined)) return null;
      return edges.map((e, i) => `${sources[i]}:${e.sourcePort}`);
    });
    const members = castOf.get(id);
    // Only a shot that mentions a member carries its media, so changing one image re-runs exactly
    // the shots that call that member in (and what follows them); a shot without mentions keeps its key.
    const cast = key && members ? castContent(members, facts) : undefined;
    if (key && !members) keys.set(id, key);
    else if (key && cast) keys.set(id, hash(canonicalJson({ shot: key, cast })));
  }
  return keys;
}

/** What the mentioned members bring, by content: names and ids, file bytes, never where files live. */
function castContent(members: CastMember[], facts: KeyFacts): unknown[] | undefined {
  const content = (file: string): { url: string } | { sha256: string } | undefined => {
    if (isRemoteUrl(file) || isAssetId(file)) return { url: file };
    const sha256 = facts.fileHash(file);
    return sha256 ? { sha256 } : undefined;
  };
  const out: unknown[] = [];
  for (const m of members) {
    const images = m.images.map(content);
    const voice = m.voice ? content(m.voice) : undefined;
    if (images.some((i) => !i) || (m.voice && !voice)) return undefined;
    out.push({ name: m.name.toLowerCase(), kind: m.kind, images, voice, assetId: m.assetId });
  }
  return out;
}

function ownKey(
  node: GraphNode,
  facts: KeyFacts,
  hash: HashText,
  wired: (port: string) => string[] | null,
): string | undefined {
  const def = nodeKind(node.type);
  const parsed = def?.params.safeParse(node.params);
  if (!def || !parsed?.success) return undefined;
  const params = parsed.data as Record<string, unknown>;
  let content: unknown;
  if (typeof params.file === 'string') {
    if (isRemoteMedia(params.file)) content = { url: params.file };
    else {
      const sha256 = facts.fileHash(params.file);
      if (!sha256) return undefined;
      content = { sha256 };
    }
  }
  // Where a file lives or where the film is written never changes what it contains; how a gateway
  // hands images back and which seam a shot declares (checked against its wiring) change nothing made.
  const {
    provider: _p,
    file: _f,
    sha256: _s,
    output: _o,
    response_format: _r,
    seam: _seam,
    ...rest
  } = params;
  const generated = node.type === 'shot' || node.type === 'keyframe';
  const inputs: Record<string, string[]> = {};
  for (const port of def.inputs) {
    const sources = wired(port.name);
    if (!sources) return undefined;
    if (sources.length) inputs[port.name] = sources;
  }
  const key = hash(
    canonicalJson({
      v: KEY_SCHEMA,
      kind: node.type,
      params: rest,
      content,
      inputs,
      provider: generated ? facts.providerOf(node) : undefined,
      take: generated ? (node.take ?? 1) : undefined,
    }),
  );
  // The music bed is no node: its bytes are folded in here, in the same form earlier versions
  // folded them at run time, so their cached films are still found. No music: the key is unchanged.
  const music = node.type === 'final_cut' ? musicFile(node) : undefined;
  if (!music) return key;
  const sha256 = isRemoteMedia(music) ? undefined : facts.fileHash(music);
  return sha256 ? hash(canonicalJson({ cut: key, music: sha256 })) : undefined;
}

function musicFile(node: GraphNode): string | undefined {
  const parsed = finalCutParams.safeParse(node.params);
  return parsed.success ? parsed.data.music?.file : undefined;
}
