// Atomic file writes for the engine: a crash mid-write leaves the old file or the new one,
// never half of either. Built on the media layer's temp-beside-and-rename helper.
import { promises as fs } from 'node:fs';
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

/** Copies (or hard-links when on one filesystem) `src` to `target` atomically. */
export async function copyFileAtomic(src: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeAtomically(target, (tmp) => fs.link(src, tmp).catch(() => fs.copyFile(src, tmp)));
}
