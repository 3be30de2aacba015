import { formatProblem, type Problem } from '../../shared/problems';
import { forTerminal, warn } from './terminal';

export function printProblems(problems: Problem[], graphPath: string): void {
  warn(
    `${graphPath}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was rendered or paid for.`,
  );
  // One line per problem whatever the message holds, so a file name cannot forge another line.
  for (const p of problems) warn(`  ${forTerminal(formatProblem(p), { singleLine: true })}`);
}
