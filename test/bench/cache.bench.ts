// Checked cache lookups (issue 11 §5): every reuse verifies each file's sha256, memoised per
// (path, size, mtime). The first lookup in a process costs one hash of the bytes (baseline: hashing
// the same files by hand); a repeated lookup must cost about what the unchecked lookup did before
// (baseline: read and parse the manifest and stat each file by hand).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OutputCache } from '../../electron/engine/cache';
import { hashJson } from '../../electron/engine/keys';
import { median, timeMs, type Bench, type BenchRow } from './types';

const ENTRIES = 20;
const CLIP_BYTES = 4 * 1024 * 1024; // about a 5 s 720p clip
const FRAME_BYTES = 60 * 1024;
const REPEATS = 15;
const HASH_ROUNDS = 5;

function hashByHand(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

const bench: Bench = {
  name: 'checked cache lookups (sha256 per file, memoised)',
  async run(): Promise<BenchRow[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-bench-cache-'));
    try {
      const cache = new OutputCache(path.join(dir, 'cache'));
      const keys: string[] = [];
      const files: string[] = [];
      for (let i = 0; i < ENTRIES; i++) {
        const key = hashJson({ bench: i, at: Date.now() });
        const scratch = await cache.scratch(key);
        await writeFile(path.join(scratch, 'shot.mp4'), randomBytes(CLIP_BYTES));
        await writeFile(path.join(scratch, 'last-frame.png'), randomBytes(FRAME_BYTES));
        // Committed from copies: the hashes the commit memoised are for the scratch paths, so the
        // first lookup below really reads every byte.
        await cache.commit(scratch, {
          key,
          nodeId: `shot-${i}`,
          kind: 'shot',
          files: { video: 'shot.mp4', last_frame: 'last-frame.png' },
          createdAt: Date.now(),
        });
        keys.push(key);
        files.push(
          path.join(cache.entryDir(key), 'shot.mp4'),
          path.join(cache.entryDir(key), 'last-frame.png'),
        );
      }
      const lookAll = async () => {
        for (const k of keys) if (!(await cache.lookup(k))) throw new Error(`entry ${k} missed`);
      };
      // Rounds alternate the two sides so the machine's load (shared, noisy) falls on both alike.
      const hashed: number[] = [];
      const hashedByHand: number[] = [];
      for (let round = 1; round <= HASH_ROUNDS; round++) {
        // A new mtime is a new memo key: the lookup has to hash every byte again, as a new process would.
        const t = new Date(Date.now() + round * 1000);
        for (const f of files) await utimes(f, t, t);
        hashed.push(await timeMs(lookAll));
        hashedByHand.push(
          await timeMs(async () => {
            for (const f of files) await hashByHand(f);
          }),
        );
      }
      const repeatedRuns: number[] = [];
      const statRuns: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        repeatedRuns.push(await timeMs(lookAll));
        statRuns.push(
          await timeMs(async () => {
            for (const k of keys) {
              const m = JSON.parse(await readFile(path.join(cache.entryDir(k), 'manifest.json'), 'utf8')) as {
                files: Record<string, string>;
              };
              for (const name of Object.values(m.files)) await stat(path.join(cache.entryDir(k), name));
            }
          }),
        );
      }
      const [first, byHandHash, repeated, byHandStat] = [hashed, hashedByHand, repeatedRuns, statRuns].map(
        median,
      ) as [number, number, number, number];
      const mb = (ENTRIES * (CLIP_BYTES + FRAME_BYTES)) / 1024 / 1024;
      return [
        {
          metric: `lookup of ${ENTRIES} entries, nothing memoised (${mb.toFixed(0)} MB hashed)`,
          value: first,
          unit: 'ms',
          baseline: byHandHash,
          ratio: first / byHandHash,
          note: 'baseline: sha256 of the same files by hand',
        },
        {
          metric: `repeated lookup of ${ENTRIES} entries (memoised)`,
          value: repeated,
          unit: 'ms',
          baseline: byHandStat,
          ratio: repeated / byHandStat,
          note: 'baseline: read + parse each manifest and stat its files by hand (the old unchecked lookup)',
        },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
