// Every committed cache entry of a project, grouped by node, read once and reused while the cache
// folder holds the same entries: asking which takes or earlier clips a film has must not re-read
// the whole cache for every node on every question.
import { promises as fs } from 'node:fs';
import type { CacheHit, OutputCache } from './cache';

export interface CacheIndex {
  /** Entries made by a node, newest first (takes, earlier versions). */
  byNode(nodeId: string): CacheHit[];
}

const ENTRY = /^[0-9a-f]{64}$/;
const memo = new Map<string, { names: string; index: CacheIndex }>();

export async function cacheIndex(cache: OutputCache): Promise<CacheIndex> {
  const names = (await fs.readdir(cache.dir).catch(() => [] as string[])).filter((n) => ENTRY.test(n)).sort();
  const signature = names.join(',');
  const known = memo.get(cache.dir);
  if (known?.names === signature) return known.index;
  const grouped = new Map<string, CacheHit[]>();
  const hits = await Promise.all(names.map((name) => cache.lookup(name).catch(() => undefined)));
  for (const hit of hits) {
    if (!hit) continue;
    const list = grouped.get(hit.manifest.nodeId) ?? [];
    list.push(hit);
    grouped.set(hit.manifest.nodeId, list);
  }
  for (const list of grouped.values()) list.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
  const index: CacheIndex = { byNode: (id) => grouped.get(id) ?? [] };
  memo.set(cache.dir, { names: signature, index });
  return index;
}
