// Content-addressed output cache: `<project>/.shotgraph/cache/<key>/` holds a node's files and a
// manifest naming them relative to that folder, so the folder can move with the project.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NodeOutput } from '../../shared/events';
import { writeFileAtomic } from './atomic';

export interface CacheManifest {
  key: string;
  nodeId: string;
  kind: string;
  /** Output port → file name inside the entry folder. */
  files: Record<string, string>;
  createdAt: number;
  provider?: string;
  /** Take number of a shot; every take stays on disk under its own key. */
  take?: number;
  taskId?: string;
  tokens?: number;
  costUsd?: number;
  durationSec?: number;
}

export interface CacheHit {
  manifest: CacheManifest;
  outputs: NodeOutput;
}

export class OutputCache {
  constructor(public readonly dir: string) {}

  entryDir(key: string): string {
    return path.join(this.dir, key);
  }

  async lookup(key: string): Promise<CacheHit | undefined> {
    const dir = this.entryDir(key);
    let manifest: CacheManifest;
    try {
      manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as CacheManifest;
    } catch {
      return undefined;
    }
    const outputs: NodeOutput = {};
    for (const [port, name] of Object.entries(manifest.files)) {
      const file = path.join(dir, path.basename(name));
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat || stat.size === 0) return undefined; // a damaged entry is a miss, never a broken clip
      outputs[port] = file;
    }
    return { manifest, outputs };
  }

  /** A fresh folder for a node to write into; committed with `commit`. */
  async scratch(key: string): Promise<string> {
    const dir = path.join(this.dir, '.work', `${key.slice(0, 16)}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  /** Moves `scratchDir` into place as the entry for manifest.key, atomically. */
  async commit(scratchDir: string, manifest: CacheManifest): Promise<CacheHit> {
    await writeFileAtomic(path.join(scratchDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    const dir = this.entryDir(manifest.key);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(scratchDir, dir);
    const hit = await this.lookup(manifest.key);
    if (!hit) throw new Error(`cache entry ${manifest.key} is incomplete after writing`);
    return hit;
  }

  /** Every committed entry made by `nodeId`, newest first (takes, earlier versions). */
  async entriesFor(nodeId: string): Promise<CacheHit[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const hits: CacheHit[] = [];
    for (const name of names) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const hit = await this.lookup(name);
      if (hit && hit.manifest.nodeId === nodeId) hits.push(hit);
    }
    return hits.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
  }

  async discard(scratchDir: string): Promise<void> {
    await fs.rm(scratchDir, { recursive: true, force: true });
  }
}
