// Graph file → Graph, with every failure (missing, a folder, too big, unreadable, bad JSON, bad
// schema) turned into Problems, so the CLI, the editor and the executor report them the same way.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { graphSizeProblem, parseGraphText } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { isRemoteMedia } from '../../shared/validate/media-path';

export type LoadResult =
  { ok: true; graph: Graph; graphPath: string; graphDir: string } | { ok: false; problems: Problem[] };

export async function loadGraphFile(graphPath: string): Promise<LoadResult> {
  const absolute = path.resolve(graphPath);
  let size: number;
  try {
    const st = await stat(absolute);
    if (st.isDirectory()) {
      return fail(
        'file.directory',
        `"${absolute}" is a folder; give the path of a graph file (.json) inside it`,
      );
    }
    if (!st.isFile())
      return fail('file.not-file', `"${absolute}" is not a regular file; give the path of a graph file`);
    size = st.size;
  } catch (e) {
    return fail(...fsProblem(e, absolute));
  }
  // Checked before reading so a huge file is never pulled into memory.
  const tooLarge = graphSizeProblem(size);
  if (tooLarge) return fail('file.too-large', `"${absolute}": ${tooLarge}`);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (e) {
    return fail(...fsProblem(e, absolute));
  }
  // Editors on Windows like to prepend a BOM, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseGraphText(text);
  if (!parsed.ok) return parsed;
  return { ok: true, graph: parsed.graph, graphPath: absolute, graphDir: path.dirname(absolute) };
}

function fsProblem(e: unknown, file: string): [string, string] {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return ['file.missing', `no graph file at "${file}"; check the path`];
  if (code === 'EACCES' || code === 'EPERM') {
    return [
      'file.unreadable',
      `"${file}" cannot be read (permission denied); the graph file must be readable`,
    ];
  }
  if (code === 'EISDIR')
    return ['file.directory', `"${file}" is a folder; give the path of a graph file inside it`];
  return ['file.unreadable', `"${file}" cannot be read: ${(e as Error).message}`];
}

function fail(code: string, message: string): LoadResult {
  return { ok: false, problems: [{ code, message }] };
}

/**
 * Absolute path of a media file named in a graph. Graph paths are relative to the graph file and
 * may have been written on Windows, so both separators are accepted. Not for remote URLs.
 */
export function resolveMediaPath(graphDir: string, file: string): string {
  if (isRemoteMedia(file)) throw new Error(`"${file}" is a remote URL, not a file path`);
  const parts = file.split(/[\\/]+/);
  const absolute = file.startsWith('/') || file.startsWith('\\') || /^[a-z]:/i.test(file);
  if (absolute && path.sep === '\\') return path.resolve(file);
  return absolute ? path.resolve('/', ...parts) : path.resolve(graphDir, ...parts);
}

/** sha256 (hex) of a file's bytes, streamed so large videos never sit in memory. */
export function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(file, signal ? { signal } : {});
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
