// Recently opened graphs, newest first, kept in the editor's state folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../engine/atomic';

const MAX_RECENT = 12;

export interface RecentFile {
  path: string;
  name: string;
  openedAt: number;
}

export class RecentFiles {
  private readonly file: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'recent.json');
  }

  async list(): Promise<RecentFile[]> {
    try {
      const data = JSON.parse(await fs.readFile(this.file, 'utf8')) as unknown;
      return Array.isArray(data) ? (data as RecentFile[]).filter((f) => typeof f?.path === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Serialised so two quick saves cannot interleave their read-modify-write. */
  touch(shownPath: string, name: string): Promise<void> {
    const next = this.chain.then(async () => {
      const files = (await this.list()).filter((f) => f.path !== shownPath);
      files.unshift({ path: shownPath, name, openedAt: Date.now() });
      await writeFileAtomic(this.file, JSON.stringify(files.slice(0, MAX_RECENT), null, 2), 0o600);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
