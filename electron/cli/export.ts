// `shotgraph export`: the final cut's timeline as an OpenTimelineIO file and/or a storyboard sheet
// (PNG, or PDF by extension), from the clips already rendered. Renders nothing, calls no gateway.
import { parseArgs } from 'node:util';
import { exportCut } from '../engine/export-cut';
import { printProblems } from './problems';
import { say, warn } from './terminal';

export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      otio: { type: 'string' },
      storyboard: { type: 'string' },
      node: { type: 'string' },
      provider: { type: 'string' },
      'allow-outside': { type: 'boolean', default: false },
    },
  });
  const graphPath = positionals[0];
  if (!graphPath)
    throw Object.assign(new Error('a graph file is required'), { code: 'ERR_PARSE_ARGS_MISSING' });
  if (!values.otio && !values.storyboard) {
    warn('shotgraph export: say what to write: --otio FILE and/or --storyboard FILE (.png or .pdf)');
    return 2;
  }
  const result = await exportCut({
    graphPath,
    allowOutside: values['allow-outside'],
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values.node ? { node: values.node } : {}),
    ...(values.otio ? { otio: values.otio } : {}),
    ...(values.storyboard ? { storyboard: values.storyboard } : {}),
  });
  if (!result.ok) {
    const [only] = result.problems;
    if (result.problems.length === 1 && only?.code === 'export.no-cut') warn(`${graphPath}: ${only.message}`);
    else printProblems(result.problems, graphPath);
    return 1;
  }
  for (const file of result.written) say(file);
  return 0;
}
