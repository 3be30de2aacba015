// A write that fails for lack of room or permission says where and why, not just ENOSPC or EROFS:
// the user needs the folder to free or to make writable, and how much room is left there.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const FULL = /ENOSPC|EDQUOT|No space left on device|Disk quota exceeded/i;
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);

/** A write refused by a read-only or protected folder; with `under`, only for a path inside it. */
export function isReadOnlyError(e: unknown, under?: string): boolean {
  const err = e as NodeJS.ErrnoException;
  if (!READ_ONLY.has(err?.code ?? '')) return false;
  if (under === undefined) return true;
  return typeof err.path === 'string' && !path.relative(under, err.path).startsWith('..');
}

export function isDiskFullError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  // ffmpeg says it in its stderr (FfmpegError keeps the whole tail there).
  const said = `${(e as Error)?.message ?? ''}\n${(e as { stderr?: unknown })?.stderr ?? ''}`;
  return code === 'ENOSPC' || code === 'EDQUOT' || FULL.test(said);
}

/**
 * `e` re-worded when it is a full disk or a read-only folder; otherwise `e` itself.
 * `where` is the file or folder being written, `what` says what it is ("the final cut"), and
 * `needBytes` its size when known.
 */
export async function explainWriteError(
  e: unknown,
  where: string,
  what: string,
  needBytes?: number,
): Promise<unknown> {
  if (isDiskFullError(e)) {
    const free = await freeSpace(where);
    const room = [
      free === undefined ? '' : `${formatBytes(free)} free on that disk`,
      needBytes === undefined ? '' : `${formatBytes(needBytes)} needed`,
    ].filter(Boolean);
    return Object.assign(
      new Error(
        `the disk is full: ${what} could not be written to ${where}${room.length ? ` (${room.join(', ')})` : ''}. Free some space and run again; finished clips are kept`,
      ),
      { code: 'ENOSPC', ...keep(e) },
    );
  }
  if (isReadOnlyError(e)) {
    const code = (e as NodeJS.ErrnoException).code!;
    return Object.assign(
      new Error(
        `${what} could not be written to ${where}: the folder is read-only (${code}). Make it writable${what.includes('film') ? ' or choose another --out' : ''} and run again`,
      ),
      { code, ...keep(e) },
    );
  }
  return e;
}

/** A provider error's field and task id survive the re-wording. */
function keep(e: unknown): { opts?: unknown } {
  const opts = (e as { opts?: unknown })?.opts;
  return opts ? { opts } : {};
}

/** Bytes available to this user on the disk holding `where` (its nearest existing folder). */
export async function freeSpace(where: string): Promise<number | undefined> {
  let dir = path.resolve(where);
  for (;;) {
    try {
      const s = await fs.statfs(dir);
      return s.bavail * s.bsize;
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
