// Content keys (docs/architecture.md §5): a node's key hashes its kind, named params, provider and the content
// of everything upstream — file bytes, never paths or timestamps — so a renamed or copied
// project keeps its cache, and an edit re-runs exactly what it affects.
import { createHash } from 'node:crypto';
import { sha256File } from './load';

export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** JSON with sorted keys, so key order in the graph file never changes a key. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
  }
  return JSON.stringify(value);
}

const fileHashes = new Map<string, Promise<string>>();

/** sha256 of a file's bytes; memoised per path+size+mtime so one run hashes each file once. */
export function sha256OfFile(file: string, stat: { size: number; mtimeMs: number }): Promise<string> {
  const memoKey = `${file}\u0000${stat.size}\u0000${stat.mtimeMs}`;
  let p = fileHashes.get(memoKey);
  if (!p) fileHashes.set(memoKey, (p = sha256File(file)));
  return p;
}
