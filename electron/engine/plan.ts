// Everything decided before a single node runs: the graph, its problems, each shot's provider,
// every content key and the set of nodes to run. Shared by render and estimate.
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { parseGraphValue } from '../../shared/graph/parse';
import { withAncestors } from '../../shared/graph/topology';
import type { Problem } from '../../shared/problems';
import { isGatewayName, usesMediaHost } from '../../shared/seedance/capabilities';
import { capabilityProblems } from '../../shared/validate/capabilities';
import { defaultProviderName, knownProviders } from '../providers';
import { MEDIA_HOST_ENV, MediaHostConfigError, mediaHostFromEnv } from '../providers/remote/media-host';
import { OutputCache } from './cache';
import { loadGraphFile } from './load';
import { computeNodeKeys } from './node-keys';
import { projectPaths, type ProjectPaths } from './project';
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

export async function preparePlan(opts: PlanOptions): Promise<PlanResult> {
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

  const runProvider =
    opts.provider ?? (graph.settings?.provider as string | undefined) ?? defaultProviderName(env);
  const providerOf = (node: GraphNode) =>
    node.type === 'shot' ? (node.params.provider as string | undefined) || runProvider : undefined;

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
    if (id && !graph.nodes.some((n) => n.id === id)) {
      problems.push({ code: 'run.target', field, message: `there is no node "${id}" in this graph` });
    }
  }
  if (problems.length) return { ok: false, problems };

  const cache = new OutputCache(paths.cacheDir);
  const keys = await computeNodeKeys(
    graph,
    paths.graphDir,
    providerOf,
    async (node) => {
      const kept = (await cache.entriesFor(node.id)).find((h) => (h.manifest.take ?? 1) === (node.take ?? 1));
      return kept?.manifest.key;
    },
    { allowOutside },
  );
  const target = opts.only ?? opts.until;
  const ids = target ? withAncestors(graph, target) : new Set(graph.nodes.map((n) => n.id));
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
