// One shape for every problem the user can be shown: the validator, the executor and the
// editor all speak it, so a message always names the node and the field it is about.

export interface Problem {
  /** Stable code, e.g. `cycle`, `param.range`, `media.missing`. */
  code: string;
  nodeId?: string;
  field?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = [p.nodeId ? `node "${p.nodeId}"` : 'graph', p.field ? `field "${p.field}"` : '']
    .filter(Boolean)
    .join(', ');
  return `${where}: ${p.message}`;
}

export class ProblemError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ProblemError';
  }
}
