// Everything decided before a single node runs: the graph, its problems, each shot's provider,
// every content key and the set of nodes to run. Shared by render and estimate.
import { existsSync } from 'node:fs';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { parseGraphValue } from '../../shared/graph/parse';
import { SEQUENCE_SEP } from '../../shared/graph/sequence';
import { withAncestors } from '../../shared/graph/topology';
import type { Problem } from '../../shared/problems';
import { isGatewayName, usesMediaHost } from '../../shared/seedance/capabilities';
import { capabilityProblems } from '../../shared/validate/capabilities';
import { defaultProviderName, knownProviders } from '../providers';
import { MEDIA_HOST_ENV, MediaHostConfigError, mediaHostFromEnv } from '../providers/remote/media-host';
import { loadMediaFacts, saveMediaFacts } from '../media/media-facts';
import { OutputCache } from './cache';
import { cacheIndex } from './cache-index';
import { loadGraphFile } from './load';
import { computeNodeKeys } from './node-keys';
import { projectPaths, type ProjectPaths } from './project';
import { expandSequences } from './sequences';
import { validateGraph } from './validate';

export interface PlanOptions {
  graphPath: string;
  graph?: Graph;
  provider?: string;
  allowOutside?: boolean;
  /** Run this node and what it needs. */
  until?: string;
  /** Run only this node, from cached inputs. */
  only?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Plan {
  graph: Graph;
  paths: ProjectPaths;
  cache: OutputCache;
  runProvider: string;
  providerOf: (node: GraphNode) => string | undefined;
  keys: Map<string, string>;
  /** Nodes this run touches, in file order. */
  nodes: GraphNode[];
  /** The user consented to paths outside the graph's folder. */
  allowOutside: boolean;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[] };

/** What is known about a film before any key is computed: its graph, gateways and every problem. */
export interface FilmCheck {
  graph: Graph;
  paths: ProjectPaths;
  runProvider: string;
  providerOf: (node: GraphNode) => string | undefined;
  /** SHOTGRAPH_MEDIA_HOST is configured: URL-only gateways can take local inputs. */
  mediaHost: boolean;
  /** The user consented to paths outside the graph's folder. */
  allowOutside: boolean;
  problems: Problem[];
}

/** Parses and validates a film (media probed, cached by content); problems are returned, not thrown. */
export async function checkFilm(
  opts: PlanOptions,
): Promise<{ ok: true; check: FilmCheck } | { ok: false; problems: Problem[] }> {
  const env = opts.env ?? process.env;
  const paths = projectPaths(opts.graphPath);
  let graph: Graph;
  if (opts.graph) {
    const parsed = parseGraphValue(opts.graph);
    if (!parsed.ok) return parsed;
    graph = parsed.graph;
  } else {
    const loaded = await loadGraphFile(paths.graphPath);
    if (!loaded.ok) return loaded;
    graph = loaded.graph;
  }
  // One place for every consumer (run, estimate, status, export): sequences become plain nodes here.
  const expanded = await expandSequences(graph, paths.graphDir, { allowOutside: opts.allowOutside ?? false });
  if (expanded.problems.length) return { ok: false, problems: expanded.problems };
  graph = expanded.graph;

  const runProvider =
    opts.provider ?? (graph.settings?.provider as string | undefined) ?? defaultProviderName(env);
  const providerOf = (node: GraphNode) =>
    node.type === 'shot' ? (node.params.provider as string | undefined) || runProvider : undefined;

  await loadMediaFacts(paths.stateDir, paths.graphDir);
  const allowOutside = opts.allowOutside ?? false;
  const problems = await validateGraph(graph, paths.graphDir, {
    allowOutside,
    graphPath: paths.graphPath,
    env,
  });
  problems.push(...providerProblems(graph, providerOf, opts.provider));
  let mediaHost = false;
  try {
    mediaHost = !!mediaHostFromEnv(env);
  } catch (e) {
    if (!(e instanceof MediaHostConfigError)) throw e;
    // Only a problem for a run that would upload through it.
    const uploads = graph.nodes.some((n) => {
      const p = providerOf(n);
      return !!p && isGatewayName(p) && usesMediaHost(p);
    });
    if (uploads) problems.push({ code: 'provider.media-host', field: MEDIA_HOST_ENV, message: e.message });
  }
  problems.push(...capabilityProblems(graph, providerOf, { mediaHost }));
  for (const [field, id] of [
    ['until', opts.until],
    ['only', opts.only],
  ] as const) {
    if (id && !graph.nodes.some((n) => n.id === id || (field === 'until' && insideInstance(n.id, id)))) {
      problems.push({ code: 'run.target', field, message: `there is no node "${id}" in this graph` });
    }
  }
  return { ok: true, check: { graph, paths, runProvider, providerOf, mediaHost, allowOutside, problems } };
}

/**
 * Content keys of a checked film. A frozen node keeps the key of its kept take. Not strict: a node
 * whose files cannot be read (a problem the check reported) has no key, nor has anything after it.
 */
export async function filmKeys(
  check: FilmCheck,
  cache: OutputCache,
  opts: { strict?: boolean } = {},
): Promise<Map<string, string>> {
  const frozen = check.graph.nodes.filter((n) => n.frozen);
  const pins = new Map<string, string>();
  if (frozen.length) {
    const index = await cacheIndex(cache);
    for (const node of frozen) {
      const take = (h: { manifest: { take?: number } }) => (h.manifest.take ?? 1) === (node.take ?? 1);
      // A node moved into a sequence is `<instance>/<id>` now; what it kept was made under its old id.
      const inner = node.id.slice(node.id.lastIndexOf(SEQUENCE_SEP) + 1);
      const kept = index.byNode(node.id).find(take) ?? index.byNode(inner).find(take);
      if (kept) pins.set(node.id, kept.manifest.key);
    }
  }
  const keys = await computeNodeKeys(check.graph, check.paths.graphDir, check.providerOf, {
    pinned: (node) => pins.get(node.id),
    strict: opts.strict ?? true,
    skip: refusedFiles(check),
    allowOutside: check.allowOutside,
  });
  if (existsSync(check.paths.stateDir)) await saveMediaFacts(check.paths.stateDir, check.paths.graphDir);
  return keys;
}

/** Files the check refused (a problem on a node's file or music bed): never read, not even hashed. */
function refusedFiles(check: FilmCheck): Set<string> {
  const byId = new Map(check.graph.nodes.map((n) => [n.id, n]));
  const refused = new Set<string>();
  for (const p of check.problems) {
    const node = p.nodeId ? byId.get(p.nodeId) : undefined;
    if (!node) continue;
    if (p.field === 'file' && typeof node.params.file === 'string') refused.add(node.params.file);
    const music = (node.params.music as { file?: unknown } | undefined)?.file;
    if (p.field === 'music.file' && typeof music === 'string') refused.add(music);
  }
  return refused;
}

export async function preparePlan(opts: PlanOptions): Promise<PlanResult> {
  const checked = await checkFilm(opts);
  if (!checked.ok) return checked;
  const { graph, paths, runProvider, providerOf, problems, allowOutside } = checked.check;
  if (problems.length) return { ok: false, problems };

  const cache = new OutputCache(paths.cacheDir);
  const keys = await filmKeys(checked.check, cache);
  const target = opts.only ?? opts.until;
  const ids = target ? withAncestors(graph, target) : new Set(graph.nodes.map((n) => n.id));
  // `--until` a sequence instance (flattened away by now): everything inside it and what that needs.
  if (opts.until && !opts.only && !graph.nodes.some((n) => n.id === opts.until)) {
    ids.clear();
    for (const n of graph.nodes)
      if (insideInstance(n.id, opts.until)) for (const id of withAncestors(graph, n.id)) ids.add(id);
  }
  const nodes = graph.nodes.filter((n) => ids.has(n.id));

  if (opts.only) {
    const missing: Problem[] = [];
    for (const n of nodes) {
      if (n.id === opts.only || (n.type !== 'shot' && n.type !== 'final_cut')) continue;
      if (!(await cache.lookup(keys.get(n.id)!))) {
        missing.push({
          code: 'run.input-missing',
          nodeId: opts.only,
          field: 'only',
          message: `its input "${n.id}" was never made with the current settings; run it first, or use --until ${opts.only}`,
        });
      }
    }
    if (missing.length) return { ok: false, problems: missing };
  }
  return { ok: true, plan: { graph, paths, cache, runProvider, providerOf, keys, nodes, allowOutside } };
}

function providerProblems(
  graph: Graph,
  providerOf: (n: GraphNode) => string | undefined,
  explicit?: string,
): Problem[] {
  const known = knownProviders();
  if (explicit && !known.includes(explicit)) {
    return [
      {
        code: 'provider.unknown',
        field: 'provider',
        message: `unknown provider "${explicit}"; known: ${known.join(', ')}`,
      },
    ];
  }
  const problems: Problem[] = [];
  for (const n of graph.nodes) {
    const name = providerOf(n);
    if (name && !known.includes(name)) {
      problems.push({
        code: 'provider.unknown',
        nodeId: n.id,
        field: 'provider',
        message: `unknown provider "${name}"; known: ${known.join(', ')}`,
      });
    }
  }
  return problems;
}

/** Whether a flattened node id came from inside the sequence instance `instance` (§3.1). */
function insideInstance(id: string, instance: string): boolean {
  return id.startsWith(`${instance}${SEQUENCE_SEP}`);
}
