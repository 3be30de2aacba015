// A separate process that takes a project's lock the way a run does, holds it for a while and
// logs when it held it, so tests can check mutual exclusion across real processes.
// Usage: node --import tsx test/helpers/hold-lock.ts <stateDir> <holdMs> [<logFile>]
import { appendFileSync } from 'node:fs';
import { acquireProjectLock } from '../../electron/engine/project-lock';

const [stateDir, holdMs, logFile] = process.argv.slice(2);
const lock = await acquireProjectLock({
  stateDir: stateDir!,
  graph: 'hold-lock',
  onWaiting: (h) => console.log(`waiting ${h ? h.pid : '?'}`),
});
const start = Date.now();
console.log(`locked ${process.pid}`);
await new Promise((r) => setTimeout(r, Number(holdMs)));
const end = Date.now();
if (logFile) appendFileSync(logFile, `${process.pid} ${start} ${end}\n`);
await lock.release();
console.log('released');
