// Media files are written under a temp name beside their destination and renamed into place, so a
// crash or cancel never leaves a half-written clip where the cache would take it for a finished one.
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** A temp path in the same folder as `dest` (rename is only atomic within one file system). */
export function tempBeside(dest: string): string {
  return path.join(
    path.dirname(dest),
    `.${path.basename(dest)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
}

/** Runs `write(tmp)` then renames tmp over `dest`; removes tmp if anything fails. */
export async function writeAtomically<T>(dest: string, write: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = tempBeside(dest);
  try {
    const result = await write(tmp);
    await rename(tmp, dest);
    return result;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
