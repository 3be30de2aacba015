// `shotgraph validate`: every problem of every graph at once, exit 1 if any. Reads files (and
// probes media), runs nothing. Several graphs may be named, e.g. a whole folder of templates.
import { parseArgs } from 'node:util';
import { loadGraphFile } from '../engine/load';
import { projectPaths } from '../engine/project';
import { expandSequences } from '../engine/sequences';
import { validateGraph } from '../engine/validate';
import { loadMediaFacts, saveMediaFacts } from '../media/media-facts';
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
    let problems = loaded.ok ? [] : loaded.problems;
    let nodes = 0;
    if (loaded.ok) {
      const allowOutside = values['allow-outside'];
      const expanded = await expandSequences(loaded.graph, loaded.graphDir, { allowOutside });
      problems = expanded.problems;
      nodes = expanded.graph.nodes.length;
      if (!problems.length) {
        // What is known of the project's media (.shotgraph/media-facts.json): a second validate, or
        // a render after it, probes and hashes only the files that changed (docs/architecture.md §5).
        const { stateDir } = projectPaths(loaded.graphPath);
        await loadMediaFacts(stateDir, loaded.graphDir);
        problems = await validateGraph(expanded.graph, loaded.graphDir, {
          allowOutside,
          graphPath: loaded.graphPath,
        });
        // Only a film that passed keeps what was learnt: a refused (perhaps hostile) graph leaves nothing.
        if (!problems.length) await saveMediaFacts(stateDir, loaded.graphDir);
      }
    }
    if (problems.length) {
      invalid++;
      printProblems(problems, graphPath);
    } else {
      say(`${graphPath}: valid (${nodes} nodes)`);
    }
  }
  if (positionals.length > 1) warn(`${invalid} of ${positionals.length} graphs have problems.`);
  return invalid ? 1 : 0;
}
