// Atomic file writes for the engine: a crash mid-write leaves the old file or the new one,
// never half of either. Built on the media layer's temp-beside-and-rename helper.
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { writeAtomically } from '../media/atomic-output';

export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeAtomically(target, async (tmp) => {
    const handle = await fs.open(tmp, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/**
 * Copies `src` to `target` atomically: a reflink where the file system shares blocks copy-on-write
 * (APFS, Btrfs, XFS), a plain copy elsewhere. Never a hard link: what the user is given (a film,
 * an exported clip) must not be the cache's own bytes, or rewriting it in place would damage the cache.
 */
export async function copyFileAtomic(src: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeAtomically(target, (tmp) => fs.copyFile(src, tmp, fsConstants.COPYFILE_FICLONE));
}
