// Autosave copies of unsaved work, one per document, so a crash or a closed tab loses at most a
// few seconds. A clean save or an explicit discard removes the copy.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../engine/atomic';

export interface RecoveryItem {
  path: string | null;
  name: string;
  savedAt: number;
  graph: Record<string, unknown>;
}

export class RecoveryStore {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'recovery');
  }

  private fileFor(docPath: string | null): string {
    const id = createHash('sha256')
      .update(docPath ?? '<untitled>')
      .digest('hex')
      .slice(0, 16);
    return path.join(this.dir, `${id}.json`);
  }

  async save(docPath: string | null, graph: Record<string, unknown>): Promise<void> {
    const name = typeof graph.name === 'string' ? graph.name : 'Untitled film';
    const item: RecoveryItem = { path: docPath, name, savedAt: Date.now(), graph };
    await writeFileAtomic(this.fileFor(docPath), JSON.stringify(item), 0o600);
  }

  async discard(docPath: string | null): Promise<void> {
    await fs.rm(this.fileFor(docPath), { force: true });
  }

  async list(): Promise<RecoveryItem[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const items: RecoveryItem[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const item = JSON.parse(await fs.readFile(path.join(this.dir, name), 'utf8')) as RecoveryItem;
        if (item && typeof item.savedAt === 'number' && item.graph) items.push(item);
      } catch {
        // A copy that cannot be read is worth nothing; the next autosave replaces it.
      }
    }
    return items.sort((a, b) => b.savedAt - a.savedAt);
  }
}
