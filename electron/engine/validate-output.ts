// Where a graph asks for its film to be written (`final_cut.params.output`), checked on disk with the
// project-path resolver: inside the graph's folder after symlinks, not a special file, not the graph
// itself, not one of the graph's own media, and not the same file as another final cut's.
import type { Graph } from '../../shared/graph/schema';
import { finalCutParams } from '../../shared/nodes/final-cut';
import type { Problem } from '../../shared/problems';
import { isRemoteMedia, outputPathIssue } from '../../shared/validate/media-path';
import { quoted } from '../../shared/validate/quoted';
import { resolveProjectInput, resolveProjectOutput } from './project-path';

export interface OutputCheckOptions {
  allowOutside?: boolean;
  graphPath?: string;
}

export async function validateOutputs(
  graph: Graph,
  graphDir: string,
  opts: OutputCheckOptions = {},
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const allowOutside = opts.allowOutside ?? false;
  const written = new Map<string, string>();
  let inputs: Map<string, string> | undefined;
  for (const node of graph.nodes) {
    if (node.type !== 'final_cut') continue;
    const parsed = finalCutParams.safeParse(node.params);
    const output = parsed.success ? parsed.data.output : undefined;
    if (output === undefined || outputPathIssue(output, { allowOutside })) continue; // reported by the pure check
    const at = (code: string, message: string) =>
      problems.push({ code, nodeId: node.id, field: 'output', message });
    const r = await resolveProjectOutput(graphDir, output, {
      allowOutside,
      ...(opts.graphPath ? { graphPath: opts.graphPath } : {}),
    });
    if (!r.ok) {
      at(r.code, r.message);
      continue;
    }
    inputs ??= await inputFiles(graph, graphDir, allowOutside);
    const owner = inputs.get(r.path);
    if (owner) {
      at('output.input', `${quoted(output)} is the file of node "${owner}"; the film would replace it`);
      continue;
    }
    const other = written.get(r.path);
    if (other) at('output.duplicate', `${quoted(output)} is also the output of final cut "${other}"`);
    else written.set(r.path, node.id);
  }
  return problems;
}

/** Real path → id of the node that reads it (media nodes and music beds). */
async function inputFiles(
  graph: Graph,
  graphDir: string,
  allowOutside: boolean,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const node of graph.nodes) {
    const parsed = node.type === 'final_cut' ? finalCutParams.safeParse(node.params) : undefined;
    const file = parsed ? (parsed.success ? parsed.data.music?.file : undefined) : node.params.file;
    if (typeof file !== 'string' || isRemoteMedia(file)) continue;
    const r = await resolveProjectInput(graphDir, file, { allowOutside });
    if (r.ok && !files.has(r.path)) files.set(r.path, node.id);
  }
  return files;
}
