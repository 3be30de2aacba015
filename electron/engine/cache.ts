// Content-addressed output cache: `<project>/.shotgraph/cache/<key>/` holds a node's files and a
// manifest naming them relative to that folder, so the folder can move with the project. The
// manifest records each file's sha256 and is checked before reuse: a manifest that is not what we
// wrote, a missing file or changed bytes make the entry a miss, rebuilt like one never made.
import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { NodeOutput } from '../../shared/events';
import { writeFileAtomic } from './atomic';
import { knownAs } from '../media/media-facts';
import { sha256OfFile } from './keys';

const SHA256 = /^[0-9a-f]{64}$/;

/** A file name inside the entry folder: never a path that could lead out of it. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => n !== '.' && n !== '..' && !/[\\/\0]/.test(n), 'not a plain file name');

const manifestSchema = z.object({
  key: z.string().min(1),
  nodeId: z.string(),
  kind: z.string(),
  files: z.record(z.string(), fileName),
  createdAt: z.number(),
  provider: z.string().optional(),
  take: z.number().int().min(1).optional(),
  taskId: z.string().optional(),
  tokens: z.number().optional(),
  costUsd: z.number().optional(),
  durationSec: z.number().optional(),
  sha256: z.record(fileName, z.string().regex(SHA256)).optional(),
});

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
  /** File name → sha256 of its bytes when committed; absent only in entries made before checksums. */
  sha256?: Record<string, string>;
}

export interface CacheHit {
  manifest: CacheManifest;
  outputs: NodeOutput;
}

/** Why a key is not usable: never made, or made and since damaged (then rebuilt). */
export type CacheMiss = { miss: 'absent' } | { miss: 'damaged'; reason: string };

export class OutputCache {
  constructor(public readonly dir: string) {}

  entryDir(key: string): string {
    return path.join(this.dir, key);
  }

  async lookup(key: string): Promise<CacheHit | undefined> {
    const r = await this.inspect(key);
    return 'miss' in r ? undefined : r;
  }

  /** The entry for `key` after checking its manifest, files and checksums. */
  async inspect(key: string): Promise<CacheHit | CacheMiss> {
    const dir = this.entryDir(key);
    let text: string;
    try {
      text = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { miss: 'absent' };
      return damaged(`its manifest cannot be read (${code ?? (e as Error).message})`);
    }
    let parsed: z.infer<typeof manifestSchema>;
    try {
      const r = manifestSchema.safeParse(JSON.parse(text));
      if (!r.success)
        return damaged(`its manifest is malformed (${r.error.issues[0]?.path.join('.') || 'root'})`);
      parsed = r.data;
    } catch {
      return damaged('its manifest is not JSON');
    }
    const manifest = parsed as CacheManifest;
    if (manifest.key !== key) return damaged('its manifest belongs to another entry');
    // Entries made before checksums: a shot is kept (it was paid for); anything else is cheap to
    // make again, and a film could have been rewritten through the hard link older versions made.
    if (!manifest.sha256 && manifest.kind !== 'shot') return damaged('it was made without checksums');
    const outputs: NodeOutput = {};
    for (const [port, name] of Object.entries(manifest.files)) {
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat?.isFile() || stat.size === 0) return damaged(`its ${port} file ${name} is missing or empty`);
      if (manifest.sha256) {
        const want = manifest.sha256[name];
        if (!want) return damaged(`its manifest has no checksum for ${name}`);
        const got = await sha256OfFile(file, stat).catch(() => undefined);
        if (got !== want) return damaged(`its ${port} file ${name} changed since it was cached`);
      }
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

  /** Checksums the files, then moves `scratchDir` into place as the entry for manifest.key. */
  async commit(scratchDir: string, manifest: CacheManifest): Promise<CacheHit> {
    const sha256: Record<string, string> = {};
    const outputs: NodeOutput = {};
    const hashed: [string, Stats][] = [];
    for (const [port, name] of Object.entries(manifest.files)) {
      const file = path.join(scratchDir, name);
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size === 0) throw new Error(`cache entry ${manifest.key}: ${name} is empty`);
      sha256[name] = await sha256OfFile(file, stat);
      hashed.push([name, stat]);
      outputs[port] = path.join(this.entryDir(manifest.key), name);
    }
    const sealed: CacheManifest = { ...manifest, sha256 };
    await writeFileAtomic(path.join(scratchDir, 'manifest.json'), JSON.stringify(sealed, null, 2) + '\n');
    const dir = this.entryDir(manifest.key);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(scratchDir, dir);
    // The files were just hashed under their scratch path; a rename keeps their bytes and times.
    for (const [name, stat] of hashed) knownAs(path.join(dir, name), stat, sha256[name]!);
    return { manifest: sealed, outputs };
  }

  /** Records checksums in an entry made before them, so its bytes are checked from now on. */
  async seal(hit: CacheHit): Promise<void> {
    if (hit.manifest.sha256) return;
    const sha256: Record<string, string> = {};
    for (const file of Object.values(hit.outputs))
      sha256[path.basename(file)] = await sha256OfFile(file, await fs.stat(file));
    hit.manifest = { ...hit.manifest, sha256 };
    await writeFileAtomic(
      path.join(this.entryDir(hit.manifest.key), 'manifest.json'),
      JSON.stringify(hit.manifest, null, 2) + '\n',
    );
  }

  /** Every committed entry made by `nodeId`, newest first (takes, earlier versions). */
  async entriesFor(nodeId: string): Promise<CacheHit[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const hits: CacheHit[] = [];
    for (const name of names) {
      if (!SHA256.test(name)) continue;
      // Only this node's entries are checked (and hashed); the rest are not read past their owner.
      if ((await ownerOf(path.join(this.dir, name))) !== nodeId) continue;
      const hit = await this.lookup(name);
      if (hit && hit.manifest.nodeId === nodeId) hits.push(hit);
    }
    return hits.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt);
  }

  async discard(scratchDir: string): Promise<void> {
    await fs.rm(scratchDir, { recursive: true, force: true });
  }
}

async function ownerOf(entryDir: string): Promise<string | undefined> {
  try {
    const v = JSON.parse(await fs.readFile(path.join(entryDir, 'manifest.json'), 'utf8')) as unknown;
    const id = v && typeof v === 'object' ? (v as { nodeId?: unknown }).nodeId : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function damaged(reason: string): CacheMiss {
  return { miss: 'damaged', reason };
}
