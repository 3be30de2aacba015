// Every committed cache entry of a project, grouped by node and by key, read once and reused while
// the cache folder is unchanged (same entries, same mtime): asking which clips a film has must not
// re-read the whole cache for every node on every question.
import { promises as fs } from 'node:fs';
import type { CacheHit, OutputCache } from './cache';

export interface CacheIndex {
  /** Entries made by a node, newest first (takes, earlier versions). */
  byNode(nodeId: string): CacheHit[];
  /** The entry of a key, its files checked again now (a damaged entry is a miss, as for a run). */
  lookup(key: string): Promise<CacheHit | undefined>;
}

const ENTRY = /^[0-9a-f]{64}$/;
const memo = new Map<string, { names: string; index: CacheIndex }>();

export async function cacheIndex(cache: OutputCache): Promise<CacheIndex> {
  // An entry replaced under the same name (rm + rename) changes the folder's mtime, not its names.
  const [list, st] = await Promise.all([
    fs.readdir(cache.dir).catch(() => [] as string[]),
    fs.stat(cache.dir).catch(() => undefined),
  ]);
  const names = list.filter((n) => ENTRY.test(n)).sort();
  const signature = `${st?.mtimeMs ?? 0}:${names.join(',')}`;
  const known = memo.get(cache.dir);
  if (known?.names === signature) return known.index;
  const grouped = new Map<string, CacheHit[]>();
  const byKey = new Map<string, CacheHit>();
  const hits = await Promise.all(names.map((name) => cache.lookup(name).catch(() => undefined)));
  for (const hit of hits) {
    if (!hit) continue;
    byKey.set(hit.manifest.key, hit);
    const list = grouped.get(hit.manifest.nodeId) ?? [];
    list.push(hit);
    grouped.set(hit.manifest.nodeId, list);
  }
  for (const list of grouped.values()) list.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
  const index: CacheIndex = {
    byNode: (id) => grouped.get(id) ?? [],
    lookup: async (key) => {
      const hit = byKey.get(key);
      if (!hit) return undefined;
      const sizes = await Promise.all(
        Object.values(hit.outputs).map((f) =>
          fs.stat(f).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      return sizes.every((size) => size > 0) ? hit : undefined;
    },
  };
  memo.set(cache.dir, { names: signature, index });
  return index;
}
