// The journal as the truth shared between processes: read again before every record, one whole
// line per write, never an intent over a task another run recorded, rebuilt when deleted mid-run,
// and never written in a read-only project.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, JournalConflictError, openJournal } from '../../electron/engine/journal';
import { REPO } from '../helpers/cli';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function stateDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-journal-shared-'));
  dirs.push(d);
  return path.join(d, '.shotgraph');
}

const lines = async (dir: string) =>
  (await readFile(path.join(dir, JOURNAL_FILE), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { key: string; state: string; taskId?: string });

describe('journal shared between processes', () => {
  it('refuses an intent when another process recorded the same shot since this one looked', async () => {
    const dir = await stateDir();
    const mine = await openJournal(dir);
    const theirs = await openJournal(dir); // as a second process would have it open
    const shot = mine.forShot('k1', 'shot-1', 'ark');
    expect(shot.current()).toBeUndefined(); // decides: nothing recorded, so submit
    await theirs.forShot('k1', 'shot-1', 'ark').intent();
    await theirs.forShot('k1', 'shot-1', 'ark').submitted('cgt-20260101000000-other');
    const err = await shot.intent().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalConflictError);
    expect((err as Error).message).toMatch(/cgt-20260101000000-other.*not submitted again/);
    // It now knows the other run's task, and wrote nothing of its own.
    expect(shot.current()).toMatchObject({ state: 'submitted', taskId: 'cgt-20260101000000-other' });
    expect((await lines(dir)).map((l) => l.state)).toEqual(['intent', 'submitted']);
    // Having seen it, a caller that decides again may record on top of it (e.g. after a failure).
    await theirs.forShot('k1', 'shot-1', 'ark').finished('failed', 'expired');
    await mine.refresh();
    const again = mine.forShot('k1', 'shot-1', 'ark');
    expect(again.current()?.state).toBe('failed');
    await again.intent();
    expect((await lines(dir)).map((l) => l.state)).toEqual(['intent', 'submitted', 'failed', 'intent']);
    await mine.close();
    await theirs.close();
  });

  it('refresh() picks up what another process appended, and each record sees the latest state', async () => {
    const dir = await stateDir();
    const a = await openJournal(dir);
    const b = await openJournal(dir);
    await b.forShot('k2', 'shot-2', 'ark').intent();
    expect(a.entries()).toHaveLength(0);
    await a.refresh();
    expect(a.entries()).toMatchObject([{ key: 'k2', state: 'intent' }]);
    // An unknown outcome recorded by `a` keeps the time of `b`'s intent: it was read first.
    const at = b.forShot('k2', 'shot-2', 'ark').current()!.at;
    await new Promise((r) => setTimeout(r, 5));
    await a.forShot('k2', 'shot-2', 'ark').unknown('reset');
    expect(a.forShot('k2', 'shot-2', 'ark').current()).toMatchObject({ state: 'unknown', at });
    await a.close();
    await b.close();
  });

  it('never tears or interleaves records written by two processes at once', async () => {
    const dir = await stateDir();
    const writer = (tag: string) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(REPO, 'test/helpers/journal-writer.ts'), dir, '150', tag],
          { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] },
        );
        child.on('error', reject);
        child.on('close', resolve);
      });
    expect(await Promise.all([writer('alpha'), writer('bravo')])).toEqual([0, 0]);
    const text = await readFile(path.join(dir, JOURNAL_FILE), 'utf8');
    const all = text.split('\n').filter(Boolean);
    expect(all).toHaveLength(300);
    const keys = new Set(all.map((l) => (JSON.parse(l) as { key: string }).key)); // throws on a torn line
    expect(keys.size).toBe(300);
    expect(all.every((l) => l.length > 9000)).toBe(true);
  }, 120_000);

  it('writes back what it knows when the journal is deleted mid-run', async () => {
    const dir = await stateDir();
    const j = await openJournal(dir);
    await j.forShot('k1', 'shot-1', 'ark').intent();
    await j.forShot('k1', 'shot-1', 'ark').submitted('cgt-20260101000000-aaaaa');
    await j.forShot('k2', 'shot-2', 'ark').intent();
    await rm(path.join(dir, JOURNAL_FILE)); // `git clean`, a sync tool, a user
    await j.forShot('k2', 'shot-2', 'ark').submitted('cgt-20260101000000-bbbbb');
    await j.close();
    const after = await lines(dir);
    expect(after).toEqual([
      expect.objectContaining({ key: 'k1', state: 'submitted', taskId: 'cgt-20260101000000-aaaaa' }),
      expect.objectContaining({ key: 'k2', state: 'intent' }),
      expect.objectContaining({ key: 'k2', state: 'submitted', taskId: 'cgt-20260101000000-bbbbb' }),
    ]);
    expect((await stat(path.join(dir, JOURNAL_FILE))).mode & 0o777).toBe(0o600);
  });

  it('read-only: reads the records, and refuses to record (so nothing is paid for), naming the folder', async () => {
    const dir = await stateDir();
    const w = await openJournal(dir);
    await w.forShot('k1', 'shot-1', 'ark').submitted('cgt-20260101000000-ccccc');
    await w.close();
    // A torn tail is left alone: a read-only run must not write, not even to tidy.
    await writeFile(
      path.join(dir, JOURNAL_FILE),
      (await readFile(path.join(dir, JOURNAL_FILE), 'utf8')) + '{"key":"k',
    );
    const before = await readFile(path.join(dir, JOURNAL_FILE), 'utf8');
    await chmod(path.join(dir, JOURNAL_FILE), 0o400);
    const r = await openJournal(dir, { readOnly: true });
    expect(r.forShot('k1', 'shot-1', 'ark').current()).toMatchObject({ taskId: 'cgt-20260101000000-ccccc' });
    const err = await r
      .forShot('k2', 'shot-2', 'ark')
      .intent()
      .catch((e: unknown) => e as Error);
    expect(err?.message).toContain(`the project folder ${dir} is read-only`);
    expect(err?.message).toContain('nothing was submitted');
    await r.close();
    expect(await readFile(path.join(dir, JOURNAL_FILE), 'utf8')).toBe(before);
  });
});
