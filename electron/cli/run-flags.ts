// The flags every command that runs a film takes the same way (render, batch): one reading, one
// message, so the two commands never disagree on what a valid --concurrency or --budget is.
import { warn } from './terminal';

export interface RunFlags {
  concurrency?: number;
  budget?: number;
}

/** Reads --concurrency and --budget; says what is wrong and returns undefined on a bad value. */
export function readRunFlags(
  command: string,
  values: { concurrency?: string; budget?: string },
): RunFlags | undefined {
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)) {
    warn(`shotgraph ${command}: --concurrency must be a whole number from 1 to 32`);
    return undefined;
  }
  const budget = values.budget === undefined ? undefined : Number(values.budget);
  if (budget !== undefined && !(budget >= 0)) {
    warn(`shotgraph ${command}: --budget must be an amount in US dollars, e.g. --budget 5`);
    return undefined;
  }
  return { concurrency, budget };
}
