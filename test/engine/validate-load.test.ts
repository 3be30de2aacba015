// loadGraphFile on real files: every way reading can fail becomes a Problem, never a throw.
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraphFile, resolveMediaPath, sha256File } from '../../electron/engine/load';
import { CORPUS_DIR } from '../corpus/make-media';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-load-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadGraphFile', () => {
  it('returns the graph with its absolute path and folder', async () => {
    const graphPath = path.join(CORPUS_DIR, 'valid.json');
    const loaded = await loadGraphFile(path.relative(process.cwd(), graphPath));
    expect(loaded).toMatchObject({ ok: true, graphPath, graphDir: CORPUS_DIR });
    if (loaded.ok) expect(loaded.graph.nodes.map((n) => n.id)).toContain('s1');
  });

  it('reports a missing file', async () => {
    const loaded = await loadGraphFile(path.join(tmp, 'nope.json'));
    expect(loaded).toMatchObject({ ok: false, problems: [{ code: 'file.missing' }] });
    if (!loaded.ok) expect(loaded.problems[0]!.message).toContain('nope.json');
  });

  it('reports a folder given as the graph', async () => {
    const loaded = await loadGraphFile(tmp);
    expect(loaded).toMatchObject({ ok: false, problems: [{ code: 'file.directory' }] });
  });

  it('refuses a file over 20 MiB without reading it', async () => {
    const big = path.join(tmp, 'big.json');
    await writeFile(big, '');
    await truncate(big, 20 * 1024 * 1024 + 1); // sparse: costs no disk or time
    const loaded = await loadGraphFile(big);
    expect(loaded).toMatchObject({ ok: false, problems: [{ code: 'file.too-large' }] });
    if (!loaded.ok) expect(loaded.problems[0]!.message).toContain('at most 20 MiB');
  });

  // root reads anything, so the permission check can only be seen as a normal user.
  it.skipIf(process.getuid?.() === 0)('reports an unreadable file', async () => {
    const locked = path.join(tmp, 'locked.json');
    await writeFile(locked, await readFile(path.join(CORPUS_DIR, 'valid.json')));
    await chmod(locked, 0o000);
    const loaded = await loadGraphFile(locked);
    expect(loaded).toMatchObject({ ok: false, problems: [{ code: 'file.unreadable' }] });
  });

  it('reports a path through a file as missing', async () => {
    const file = path.join(tmp, 'plain.txt');
    await writeFile(file, 'x');
    expect(await loadGraphFile(path.join(file, 'graph.json'))).toMatchObject({
      ok: false,
      problems: [{ code: 'file.missing' }],
    });
  });

  it('accepts a UTF-8 byte-order mark', async () => {
    const withBom = path.join(tmp, 'bom.json');
    await writeFile(withBom, '\ufeff' + (await readFile(path.join(CORPUS_DIR, 'valid.json'), 'utf8')));
    expect(await loadGraphFile(withBom)).toMatchObject({ ok: true });
  });

  it('passes parse problems through', async () => {
    const loaded = await loadGraphFile(path.join(CORPUS_DIR, 'version-newer.json'));
    expect(loaded).toMatchObject({ ok: false, problems: [{ code: 'file.version', field: 'version' }] });
  });
});

describe('resolveMediaPath', () => {
  it('resolves relative to the graph folder, with either separator', () => {
    expect(resolveMediaPath('/p/film', 'media/a.png')).toBe(path.resolve('/p/film/media/a.png'));
    expect(resolveMediaPath('/p/film', 'media\\a.png')).toBe(path.resolve('/p/film/media/a.png'));
    expect(resolveMediaPath('/p/film', '../b.png')).toBe(path.resolve('/p/b.png'));
  });

  it('keeps absolute paths absolute', () => {
    expect(resolveMediaPath('/p/film', '/elsewhere/a.png')).toBe(path.resolve('/elsewhere/a.png'));
  });

  it('refuses remote URLs', () => {
    expect(() => resolveMediaPath('/p/film', 'https://example.com/a.png')).toThrow(/remote URL/);
  });
});

describe('sha256File', () => {
  it('hashes the bytes of a file larger than one stream chunk', async () => {
    const bytes = Buffer.alloc(300 * 1024, 7);
    bytes.write('shotgraph', 12345);
    const file = path.join(tmp, 'bytes.bin');
    await writeFile(file, bytes);
    expect(await sha256File(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('rejects for a missing file', async () => {
    await mkdir(path.join(tmp, 'empty'), { recursive: true });
    await expect(sha256File(path.join(tmp, 'empty', 'x'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
