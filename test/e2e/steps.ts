// An e2e file is one story told in steps against one page: a step after a failed one cannot mean
// anything, so it is reported as not run (naming the failure) instead of failing on its own; a failed
// step leaves a screenshot of what the page showed.
import { it } from 'vitest';

type Shoot = (name: string) => Promise<void>;

/** `step(name, fn, timeout?)` for one file; `shoot` is read when a step fails (set in beforeAll). */
export function storySteps(shoot: () => Shoot | undefined) {
  let broken: string | null = null;
  return function step(name: string, fn: () => Promise<void> | void, timeout?: number): void {
    it(
      name,
      async () => {
        if (broken) throw new Error(`not run: the step "${broken}" failed`);
        try {
          await fn();
        } catch (e) {
          broken = name;
          await shoot()?.('failed').catch(() => undefined);
          throw e;
        }
      },
      timeout,
    );
  };
}
