// The one project-path resolver (docs/architecture.md §3): every path a graph names — media, the music
// bed, the final cut's output, anything added later — goes through here before it is read, probed,
// hashed or written. It applies the lexical rule (shared/validate/media-path.ts), follows symlinks,
// refuses what leaves the graph's folder unless the user allowed it, and refuses special files
// (FIFO, socket, device, folder) using lstat/stat only: opening a FIFO would block for ever.
// Paths the user types at run time (`--out`, a save dialog) are theirs and do not come here.
import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProblemError } from '../../shared/problems';
import { mediaPathIssue, outputPathIssue, type PathIssue } from '../../shared/validate/media-path';
import { quoted } from '../../shared/validate/quoted';
import { resolveMediaPath } from './load';

export interface ProjectPathOptions {
  allowOutside?: boolean;
  /** What the file should be, for the message: "an image file (png, jpg…)". */
  expected?: string;
  /** The graph file itself: an output may never replace it. */
  graphPath?: string;
}

export type Resolved =
  { ok: true; path: string; size: number; mtimeMs: number } | ({ ok: false } & PathIssue);

/** What a directory entry is, in the user's words. */
export function entryKind(st: Stats): string {
  if (st.isFile()) return 'a file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** A file a graph reads (media, music bed): its real path once every rule holds. */
export async function resolveProjectInput(
  graphDir: string,
  file: string,
  opts: ProjectPathOptions = {},
): Promise<Resolved> {
  const lexical = mediaPathIssue(file, { allowOutside: opts.allowOutside ?? false });
  if (lexical) return { ok: false, ...lexical };
  const absolute = resolveMediaPath(graphDir, file);
  const fail = (code: string, message: string): Resolved => ({
    ok: false,
    code,
    message: `${quoted(file)} ${message}`,
  });
  let link: Stats;
  try {
    link = await lstat(absolute);
  } catch (e) {
    return fail(...fsFailure(e, absolute));
  }
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      return fail('media.missing', 'is a loop of symbolic links; point it at a real file');
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return fail('media.missing', `is a symbolic link to nothing; point it at ${opts.expected ?? 'a file'}`);
    return fail(...fsFailure(e, absolute));
  }
  if (!opts.allowOutside && !isInside(await realDir(graphDir), real)) {
    return fail(
      'media.outside',
      `resolves to ${real}${link.isSymbolicLink() || real !== absolute ? ' (through a symbolic link)' : ''}, outside the graph's folder; media must live beside the graph (pass --allow-outside to permit it)`,
    );
  }
  let st: Stats;
  try {
    st = await stat(real);
  } catch (e) {
    return fail(...fsFailure(e, real));
  }
  if (!st.isFile()) {
    const via = link.isSymbolicLink() ? ` (through a symbolic link to ${real})` : '';
    return fail(
      'media.not-file',
      `is ${entryKind(st)}${via}, not a file; choose ${opts.expected ?? 'a file'}`,
    );
  }
  return { ok: true, path: real, size: st.size, mtimeMs: st.mtimeMs };
}

/**
 * A file a graph asks to be written (the final cut's output; export targets named in a graph). Its
 * folder may not exist yet; whatever exists of it must stay inside the graph's folder, and an
 * existing target must be a plain file that is not the graph itself. Returns the real path.
 */
export async function resolveProjectOutput(
  graphDir: string,
  file: string,
  opts: ProjectPathOptions = {},
): Promise<Resolved> {
  const lexical = outputPathIssue(file, { allowOutside: opts.allowOutside ?? false });
  if (lexical) return { ok: false, ...lexical };
  const fail = (code: string, message: string): Resolved => ({
    ok: false,
    code,
    message: `${quoted(file)} ${message}`,
  });
  const absolute = resolveMediaPath(graphDir, file);
  const parent = await existingAncestor(path.dirname(absolute));
  if (!parent.ok) return fail('output.not-folder', `cannot be written: ${parent.reason}`);
  const real = path.join(parent.real, path.relative(parent.path, absolute));
  const dir = await realDir(graphDir);
  if (!opts.allowOutside && !isInside(dir, real)) {
    return fail(
      'output.outside',
      `would be written to ${real} (through a symbolic link), outside the graph's folder; the film is written beside the graph (pass --allow-outside to permit it)`,
    );
  }
  if (isInside(path.join(dir, '.shotgraph'), real))
    return fail('output.state', "is inside the project's .shotgraph folder (its cache and journal)");
  let st: Stats;
  try {
    st = await lstat(real);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: true, path: real, size: 0, mtimeMs: 0 };
    return fail(...outputFsFailure(e, real));
  }
  if (st.isSymbolicLink())
    return fail('output.not-file', 'is a symbolic link; name a plain file for the film to be written to');
  if (!st.isFile())
    return fail('output.not-file', `is ${entryKind(st)}; name a file for the film to be written to`);
  if (opts.graphPath) {
    const graph = await stat(opts.graphPath).catch(() => undefined);
    if (graph && graph.ino === st.ino && graph.dev === st.dev)
      return fail('output.graph', 'is the graph file itself; name another file for the film');
  }
  return { ok: true, path: real, size: st.size, mtimeMs: st.mtimeMs };
}

/** Same as resolveProjectInput, for the runners: a refusal becomes a problem naming node and field. */
export async function projectInput(
  graphDir: string,
  file: string,
  where: { nodeId: string; field: string },
  opts: ProjectPathOptions = {},
): Promise<string> {
  const r = await resolveProjectInput(graphDir, file, opts);
  if (r.ok) return r.path;
  throw new ProblemError([{ code: r.code, ...where, message: r.message }]);
}

/** Same as resolveProjectOutput, for the runners. */
export async function projectOutput(
  graphDir: string,
  file: string,
  where: { nodeId: string; field: string },
  opts: ProjectPathOptions = {},
): Promise<string> {
  const r = await resolveProjectOutput(graphDir, file, opts);
  if (r.ok) return r.path;
  throw new ProblemError([{ code: r.code, ...where, message: r.message }]);
}

/** The folder itself counts as inside: a folder named as a file is then reported for what it is. */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return !rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel);
}

async function realDir(dir: string): Promise<string> {
  return realpath(dir).catch(() => path.resolve(dir));
}

/** The nearest folder of `dir` that exists, with its real path; what is missing is made later. */
async function existingAncestor(
  dir: string,
): Promise<{ ok: true; path: string; real: string } | { ok: false; reason: string }> {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      const real = await realpath(at);
      const st = await stat(real);
      if (!st.isDirectory()) return { ok: false, reason: `${at} is ${entryKind(st)}, not a folder` };
      return { ok: true, path: at, real };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { ok: false, reason: `${at} is a loop of symbolic links` };
      if (code !== 'ENOENT' || path.dirname(at) === at) return { ok: false, reason: `${at}: ${code ?? e}` };
    }
  }
}

function fsFailure(e: unknown, absolute: string): [string, string] {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return [
      'media.missing',
      `was not found (looked at ${absolute}); media paths are relative to the graph file's folder`,
    ];
  if (code === 'ELOOP') return ['media.missing', 'goes through a loop of symbolic links'];
  if (code === 'ENAMETOOLONG') return ['media.name', 'is longer than this system allows'];
  return ['media.unreadable', `cannot be read (${code ?? (e as Error).message}); it must be a readable file`];
}

function outputFsFailure(e: unknown, absolute: string): [string, string] {
  const [code, message] = fsFailure(e, absolute);
  return [code.replace(/^media\./, 'output.'), message];
}
