// `shotgraph validate`: every problem at once, exit 1 if any. Reads files, runs nothing.
import { parseArgs } from 'node:util';
import { loadGraphFile } from '../engine/load';
import { validateGraph } from '../engine/validate';
import { printProblems } from './problems';

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'allow-outside': { type: 'boolean', default: false } },
  });
  const graphPath = positionals[0];
  if (!graphPath) throw Object.assign(new Error('a graph file is required'), { code: 'ERR_PARSE_ARGS_MISSING' });
  const loaded = await loadGraphFile(graphPath);
  const problems = loaded.ok
    ? await validateGraph(loaded.graph, loaded.graphDir, { allowOutside: values['allow-outside'] })
    : loaded.problems;
  if (problems.length) {
    printProblems(problems, graphPath);
    return 1;
  }
  console.log(`${graphPath}: valid (${loaded.ok ? loaded.graph.nodes.length : 0} nodes)`);
  return 0;
}
