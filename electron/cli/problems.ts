import { formatProblem, type Problem } from '../../shared/problems';

export function printProblems(problems: Problem[], graphPath: string): void {
  console.error(
    `${graphPath}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was rendered or paid for.`,
  );
  for (const p of problems) console.error(`  ${formatProblem(p)}`);
}
