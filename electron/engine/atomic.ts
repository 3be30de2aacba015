// Atomic file writes: a crash mid-write leaves the old file or the new one, never half of either.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

function tempBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempBeside(target);
  const handle = await fs.open(tmp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await renameOrCleanup(tmp, target);
}

/** Copies (or hard-links when on one filesystem) `src` to `target` atomically. */
export async function copyFileAtomic(src: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempBeside(target);
  try {
    await fs.link(src, tmp);
  } catch {
    await fs.copyFile(src, tmp);
  }
  await renameOrCleanup(tmp, target);
}

async function renameOrCleanup(tmp: string, target: string): Promise<void> {
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
