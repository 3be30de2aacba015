// Taking a project for a run: its lock, waited for while another run holds it, or (when the state
// folder cannot be written) nothing at all, which is fine only when everything is cached: then
// nothing will be paid for, so no lock, journal or history is needed.
import path from 'node:path';
import { explainWriteError, isReadOnlyError } from './disk-errors';
import type { Plan } from './plan';
import { acquireProjectLock, describeHolder, ProjectBusyError, type ProjectLock } from './project-lock';
import type { RunOptions } from './run';
import type { RunRecorder, RunReport } from './run-report';

export type ProjectAccess = { lock?: ProjectLock; readOnly: boolean } | { report: RunReport };

/** The project lock for this run, or read-only access, or the report of a run that cannot start. */
export async function takeProject(
  plan: Plan,
  opts: RunOptions,
  recorder: RunRecorder,
  onLost: (err: Error) => void,
): Promise<ProjectAccess> {
  const stateDir = plan.paths.stateDir;
  try {
    const lock = await acquireProjectLock({
      stateDir,
      wait: opts.wait !== false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      graph: path.basename(plan.paths.graphPath),
      onWaiting: (holder) =>
        recorder.emit({
          type: 'run-waiting',
          ...(holder
            ? {
                holder: {
                  pid: holder.pid,
                  host: holder.host,
                  since: holder.since,
                  ...(holder.graph ? { graph: holder.graph } : {}),
                },
              }
            : {}),
          message: `Waiting for ${describeHolder(holder)} to finish (another run of this project)…`,
        }),
      onLost,
    });
    return { lock, readOnly: false };
  } catch (e) {
    if (opts.signal?.aborted) return { report: await recorder.end('cancelled') };
    if (e instanceof ProjectBusyError) {
      return {
        report: recorder.invalid([
          {
            code: 'run.busy',
            message: `${describeHolder(e.holder)} is running this project; nothing was started (without --no-wait this run would wait for it)`,
          },
        ]),
      };
    }
    if (!isReadOnlyError(e)) throw await explainWriteError(e, stateDir, 'the project lock');
    const todo = await unfinished(plan);
    if (todo.length) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        report: recorder.invalid([
          {
            code: 'run.read-only',
            message: `the project folder ${stateDir} cannot be written (${code}), and ${todo.map((id) => `"${id}"`).join(', ')} must be made and recorded there first; make the folder writable (or copy the project somewhere writable) and run again. Nothing was submitted`,
          },
        ]),
      };
    }
    recorder.emit({
      type: 'run-notice',
      code: 'run.read-only',
      message: `${stateDir} is read-only; everything is cached and nothing will be paid for, so this run writes no lock, journal or history there`,
    });
    return { readOnly: true };
  }
}

/** Shots and final cuts this run would have to make (not in the cache, or damaged there). */
async function unfinished(plan: Plan): Promise<string[]> {
  const todo: string[] = [];
  for (const n of plan.nodes) {
    if (n.type !== 'shot' && n.type !== 'final_cut') continue;
    const key = plan.keys.get(n.id)!;
    if (!(await plan.cache.lookup(key))) todo.push(n.id);
  }
  return todo;
}
