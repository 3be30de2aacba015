// Hashing for content keys (docs/architecture.md §5); the key itself is decided by the pure function in
// shared/graph/node-keys.ts, which gets `hashText` injected.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/graph/node-keys';
import { fileSha256 } from '../media/media-facts';

export { canonicalJson };

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hashJson(value: unknown): string {
  return hashText(canonicalJson(value));
}

/**
 * sha256 of a file's bytes, remembered by path + size + mtime (in memory and in the project's
 * .shotgraph/media-facts.json), so an unchanged file is read once, not on every question.
 */
export function sha256OfFile(
  file: string,
  stat: { size: number; mtimeMs: number },
  signal?: AbortSignal,
): Promise<string> {
  return fileSha256(file, stat, signal);
}
