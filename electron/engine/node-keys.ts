// Every node's content key: the files named in the graph are hashed here (cached by content,
// see media-facts.ts), then the one pure key function in shared/ decides (shared/graph/node-keys.ts).
import { promises as fs } from 'node:fs';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { keyedFiles, nodeKeys } from '../../shared/graph/node-keys';
import { hashText, sha256OfFile } from './keys';
import { resolveProjectInput } from './project-path';

export interface KeyOptions {
  /** A frozen node's kept output: its key replaces the computed one, whatever changed upstream. */
  pinned?: (node: GraphNode) => string | undefined;
  /** Throw when a file cannot be read (a run); otherwise the nodes that need it get no key. */
  strict?: boolean;
  /** Files not to read at all (the check refused them: outside the folder, special files). */
  skip?: ReadonlySet<string>;
  /** The user consented to media outside the graph's folder (--allow-outside). */
  allowOutside?: boolean;
}

export async function computeNodeKeys(
  graph: Graph,
  graphDir: string,
  providerOf: (node: GraphNode) => string | undefined,
  opts: KeyOptions = {},
): Promise<Map<string, string>> {
  const files = keyedFiles(graph).filter((f) => !opts.skip?.has(f));
  const hashes = await hashFiles(graphDir, files, opts.strict ?? true, opts.allowOutside ?? false);
  return nodeKeys(
    graph,
    { providerOf, fileHash: (file) => hashes.get(file), ...(opts.pinned ? { pinned: opts.pinned } : {}) },
    hashText,
  );
}

async function hashFiles(
  graphDir: string,
  files: string[],
  strict: boolean,
  allowOutside: boolean,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    files.map(async (file) => {
      try {
        // The one project-path rule: symlinks followed, special files and escapes refused unopened.
        const resolved = await resolveProjectInput(graphDir, file, { allowOutside });
        if (!resolved.ok) throw new Error(resolved.message);
        const abs = resolved.path;
        const st = await fs.stat(abs);
        out.set(file, await sha256OfFile(abs, st));
      } catch (e) {
        if (strict) throw e;
      }
    }),
  );
  return out;
}
