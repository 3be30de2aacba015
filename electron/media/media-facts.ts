// What is already known about a media file, so asking again is cheap: path + size + mtime → sha256
// (no re-read of an unchanged file) and sha256 → ffprobe result (no ffprobe on bytes seen before,
// wherever they live). Kept in memory for the process and persisted per project in
// `.shotgraph/media-facts.json` (atomic writes; a corrupt or foreign file counts as empty).
import { createHash } from 'node:crypto';
import { appendFileSync, createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeAtomically } from './atomic-output';
import type { MediaInfo } from './probe';

const FACTS_FILE = 'media-facts.json';
/** Bounds memory in a long-lived web server; the oldest facts are forgotten first. */
const MAX_ENTRIES = 20_000;
/** A facts file larger than this is not ours (or not worth parsing): start empty. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

type StatLike = { size: number; mtimeMs: number };
/** Integrated loudness (LUFS) and true peak (dBTP); null where the sound is silent (−∞). */
export interface LoudnessFigures {
  lufs: number | null;
  truePeakDb: number | null;
}

/**
 * A clip's sound as the final cut takes it (clip-sound.ts): 10·log10 of the K-weighted energy of
 * each 100 ms (null for silence), its sample peak (linear), and what joins it exactly to its
 * neighbours (sound-meter.ts): its first block against the filter's ringing, its filter state at the end.
 */
export interface ClipSoundFigures {
  blockDb: (number | null)[];
  samplePeak: number;
  entry: number[];
  exit: number[];
}

const hashes = new Map<string, Promise<string>>();
const probes = new Map<string, Promise<MediaInfo>>();
/** Loudness measurements of a mix, by a hash of its inputs' bytes and its filtergraph (loudness.ts). */
const loudness = new Map<string, LoudnessFigures>();
/** Clips' sound figures, by a hash of the clip's bytes and how it is cut (clip-sound.ts). */
const clipSound = new Map<string, ClipSoundFigures>();
/** Settled values, the ones worth persisting. */
const knownHashes = new Map<string, string>();
const knownProbes = new Map<string, MediaInfo>();
/** Facts learnt since a project's file was last written, by state folder. */
let generation = 0;
const savedAt = new Map<string, { generation: number; mtimeMs: number }>();

const statKey = (file: string, st: StatLike) => `${path.resolve(file)}\0${st.size}\0${st.mtimeMs}`;
/** ffprobe also looks at the name (image2 by extension), so the extension is part of the fact. */
const probeKey = (sha256: string, file: string) => `${sha256}\0${path.extname(file).toLowerCase()}`;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

/** sha256 (hex) of a file's bytes, streamed so large videos never sit in memory. */
export function sha256Stream(file: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(file, signal ? { signal } : {});
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * A read under way, shared by every caller that asks for the same file meanwhile. It stops only
 * when every caller has cancelled: one caller giving up must not fail the others (a caller without
 * a signal never gives up).
 */
interface Hashing {
  sha: Promise<string>;
  stop: AbortController;
  waiting: number;
}
const hashing = new Map<string, Hashing>();

/** sha256 of a regular file, read only when its path, size or mtime is new. */
export function fileSha256(file: string, st: StatLike, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const key = statKey(file, st);
  const known = hashes.get(key);
  if (known) return known;
  let h = hashing.get(key);
  if (!h || h.stop.signal.aborted) {
    const stop = new AbortController();
    const sha = sha256Stream(file, stop.signal).then((sha) => {
      remember(hashes, key, Promise.resolve(sha));
      remember(knownHashes, key, sha);
      generation++;
      return sha;
    });
    const read: Hashing = { sha, stop, waiting: 0 };
    const done = () => hashing.get(key) === read && hashing.delete(key); // a failed read is asked again
    sha.then(done, done);
    hashing.set(key, read);
    h = read;
  }
  const read = h;
  read.waiting++;
  if (!signal) return read.sha;
  return new Promise<string>((resolve, reject) => {
    const giveUp = () => {
      reject(signal.reason);
      if (--read.waiting === 0) read.stop.abort();
    };
    signal.addEventListener('abort', giveUp, { once: true });
    read.sha.then(
      (sha) => {
        signal.removeEventListener('abort', giveUp);
        resolve(sha);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', giveUp);
        reject(err);
      },
    );
  });
}

/**
 * Records the sha256 of a file just moved into place (a cache entry renamed from its scratch folder):
 * a rename keeps the bytes, size and mtime, so the new path needs no new read.
 */
export function knownAs(file: string, st: StatLike, sha256: string): void {
  const key = statKey(file, st);
  remember(hashes, key, Promise.resolve(sha256));
  remember(knownHashes, key, sha256);
  generation++;
}

/**
 * Files up to this size are hashed before they are probed: hashing one costs less than starting
 * ffprobe, and the same bytes under another name (a copy, a cache entry) then need no probe at all.
 * Larger files are hashed and probed at once, so a new one costs the slower of the two.
 */
const HASH_FIRST_BYTES = 32 * 1024 * 1024;

let learnt = 0;

/**
 * How many times facts were learnt of a file (its headers read or ffprobe run) in this process: what
 * a cache hit saves. With SHOTGRAPH_MEDIA_TRACE naming a file, each is also written there as a line.
 */
export function factsLearnt(): number {
  return learnt;
}

function learn(
  file: string,
  signal: AbortSignal | undefined,
  probe: (file: string, signal?: AbortSignal) => Promise<MediaInfo>,
): Promise<MediaInfo> {
  learnt++;
  const trace = process.env.SHOTGRAPH_MEDIA_TRACE;
  if (trace) appendFileSync(trace, `facts ${path.resolve(file)}\n`);
  return probe(file, signal);
}

/**
 * A probe of `file`, reused for the same bytes under the same extension. Only regular files are
 * hashed (a FIFO or device goes straight to `probe`, which has its own deadline); only successful
 * probes are remembered.
 */
export async function probeByContent(
  file: string,
  signal: AbortSignal | undefined,
  probe: (file: string, signal?: AbortSignal) => Promise<MediaInfo>,
): Promise<MediaInfo> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile()) return learn(file, signal, probe);
  let sha = knownHashes.get(statKey(file, st));
  if (!sha && st.size <= HASH_FIRST_BYTES) sha = await fileSha256(file, st, signal).catch(() => undefined);
  if (sha) {
    const known = probes.get(probeKey(sha, file));
    if (known) return known;
  }
  const probing = learn(file, signal, probe);
  const hashing = sha ? Promise.resolve(sha) : fileSha256(file, st, signal);
  hashing.catch(() => undefined);
  const info = await probing;
  const sha256 = await hashing.catch(() => undefined);
  if (sha256) {
    const key = probeKey(sha256, file);
    remember(probes, key, Promise.resolve(info));
    remember(knownProbes, key, info);
    generation++;
  }
  return info;
}

/** A mix's loudness measured before, under `key` (see loudness.ts for what the key covers). */
export function knownLoudness(key: string): LoudnessFigures | undefined {
  return loudness.get(key);
}

export function rememberLoudness(key: string, figures: LoudnessFigures): void {
  remember(loudness, key, figures);
  generation++;
}

/** Figures of a clip's sound measured before, under `key`. */
export function knownClipSound(key: string): ClipSoundFigures | undefined {
  return clipSound.get(key);
}

export function rememberClipSound(key: string, figures: ClipSoundFigures): void {
  remember(clipSound, key, figures);
  generation++;
}

const mediaInfoSchema: z.ZodType<MediaInfo> = z.object({
  formatName: z.string(),
  durationSec: z.number(),
  sizeBytes: z.number(),
  video: z
    .object({
      codec: z.string(),
      width: z.number(),
      height: z.number(),
      pixFmt: z.string(),
      fps: z.number(),
      sar: z.string(),
      frames: z.number().optional(),
      profile: z.string().optional(),
      timeBase: z.string(),
      frameRate: z.string().max(40).optional(),
      streamSec: z.number().optional(),
      extradata: z.string().max(64).optional(),
      attachedPic: z.boolean().optional(),
    })
    .optional(),
  audio: z
    .object({
      codec: z.string(),
      sampleRate: z.number(),
      channels: z.number(),
      channelLayout: z.string().optional(),
      profile: z.string().max(40).optional(),
      extradata: z.string().max(64).optional(),
    })
    .optional(),
}) as z.ZodType<MediaInfo>;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
/** 2: probes carry the extradata hashes the final cut compares; a version-1 file is not trusted for that. */
const FACTS_VERSION = 2;
const factsSchema = z.object({
  version: z.literal(FACTS_VERSION),
  /** Paths relative to the project folder. */
  files: z.record(
    z.string().max(4096),
    z.object({ size: z.number().nonnegative(), mtimeMs: z.number(), sha256: sha }),
  ),
  probes: z.record(z.string().max(100), mediaInfoSchema),
  loudness: z
    .record(sha, z.object({ lufs: z.number().nullable(), truePeakDb: z.number().nullable() }))
    .optional(),
  /** An hour of 100 ms levels per clip at most. */
  clipSound: z
    .record(
      sha,
      z.object({
        blockDb: z.array(z.number().min(-400).max(100).nullable()).max(36_000),
        samplePeak: z.number().nonnegative().max(1e6),
        entry: z.array(z.number().finite()).length(12),
        exit: z.array(z.number().finite()).length(12),
      }),
    )
    .optional(),
});

/** Reads a project's facts into memory (once per change of the file); anything malformed is ignored. */
export async function loadMediaFacts(stateDir: string, projectDir: string): Promise<void> {
  const file = path.join(stateDir, FACTS_FILE);
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_FILE_BYTES) return;
  if (savedAt.get(stateDir)?.mtimeMs === st.mtimeMs) return;
  let parsed: z.infer<typeof factsSchema>;
  try {
    const result = factsSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    if (!result.success) return;
    parsed = result.data;
  } catch {
    return;
  }
  for (const [rel, f] of Object.entries(parsed.files)) {
    const abs = path.resolve(projectDir, rel);
    if (!isInside(projectDir, abs)) continue;
    const key = statKey(abs, f);
    if (hashes.has(key)) continue;
    remember(hashes, key, Promise.resolve(f.sha256));
    remember(knownHashes, key, f.sha256);
  }
  for (const [key, info] of Object.entries(parsed.probes)) {
    if (!/^[0-9a-f]{64}\0\.[a-z0-9]{0,10}$|^[0-9a-f]{64}\0$/.test(key) || probes.has(key)) continue;
    remember(probes, key, Promise.resolve(info));
    remember(knownProbes, key, info);
  }
  for (const [key, figures] of Object.entries(parsed.loudness ?? {}))
    if (!loudness.has(key)) remember(loudness, key, figures);
  for (const [key, figures] of Object.entries(parsed.clipSound ?? {}))
    if (!clipSound.has(key)) remember(clipSound, key, figures);
  savedAt.set(stateDir, { generation: savedAt.get(stateDir)?.generation ?? -1, mtimeMs: st.mtimeMs });
}

/**
 * Writes what is known about the project's own files (and their probes), if anything was learnt
 * since the last write. A read-only project simply keeps its facts in memory.
 */
export async function saveMediaFacts(stateDir: string, projectDir: string): Promise<void> {
  const last = savedAt.get(stateDir);
  if (last && last.generation === generation) return;
  const at = generation;
  const files: z.infer<typeof factsSchema>['files'] = {};
  const shas = new Set<string>();
  for (const [key, sha256] of knownHashes) {
    const [abs, size, mtimeMs] = key.split('\0') as [string, string, string];
    if (!isInside(projectDir, abs)) continue;
    files[path.relative(projectDir, abs)] = { size: Number(size), mtimeMs: Number(mtimeMs), sha256 };
    shas.add(sha256);
  }
  // Nothing known of this project's files and nothing on disk yet: no state folder for nothing.
  if (!last && shas.size === 0) return;
  const kept: Record<string, MediaInfo> = {};
  for (const [key, info] of knownProbes) if (shas.has(key.slice(0, 64))) kept[key] = info;
  // Loudness keys cover file contents, not paths: they hold nothing of other projects but figures.
  const mixes = Object.fromEntries(loudness);
  const sounds = Object.fromEntries(clipSound);
  const target = path.join(stateDir, FACTS_FILE);
  try {
    await fs.mkdir(stateDir, { recursive: true });
    await writeAtomically(target, (tmp) =>
      fs.writeFile(
        tmp,
        JSON.stringify({
          version: FACTS_VERSION,
          files,
          probes: kept,
          loudness: mixes,
          clipSound: sounds,
        }),
        {
          mode: 0o600,
        },
      ),
    );
    const st = await fs.stat(target);
    savedAt.set(stateDir, { generation: at, mtimeMs: st.mtimeMs });
  } catch {
    savedAt.set(stateDir, { generation: at, mtimeMs: -1 }); // read-only or full: memory is enough
  }
}

/** Forgets everything (tests, and the bench's cold figure). */
export function forgetMediaFacts(): void {
  hashes.clear();
  hashing.clear();
  probes.clear();
  knownHashes.clear();
  knownProbes.clear();
  loudness.clear();
  clipSound.clear();
  savedAt.clear();
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
