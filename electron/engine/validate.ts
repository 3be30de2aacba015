// The whole pre-flight check: structure (pure, shared with the editor) plus the media on disk.
// Every problem of the graph comes back from one call, so the user fixes them all in one go.
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { validateStructure } from '../../shared/validate/structure';
import { trustedMediaOrigins } from './media-hosts';
import { validateCastMedia } from './validate-cast';
import { validateMedia } from './validate-media';
import { validateOutputs } from './validate-output';
import { validateTimelineMedia } from './validate-timeline';

export interface ValidateOptions {
  /** The user consented to media outside the graph's folder (docs/architecture.md §3). */
  allowOutside?: boolean;
  /** Cancels probing; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /** The graph file, when there is one: a final cut may not be written over it. */
  graphPath?: string;
  /** Where the trusted media origins are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Fields whose problems mean a media node's file cannot sensibly be probed. */
const BLOCKING_FIELDS = new Set(['file', 'sha256', 'params', 'type', 'id']);

export async function validateGraph(
  graph: Graph,
  graphDir: string,
  opts: ValidateOptions = {},
): Promise<Problem[]> {
  const structure = validateStructure(graph, {
    allowOutside: opts.allowOutside ?? false,
    trustedMediaOrigins: trustedMediaOrigins(opts.env ?? process.env),
  });
  const skip = new Set<string>();
  for (const p of structure) if (p.nodeId && p.field && BLOCKING_FIELDS.has(p.field)) skip.add(p.nodeId);
  const media = await validateMedia(graph, graphDir, {
    allowOutside: opts.allowOutside ?? false,
    skip,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const timeline = await validateTimelineMedia(graph, graphDir, {
    allowOutside: opts.allowOutside ?? false,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const castSkip = new Set(structure.filter((p) => p.field?.startsWith('cast[')).map((p) => p.field!));
  const cast = await validateCastMedia(graph, graphDir, {
    allowOutside: opts.allowOutside ?? false,
    skip: castSkip,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const outputs = await validateOutputs(graph, graphDir, {
    allowOutside: opts.allowOutside ?? false,
    ...(opts.graphPath ? { graphPath: opts.graphPath } : {}),
  });
  return [...structure, ...media, ...cast, ...timeline, ...outputs];
}
