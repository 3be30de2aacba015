// `shotgraph validate`: every problem of every graph at once, exit 1 if any. Reads files (and
// probes media), runs nothing. Several graphs may be named, e.g. a whole folder of templates.
import { parseArgs } from 'node:util';
import { loadGraphFile } from '../engine/load';
import { expandSequences } from '../engine/sequences';
import { validateGraph } from '../engine/validate';
import { printProblems } from './problems';
import { say, warn } from './terminal';

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'allow-outside': { type: 'boolean', default: false } },
  });
  if (!positionals.length)
    throw Object.assign(new Error('a graph file is required'), { code: 'ERR_PARSE_ARGS_MISSING' });
  let invalid = 0;
  for (const graphPath of positionals) {
    const loaded = await loadGraphFile(graphPath);
    const allowOutside = values['allow-outside'];
    const expanded = loaded.ok
      ? await expandSequences(loaded.graph, loaded.graphDir, { allowOutside })
      : undefined;
    const problems = !loaded.ok
      ? loaded.problems
      : expanded!.problems.length
        ? expanded!.problems
        : await validateGraph(expanded!.graph, loaded.graphDir, {
            allowOutside,
            graphPath: loaded.graphPath,
          });
    if (problems.length) {
      invalid++;
      printProblems(problems, graphPath);
    } else {
      say(`${graphPath}: valid (${expanded?.graph.nodes.length ?? 0} nodes)`);
    }
  }
  if (positionals.length > 1) warn(`${invalid} of ${positionals.length} graphs have problems.`);
  return invalid ? 1 : 0;
}
