// A file's sha256 is read once for every caller that asks meanwhile (media-facts.ts); one caller
// cancelling must not fail the others, and the read stops only when all have cancelled.
import { createHash } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileSha256, forgetMediaFacts } from '../../electron/media/media-facts';
import { tempDir } from '../helpers/media';

let file: string;
let expected: string;

beforeAll(async () => {
  // Large enough that the read is still under way when a caller cancels.
  const bytes = Buffer.alloc(48 * 1024 * 1024, 7);
  bytes.write('shotgraph', 1000);
  file = path.join(await tempDir('shotgraph-file-hash-'), 'take.mp4');
  await writeFile(file, bytes);
  expected = createHash('sha256').update(bytes).digest('hex');
});

describe('a file’s sha256 asked for by several callers', () => {
  it('goes on for the caller that did not cancel', async () => {
    forgetMediaFacts();
    const st = await stat(file);
    const gone = new AbortController();
    const cancelled = fileSha256(file, st, gone.signal);
    const kept = fileSha256(file, st, new AbortController().signal);
    const plain = fileSha256(file, st);
    gone.abort(new Error('the run was stopped'));
    await expect(cancelled).rejects.toThrow('the run was stopped');
    expect(await kept).toBe(expected);
    expect(await plain).toBe(expected);
  });

  it('stops when every caller cancels, and a later caller reads it afresh', async () => {
    forgetMediaFacts();
    const st = await stat(file);
    const a = new AbortController();
    const b = new AbortController();
    const first = fileSha256(file, st, a.signal);
    const second = fileSha256(file, st, b.signal);
    a.abort(new Error('a'));
    b.abort(new Error('b'));
    await expect(first).rejects.toThrow('a');
    await expect(second).rejects.toThrow('b');
    expect(await fileSha256(file, st)).toBe(expected);
    // Known now: a caller that has already cancelled is told so without a read.
    const late = new AbortController();
    late.abort(new Error('late'));
    await expect(fileSha256(file, st, late.signal)).rejects.toThrow('late');
  });
});
