// The output cache checks what it reuses: a manifest that is not what we wrote, a missing file or
// changed bytes make a miss (never a TypeError, never a broken clip reused); the film handed to
// the user is a copy, not a hard link into the cache.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileAtomic } from '../../electron/engine/atomic';
import { OutputCache, type CacheManifest } from '../../electron/engine/cache';
import { hashJson } from '../../electron/engine/keys';
import { sha256File } from '../../electron/engine/load';

let root: string;
let cache: OutputCache;
let n = 0;
// The cache never decodes what it keeps: any bytes stand in for a clip and its frame.
const CLIP = randomBytes(200_000);
const FRAME = randomBytes(5_000);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-output-cache-'));
  cache = new OutputCache(path.join(root, 'cache'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A committed shot entry holding a real clip and frame; returns its key. */
async function entry(extra: Partial<CacheManifest> = {}): Promise<string> {
  const key = hashJson({ test: ++n });
  const scratch = await cache.scratch(key);
  await writeFile(path.join(scratch, 'shot.mp4'), CLIP);
  await writeFile(path.join(scratch, 'last-frame.png'), FRAME);
  await cache.commit(scratch, {
    key,
    nodeId: 'shot-1',
    kind: 'shot',
    files: { video: 'shot.mp4', last_frame: 'last-frame.png' },
    createdAt: Date.now(),
    ...extra,
  });
  return key;
}

const manifestOf = (key: string) => path.join(cache.entryDir(key), 'manifest.json');

describe('output cache', () => {
  it('records the sha256 of every file in the manifest and hits on intact entries', async () => {
    const key = await entry();
    const m = JSON.parse(await readFile(manifestOf(key), 'utf8')) as CacheManifest;
    expect(m.sha256).toEqual({
      'shot.mp4': createHash('sha256').update(CLIP).digest('hex'),
      'last-frame.png': createHash('sha256').update(FRAME).digest('hex'),
    });
    const hit = await cache.lookup(key);
    expect(hit?.outputs.video).toBe(path.join(cache.entryDir(key), 'shot.mp4'));
  });

  it('treats a manifest holding null, garbage or wrong types as a miss, never a TypeError', async () => {
    const bad: [string, string][] = [
      ['null', 'null'],
      ['garbage', '\u0000\u0001 not json {'],
      ['an array', '[1,2,3]'],
      [
        'files: null',
        JSON.stringify({ key: 'K', nodeId: 'shot-1', kind: 'shot', files: null, createdAt: 1 }),
      ],
      [
        'files of numbers',
        JSON.stringify({ key: 'K', nodeId: 'shot-1', kind: 'shot', files: { video: 7 }, createdAt: 1 }),
      ],
      [
        'createdAt as text',
        JSON.stringify({ key: 'K', nodeId: 'shot-1', kind: 'shot', files: {}, createdAt: 'x' }),
      ],
      [
        'a path out of the entry',
        JSON.stringify({
          key: 'K',
          nodeId: 'shot-1',
          kind: 'shot',
          files: { video: '../../x.mp4' },
          createdAt: 1,
        }),
      ],
      [
        'sha256 not hex',
        JSON.stringify({
          key: 'K',
          nodeId: 'shot-1',
          kind: 'shot',
          files: {},
          createdAt: 1,
          sha256: { a: 'zz' },
        }),
      ],
    ];
    for (const [what, text] of bad) {
      const key = await entry();
      await writeFile(manifestOf(key), text.replace('"K"', JSON.stringify(key)));
      const r = await cache.inspect(key);
      expect(r, what).toMatchObject({ miss: 'damaged' });
      expect(await cache.lookup(key), what).toBeUndefined();
    }
    // And the folder scan that lists takes skips them too.
    expect((await cache.entriesFor('shot-1')).every((h) => h.manifest.sha256)).toBe(true);
  });

  it('misses when a file changed in place (same size), went missing, or is empty; absent is not damaged', async () => {
    const changed = await entry();
    const clip = path.join(cache.entryDir(changed), 'shot.mp4');
    const bytes = await readFile(clip);
    bytes[bytes.length >> 1] = 0xff - bytes[bytes.length >> 1]!;
    await writeFile(clip, bytes);
    expect(await cache.inspect(changed)).toEqual({
      miss: 'damaged',
      reason: 'its video file shot.mp4 changed since it was cached',
    });
    const gone = await entry();
    await rm(path.join(cache.entryDir(gone), 'last-frame.png'));
    expect(await cache.inspect(gone)).toMatchObject({
      miss: 'damaged',
      reason: expect.stringMatching(/last_frame/),
    });
    const empty = await entry();
    await writeFile(path.join(cache.entryDir(empty), 'shot.mp4'), '');
    expect(await cache.lookup(empty)).toBeUndefined();
    expect(await cache.inspect(hashJson({ never: 'made' }))).toEqual({ miss: 'absent' });
  });

  it('keeps a shot made before checksums (it was paid for) and seals it; rebuilds an old final cut', async () => {
    const key = await entry();
    const m = JSON.parse(await readFile(manifestOf(key), 'utf8')) as CacheManifest;
    delete m.sha256;
    await writeFile(manifestOf(key), JSON.stringify(m));
    const hit = await cache.lookup(key);
    expect(hit).toBeDefined();
    await cache.seal(hit!);
    const sealed = JSON.parse(await readFile(manifestOf(key), 'utf8')) as CacheManifest;
    expect(Object.keys(sealed.sha256 ?? {}).sort()).toEqual(['last-frame.png', 'shot.mp4']);
    // From now on its bytes are checked.
    await writeFile(path.join(cache.entryDir(key), 'last-frame.png'), 'not a png at all');
    expect(await cache.lookup(key)).toBeUndefined();

    const cut = await entry({ kind: 'final_cut' });
    const cm = JSON.parse(await readFile(manifestOf(cut), 'utf8')) as CacheManifest;
    delete cm.sha256;
    await writeFile(manifestOf(cut), JSON.stringify(cm));
    expect(await cache.inspect(cut)).toMatchObject({
      miss: 'damaged',
      reason: 'it was made without checksums',
    });
  });

  it('hands out copies: the film is its own file, and rewriting it leaves the cache intact', async () => {
    const key = await entry();
    const src = (await cache.lookup(key))!.outputs.video!;
    const film = path.join(root, 'out', 'film.mp4');
    await mkdir(path.dirname(film), { recursive: true });
    await copyFileAtomic(src, film);
    const [a, b] = [await stat(src), await stat(film)];
    expect(b.ino).not.toBe(a.ino);
    expect(a.nlink).toBe(1);
    const bytes = await readFile(film);
    bytes.fill(0, 100, 200);
    await writeFile(film, bytes); // in place, as an editor or tagger would
    expect(await cache.lookup(key)).toBeDefined();
    expect(await sha256File(src)).toBe(createHash('sha256').update(CLIP).digest('hex'));
  });
});
