// Which fonts this machine's ffmpeg has drawn, kept between runs. Proving a font takes a trial render,
// and an ffmpeg start alone costs ~0.1 s of CPU on a small machine: two trials held up the first
// animatic shot of every `shotgraph render`. A verdict is keyed by the ffmpeg binary and the font
// files themselves (path, size, mtime), so an upgrade of either proves the font again. Only fonts
// that drew are kept (a failed trial may have been a busy machine); a font by fontconfig family is
// never kept (what the family resolves to can change without any file here changing).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeAtomically } from './atomic-output';

const FILE = 'font-checks.json';
/** A cache, never trusted: a larger or odder file is ignored and written anew. */
const MAX_BYTES = 64 * 1024;
/** Machines change fonts and ffmpegs rarely: the newest verdicts are plenty. */
const KEEP = 32;

/** Shotgraph's per-user cache folder: SHOTGRAPH_CACHE_DIR, else the platform's usual place. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHOTGRAPH_CACHE_DIR) return path.resolve(env.SHOTGRAPH_CACHE_DIR);
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'Shotgraph', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Shotgraph');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'shotgraph');
}

/** The verdict's key for drawing with `fontFiles` through `ffmpeg`; undefined when a file is gone. */
export async function verdictKey(ffmpeg: string, fontFiles: string[]): Promise<string | undefined> {
  try {
    const ids = await Promise.all(
      [ffmpeg, ...fontFiles].map(async (f) => {
        const st = await fs.stat(f);
        return [path.resolve(f), st.size, Math.round(st.mtimeMs)];
      }),
    );
    return createHash('sha256').update(JSON.stringify(ids)).digest('hex');
  } catch {
    return undefined;
  }
}

async function load(env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const file = path.join(userCacheDir(env), FILE);
    // A pipe in its place would hold the read forever, a link to /dev/zero never end: a plain file only.
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > MAX_BYTES) return [];
    const raw = JSON.parse(await fs.readFile(file, 'utf8')) as { drew?: unknown };
    const drew = Array.isArray(raw?.drew) ? raw.drew : [];
    return drew.filter((k): k is string => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k));
  } catch {
    return [];
  }
}

/** True when these very files have drawn before. */
export async function drewBefore(key: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return (await load(env)).includes(key);
}

/** Keeps that these files drew; a cache folder that cannot be written only costs the next trial. */
export async function rememberDrew(key: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const kept = [key, ...(await load(env)).filter((k) => k !== key)].slice(0, KEEP);
  const file = path.join(userCacheDir(env), FILE);
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeAtomically(file, (tmp) => fs.writeFile(tmp, JSON.stringify({ drew: kept }) + '\n'));
  } catch {
    // Read-only home, full disk: the trial simply runs again next time.
  }
}
