// `shotgraph approve FILE NODE [--take N]`: approves a take of a gated keyframe or shot, so the next
// run goes on past it (docs/architecture.md §5). Exit 0, 1 when refused (the reason is printed).
import { parseArgs } from 'node:util';
import { ProblemError } from '../../shared/problems';
import { approveTake } from '../engine/approve';
import { printProblems } from './problems';
import { say } from './terminal';

export async function approveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { take: { type: 'string' } },
  });
  const [graphPath, nodeId, ...extra] = positionals;
  if (!graphPath || !nodeId || extra.length)
    throw Object.assign(new Error('approve takes a graph file and a node id'), {
      code: 'ERR_PARSE_ARGS_MISSING',
    });
  let take: number | undefined;
  if (values.take !== undefined) {
    take = Number(values.take);
    if (!/^\d+$/.test(values.take) || take < 1)
      throw Object.assign(new Error(`--take must be a whole number from 1, not "${values.take}"`), {
        code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
      });
  }
  try {
    const approved = await approveTake(graphPath, nodeId, take);
    say(`${graphPath}: take ${approved} of "${nodeId}" approved; the next run goes on past it.`);
    return 0;
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    printProblems(e.problems, graphPath);
    return 1;
  }
}
