// The journal on disk: durable, readable after a torn write, serialised, free of credentials.
import { appendFile, readFile, rm, stat } from 'node:fs/promises';
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
