// A failed host operation, with the problems the host named (if any).
import type { ContractErrorShape } from '../../shared/contract';
import type { Problem } from '../../shared/problems';

export class HostError extends Error {
  readonly code: string;
  readonly problems: Problem[];
  constructor(shape: ContractErrorShape) {
    super(shape.message);
    this.name = 'HostError';
    this.code = shape.code;
    this.problems = shape.problems ?? [];
  }
}
