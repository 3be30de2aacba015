// The journal on disk: durable, readable after a torn write, serialised, free of credentials.
import { appendFile, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, openJournal } from '../../electron/engine/journal';
import { makeRedactor } from '../../electron/providers/remote/redact';
import { tempDir } from './helpers';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('shotgraph-journal-');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const state = () => path.join(dir, `s${++n}`);

describe('journal', () => {
  it('keeps the latest entry per shot and provider across reopening', async () => {
    const s = state();
    const j = await openJournal(s);
    const a = j.forShot('k1', 'shot1', 'ark');
    await a.intent();
    await a.submitted('cgt-20260101000000-aaaaa');
    await j.forShot('k1', 'shot1', 'other').intent();
    await j.close();
    const again = await openJournal(s);
    expect(again.forShot('k1', 'shot1', 'ark').current()).toMatchObject({
      state: 'submitted',
      taskId: 'cgt-20260101000000-aaaaa',
    });
    expect(again.forShot('k1', 'shot1', 'other').current()?.state).toBe('intent');
    expect(again.entries()).toHaveLength(2);
    // finished() keeps the task id so a rerun can still find the video
    await again.forShot('k1', 'shot1', 'ark').finished('succeeded');
    expect(again.forShot('k1', 'shot1', 'ark').current()).toMatchObject({
      state: 'succeeded',
      taskId: 'cgt-20260101000000-aaaaa',
    });
    await again.close();
    expect((await stat(path.join(s, JOURNAL_FILE))).mode & 0o777).toBe(0o600);
  });

  it('records asked for together go out in one write and one fsync, each durable before it counts', async () => {
    const s = state();
    const j = await openJournal(s);
    await j.forShot('k0', 'shot0', 'ark').intent(); // the file exists and a handle is open
    // Every fsync of a file handle in this process is counted (FileHandle's prototype is shared).
    const probe = await open(path.join(s, JOURNAL_FILE), 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const sync = proto.sync;
    let syncs = 0;
    const linesAtSync: number[] = [];
    proto.sync = async function (this: unknown) {
      await sync.call(this);
      syncs++;
      linesAtSync.push((await readFile(path.join(s, JOURNAL_FILE), 'utf8')).trim().split('\n').length);
    };
    try {
      const shots = Array.from({ length: 10 }, (_, i) => j.forShot(`k${i + 1}`, `shot${i + 1}`, 'ark'));
      const order: string[] = [];
      await Promise.all(shots.map((shot, i) => shot.intent().then(() => order.push(`shot${i + 1}`))));
      // The first write was under way when the rest were asked for: they share the second fsync.
      expect(syncs).toBeLessThanOrEqual(2);
      // Nothing counted before the fsync that holds it: all 11 lines were on disk at the last one.
      expect(linesAtSync.at(-1)).toBe(11);
      expect(order).toHaveLength(10);
      // Each shot still reads its own record, and a second intent of a recorded shot is still refused
      // when another record came in meanwhile (the batch's own records count as the latest).
      for (const shot of shots) expect(shot.current()?.state).toBe('intent');
      const twice = j.forShot('k1', 'shot1', 'ark');
      const again = j.forShot('k1', 'shot1', 'ark');
      const [a, b] = await Promise.allSettled([twice.submitted('cgt-20260101000000-bbbbb'), again.intent()]);
      expect(a.status).toBe('fulfilled');
      expect(b.status).toBe('rejected');
    } finally {
      proto.sync = sync;
      await j.close();
    }
    const lines = (await readFile(path.join(s, JOURNAL_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines.map((l) => (JSON.parse(l) as { nodeId: string }).nodeId)).toEqual([
      'shot0',
      ...Array.from({ length: 10 }, (_, i) => `shot${i + 1}`),
      'shot1',
    ]);
  });

  it('starts the next record on a line of its own after a torn last line, never cutting the file', async () => {
    const s = state();
    const j = await openJournal(s);
    await j.forShot('k', 'shot1', 'ark').intent();
    await j.close();
    await appendFile(
      path.join(s, JOURNAL_FILE),
      '{"key":"k","nodeId":"shot1","provider":"ark","state":"subm',
    );
    const j2 = await openJournal(s);
    expect(j2.forShot('k', 'shot1', 'ark').current()?.state).toBe('intent');
    await j2.forShot('k', 'shot1', 'ark').submitted('cgt-20260101000000-bbbbb');
    await j2.close();
    const j3 = await openJournal(s);
    expect(j3.forShot('k', 'shot1', 'ark').current()).toMatchObject({
      state: 'submitted',
      taskId: 'cgt-20260101000000-bbbbb',
    });
    await j3.close();
    // The fragment stays (another process may have been writing it) as one damaged line, skipped.
    const lines = (await readFile(path.join(s, JOURNAL_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('{"key":"k","nodeId":"shot1","provider":"ark","state":"subm');
    expect((JSON.parse(lines[2]!) as { state: string }).state).toBe('submitted');
  });

  it('skips a damaged line in the middle and malformed records', async () => {
    const s = state();
    const j = await openJournal(s);
    await j.forShot('k', 'shot1', 'ark').intent();
    await j.close();
    await appendFile(path.join(s, JOURNAL_FILE), 'garbage\n{"key":1}\n');
    const j2 = await openJournal(s);
    await j2.forShot('k', 'shot1', 'ark').submitted('cgt-20260101000000-ccccc');
    await j2.close();
    const j3 = await openJournal(s);
    expect(j3.entries()).toHaveLength(1);
    expect(j3.entries()[0]).toMatchObject({ state: 'submitted' });
    await j3.close();
  });

  it('an unknown outcome keeps the time of its intent (where the task-list lookup starts)', async () => {
    const j = await openJournal(state());
    const sj = j.forShot('k', 'shot1', 'ark');
    await sj.intent();
    const at = sj.current()!.at;
    await new Promise((r) => setTimeout(r, 5));
    await sj.unknown('connection reset');
    expect(sj.current()).toMatchObject({ state: 'unknown', at });
    await j.close();
  });

  it('never interleaves concurrent appends', async () => {
    const s = state();
    const j = await openJournal(s);
    await Promise.all(Array.from({ length: 60 }, (_, i) => j.forShot(`k${i}`, `shot${i}`, 'ark').intent()));
    await j.close();
    const lines = (await readFile(path.join(s, JOURNAL_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(60);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { key: string }).key)).size).toBe(60);
  });

  it('masks credentials in recorded errors', async () => {
    const s = state();
    const j = await openJournal(s);
    await j
      .forShot('k', 'shot1', 'ark')
      .unknown('proxy said: Authorization: Bearer sk-live-abcdef123456 api_key=zzz999888777');
    await j.close();
    const text = await readFile(path.join(s, JOURNAL_FILE), 'utf8');
    expect(text).not.toContain('sk-live-abcdef123456');
    expect(text).not.toContain('zzz999888777');
    expect(text).toContain('Bearer ***');
  });
});

describe('redactor', () => {
  it('masks the exact key, bearer tokens and URL passwords, but keeps $VAR hints readable', () => {
    const r = makeRedactor(['my-secret-key-123']);
    expect(r('key my-secret-key-123 here')).toBe('key *** here');
    expect(r('curl -H "Authorization: Bearer $ARK_API_KEY"')).toBe(
      'curl -H "Authorization: Bearer $ARK_API_KEY"',
    );
    expect(r('Authorization: Bearer abc.def')).toBe('Authorization: Bearer ***');
    expect(r('https://user:pa55word@host/x')).toBe('https://user:***@host/x');
  });
});
