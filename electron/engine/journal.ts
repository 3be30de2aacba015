// The submission journal: never pay twice (docs/architecture.md §5). Every remote create call is bracketed by
// fsynced JSONL records, so after a crash or kill the next run knows a task may exist and polls
// it (or looks it up in the gateway's task list) instead of submitting the same shot again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { redactCredentials } from '../providers/remote/redact';
import type { JournalEntry, ShotJournal } from '../providers/types';

export const JOURNAL_FILE = 'journal.jsonl';

export interface Journal {
  /** Absolute path of the JSONL file (for messages telling the user where to look). */
  readonly file: string;
  forShot(key: string, nodeId: string, provider: string): ShotJournal;
  /** Latest entry per (provider, key). */
  entries(): JournalEntry[];
  close(): Promise<void>;
}

const entrySchema = z.object({
  key: z.string(),
  nodeId: z.string(),
  provider: z.string(),
  state: z.enum(['intent', 'submitted', 'succeeded', 'failed', 'unknown']),
  taskId: z.string().optional(),
  at: z.number(),
  error: z.string().optional(),
});

function entryId(provider: string, key: string): string {
  return `${provider}\u0000${key}`;
}

/** Reads the journal, dropping a torn last line (a power cut mid-append) so the next append starts clean. */
async function load(file: string): Promise<{ entries: JournalEntry[]; created: boolean }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], created: true };
    throw e;
  }
  if (text.length && !text.endsWith('\n')) {
    // Without this the next record would be glued to the fragment and lost with it.
    const keep = text.lastIndexOf('\n') + 1;
    await fs.truncate(file, Buffer.byteLength(text.slice(0, keep)));
    text = text.slice(0, keep);
  }
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = entrySchema.safeParse(JSON.parse(line));
      if (r.success) entries.push(r.data as JournalEntry);
    } catch {
      // A damaged line in the middle: the records around it are intact and still count.
    }
  }
  return { entries, created: false };
}

async function syncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch {
    // Not possible on every platform (Windows); the file's own fsync still holds its records.
  } finally {
    await fh?.close();
  }
}

export async function openJournal(stateDir: string): Promise<Journal> {
  await fs.mkdir(stateDir, { recursive: true });
  const file = path.resolve(stateDir, JOURNAL_FILE);
  const { entries, created } = await load(file);
  const latest = new Map<string, JournalEntry>();
  for (const e of entries) latest.set(entryId(e.provider, e.key), e);
  const handle = await fs.open(file, 'a', 0o600);
  // A new file's directory entry must be durable too, or a power cut can lose the whole journal.
  if (created) await syncDir(path.dirname(file));
  let chain: Promise<void> = Promise.resolve();

  // Appends are serialised so concurrent shots never interleave half-lines; each is fsynced before
  // its promise resolves, which is what lets a provider make the paid call afterwards.
  const append = (entry: JournalEntry): Promise<void> => {
    const clean: JournalEntry = entry.error ? { ...entry, error: redactCredentials(entry.error) } : entry;
    latest.set(entryId(clean.provider, clean.key), clean);
    const line = JSON.stringify(clean) + '\n';
    const write = chain.then(async () => {
      await handle.write(line);
      await handle.sync();
    });
    chain = write.catch(() => undefined); // one failed write must not block every later one
    return write;
  };

  return {
    file,
    forShot(key, nodeId, provider) {
      const id = entryId(provider, key);
      const base = () => ({ key, nodeId, provider, at: Date.now() });
      return {
        current: () => latest.get(id),
        intent: () => append({ ...base(), state: 'intent' }),
        submitted: (taskId) => append({ ...base(), state: 'submitted', taskId }),
        // An unknown outcome keeps the time of its intent: that is when the task may have been
        // created, and where the next run's lookup in the task list starts.
        unknown: (error) => {
          const prev = latest.get(id);
          const at = prev?.state === 'intent' || prev?.state === 'unknown' ? prev.at : Date.now();
          return append({ ...base(), at, state: 'unknown', error, ...taskIdOf(prev) });
        },
        finished: (state, error) =>
          append({ ...base(), state, ...taskIdOf(latest.get(id)), ...(error ? { error } : {}) }),
      };
    },
    entries: () => [...latest.values()],
    close: async () => {
      await chain;
      await handle.close();
    },
  };
}

function taskIdOf(e: JournalEntry | undefined): { taskId?: string } {
  return e?.taskId ? { taskId: e.taskId } : {};
}
