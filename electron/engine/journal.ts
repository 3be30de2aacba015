// The submission journal: never pay twice (docs/architecture.md §5). Every remote create call is bracketed by
// fsynced JSONL records, so after a crash or kill the next run knows a task may exist and polls
// it (or looks it up in the gateway's task list) instead of submitting the same shot again.
// The file is the shared truth between processes (the project lock keeps one writer at a time):
// it is read again before every record, so an intent is never written over a task another run
// recorded, and each record is one whole-line write with O_APPEND, fsynced before it counts.
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
  /** Reads what other processes appended since the last read. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface JournalOptions {
  /**
   * Read the journal without ever writing it (a read-only project whose run pays for nothing):
   * any record then fails with a message naming the folder, so no paid call can follow.
   */
  readOnly?: boolean;
}

/** Another run recorded a submission of the same shot while this one was deciding what to do. */
export class JournalConflictError extends Error {
  constructor(public readonly entry: JournalEntry) {
    super(
      `another Shotgraph run recorded this shot (${entry.state}${entry.taskId ? `, task ${entry.taskId}` : ''}) at ${new Date(entry.at).toISOString()}; ` +
        `it was not submitted again, so it is not paid for twice. Run again to pick up that task.`,
    );
    this.name = 'JournalConflictError';
  }
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

/** Parses whole lines; a damaged line is skipped, the records around it still count. */
function parseLines(text: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = entrySchema.safeParse(JSON.parse(line));
      if (r.success) entries.push(r.data as JournalEntry);
    } catch {
      // not JSON: a line torn by a power cut long ago, or garbage
    }
  }
  return entries;
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

export async function openJournal(stateDir: string, opts: JournalOptions = {}): Promise<Journal> {
  const file = path.resolve(stateDir, JOURNAL_FILE);
  const latest = new Map<string, JournalEntry>();
  /** The latest entry per id as it stands in the file on disk (to rewrite a journal deleted under us). */
  let onDisk = new Map<string, string>();
  /** Where the file was read up to (always a line end), and which file that was. */
  let offset = 0;
  let ino = -1;
  let handle: fs.FileHandle | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const apply = (entries: JournalEntry[]) => {
    for (const e of entries) {
      const id = entryId(e.provider, e.key);
      latest.set(id, e);
      onDisk.set(id, JSON.stringify(e));
    }
  };

  /** Reads new whole lines; a file replaced or shortened under us is read again from the start. */
  const readNew = async (): Promise<void> => {
    let st;
    try {
      st = await fs.stat(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (ino !== -1) onDisk = new Map(); // deleted: what we know is no longer on disk
      ino = -1;
      offset = 0;
      return;
    }
    if (st.ino !== ino || st.size < offset) {
      ino = st.ino;
      offset = 0;
      onDisk = new Map();
    }
    if (st.size === offset) return;
    const fh = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(st.size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      const text = buf.subarray(0, bytesRead);
      const end = text.lastIndexOf(0x0a) + 1; // a line still being written is read next time
      apply(parseLines(text.subarray(0, end).toString('utf8')));
      offset += end;
    } finally {
      await fh.close();
    }
  };

  /** The file ends inside a line: the next write starts a new one (see `endsMidLine`). */
  let midLine = false;
  if (!opts.readOnly) {
    await fs.mkdir(stateDir, { recursive: true });
    midLine = await endsMidLine(file);
  }
  await readNew();

  /** An append handle on the file at `file` now, recreating it (with what we know) if it was deleted. */
  const liveHandle = async (): Promise<fs.FileHandle> => {
    if (handle) {
      const [mine, there] = await Promise.all([handle.stat(), fs.stat(file).catch(() => undefined)]);
      if (there && there.ino === mine.ino) return handle;
      await handle.close().catch(() => undefined);
      handle = undefined;
    }
    const created = !(await fs.stat(file).catch(() => undefined));
    if (created) midLine = false;
    handle = await fs.open(file, 'a', 0o600);
    // A new file's directory entry must be durable too, or a power cut can lose the whole journal.
    if (created) await syncDir(path.dirname(file));
    await readNew();
    // Records the file lost (it was deleted mid-run) go back first, so a rerun still finds them.
    const missing = [...latest].filter(([id, e]) => onDisk.get(id) !== JSON.stringify(e)).map(([, e]) => e);
    if (missing.length) await writeLines(handle, missing);
    return handle;
  };

  const writeLines = async (h: fs.FileHandle, entries: JournalEntry[]): Promise<void> => {
    const lead = midLine ? '\n' : '';
    const buf = Buffer.from(lead + entries.map((e) => JSON.stringify(e) + '\n').join(''));
    const before = (await h.stat()).size;
    const { bytesWritten } = await h.write(buf, 0, buf.length);
    if (bytesWritten !== buf.length) {
      // End the fragment so it is skipped as one damaged line, not glued to the next record.
      await h.write('\n').catch(() => undefined);
      throw new Error(`the journal ${file} took only ${bytesWritten} of ${buf.length} bytes`);
    }
    await h.sync();
    midLine = false;
    for (const e of entries) onDisk.set(entryId(e.provider, e.key), JSON.stringify(e));
    // Our own lines need no second read, unless another writer appended meanwhile.
    if (before === offset && (await h.stat()).size === offset + buf.length) offset += buf.length;
  };

  /** Serialised with every other read and write, so records never interleave. */
  const queue = <T>(step: () => Promise<T>): Promise<T> => {
    const run = chain.then(step);
    chain = run.catch(() => undefined); // one failed write must not block every later one
    return run;
  };

  type Make = (prev: JournalEntry | undefined) => JournalEntry;
  type Guard = (now: JournalEntry | undefined) => void;
  interface Asked {
    id: string;
    make: Make;
    guard?: Guard | undefined;
    resolve: () => void;
    reject: (e: unknown) => void;
  }
  /** Records asked for while a write is under way: they go out together, one write and one fsync. */
  let asked: Asked[] = [];

  /**
   * Writes every record asked for so far (group commit): ten shots starting at once cost one fsync,
   * not ten in a row. Each still counts only once the fsync that holds it has returned, and each is
   * guarded and made from the latest record of its shot, this batch's included.
   */
  const flush = async (): Promise<void> => {
    const batch = asked;
    asked = [];
    if (opts.readOnly) {
      const e = new Error(
        `the project folder ${path.dirname(file)} is read-only, so this shot cannot be recorded in its journal before it is paid for; nothing was submitted. Make the folder writable and run again`,
      );
      for (const a of batch) a.reject(e);
      return;
    }
    const made: { a: Asked; entry: JournalEntry }[] = [];
    try {
      await readNew();
      const mine = new Map<string, JournalEntry>();
      for (const a of batch) {
        const now = mine.get(a.id) ?? latest.get(a.id);
        try {
          a.guard?.(now);
          const entry = a.make(now);
          const clean: JournalEntry = entry.error
            ? { ...entry, error: redactCredentials(entry.error) }
            : entry;
          mine.set(a.id, clean);
          made.push({ a, entry: clean });
        } catch (e) {
          a.reject(e);
        }
      }
      if (made.length)
        await writeLines(
          await liveHandle(),
          made.map((m) => m.entry),
        );
    } catch (e) {
      for (const m of made.length ? made.map((x) => x.a) : batch) m.reject(e);
      return;
    }
    for (const { a, entry } of made) latest.set(a.id, entry);
    for (const { a } of made) a.resolve();
  };

  const append = (id: string, make: Make, guard?: Guard) =>
    new Promise<void>((resolve, reject) => {
      asked.push({ id, make, guard, resolve, reject });
      // The first record asked for schedules the write that takes it and all that join it meanwhile.
      if (asked.length === 1) void queue(flush);
    });

  return {
    file,
    forShot(key, nodeId, provider) {
      const id = entryId(provider, key);
      const base = () => ({ key, nodeId, provider, at: Date.now() });
      // What this shot's caller has seen: an intent is refused if the file says more than that.
      let seen = JSON.stringify(latest.get(id) ?? null);
      const note = () => {
        const cur = latest.get(id);
        seen = JSON.stringify(cur ?? null);
        return cur;
      };
      const record = (make: Make, guard?: Guard) => append(id, make, guard).then(() => void note());
      return {
        current: note,
        intent: () =>
          record(
            () => ({ ...base(), state: 'intent' }),
            (now) => {
              if (now && JSON.stringify(now) !== seen && now.state !== 'failed')
                throw new JournalConflictError(now);
            },
          ),
        submitted: (taskId) => record(() => ({ ...base(), state: 'submitted', taskId })),
        // An unknown outcome keeps the time of its intent: that is when the task may have been
        // created, and where the next run's lookup in the task list starts.
        unknown: (error) =>
          record((prev) => {
            const at = prev?.state === 'intent' || prev?.state === 'unknown' ? prev.at : Date.now();
            return { ...base(), at, state: 'unknown', error, ...taskIdOf(prev) };
          }),
        finished: (state, error) =>
          record((prev) => ({ ...base(), state, ...taskIdOf(prev), ...(error ? { error } : {}) })),
      };
    },
    entries: () => [...latest.values()],
    refresh: () => queue(readNew),
    close: async () => {
      await chain;
      await handle?.close();
      handle = undefined;
    },
  };
}

/**
 * Whether the file's last line is unfinished: a power cut mid-append, or another process's append
 * still being copied in (a reader can see part of a large write). Nothing is cut off — that could
 * destroy a record another process is writing — the next record just starts on a line of its own,
 * and the fragment is skipped as one damaged line (an in-flight one completes as a whole record).
 */
async function endsMidLine(file: string): Promise<boolean> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await fh.close();
  }
}

function taskIdOf(e: JournalEntry | undefined): { taskId?: string } {
  return e?.taskId ? { taskId: e.taskId } : {};
}
