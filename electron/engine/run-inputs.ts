// A run's input values (`--set NAME=VALUE`, a batch row) put into its graph (docs/architecture.md §3).
// A media value is a path the user chose (resolved against their working folder, not the graph's): it
// is theirs, so it may live anywhere, but the graph only ever names files inside its project. A file
// outside the project is copied into `media/` under a name that carries its content hash, so the
// project stays self-contained, the project-path rules still hold, and the same file is copied once.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { applyInputs, listInputs, type AppliedInputs } from '../../shared/graph/inputs';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { isRemoteUrl } from '../../shared/validate/media-path';
import { quoted } from '../../shared/validate/quoted';
import { copyFileAtomic } from './atomic';
import { sha256File } from './load';
import { readSequenceLibrary } from './sequences';
import { entryKind, isInside } from './project-path';

export interface RunInputOptions {
  /**
   * Where relative media paths in the values are resolved from: the user's working folder for
   * `--set` (the default), the graph's folder for values already relative to the film (an editor
   * form whose files were imported into the project, a batch CSV's own convention).
   */
  cwd?: string;
  /** The user allowed files outside the project (`--allow-outside`): library sequence files too. */
  allowOutside?: boolean;
}

/** `NAME=VALUE` strings → values, or a usage message (a name twice, no `=`). */
export function parseSetArgs(
  args: readonly string[],
): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at < 1) return { error: `--set takes NAME=VALUE, not ${quoted(arg)}` };
    const name = arg.slice(0, at);
    if (Object.hasOwn(values, name)) return { error: `--set ${quoted(name)} is given twice` };
    values[name] = arg.slice(at + 1);
  }
  return { values };
}

/** The graph with the values applied; media values brought into the project first. */
export async function applyRunInputs(
  graph: Graph,
  graphDir: string,
  values: Record<string, string>,
  opts: RunInputOptions = {},
): Promise<AppliedInputs> {
  const library = await readSequenceLibrary(graph, graphDir, { allowOutside: opts.allowOutside ?? false });
  const media = new Map(
    listInputs(graph, library)
      .filter((i) => i.type === 'image' || i.type === 'video' || i.type === 'audio')
      .map((i) => [i.name, i]),
  );
  const problems: Problem[] = [];
  const ready: Record<string, string> = { ...values };
  for (const [name, value] of Object.entries(values)) {
    const input = media.get(name);
    if (!input || !value.trim() || isRemoteUrl(value)) continue;
    try {
      ready[name] = await intoProject(graphDir, path.resolve(opts.cwd ?? process.cwd(), value));
    } catch (e) {
      problems.push({
        code: 'input.file',
        nodeId: input.node,
        field: input.field,
        message: `input "${name}": ${quoted(value)} ${(e as Error).message}`,
      });
    }
  }
  if (problems.length) return { graph, problems };
  return applyInputs(graph, ready, library);
}

/** The file's path relative to the graph, copying it into `media/` when it lies outside. */
async function intoProject(graphDir: string, file: string): Promise<string> {
  let st;
  try {
    st = await fs.stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : 'cannot be read');
  }
  // stat, never open, before knowing it is a file: opening a FIFO would block for ever.
  if (!st.isFile()) throw new Error(`is ${entryKind(st)}; name a file`);
  const realGraphDir = await fs.realpath(graphDir);
  const real = await fs.realpath(file);
  if (isInside(realGraphDir, real)) return path.relative(realGraphDir, real).split(path.sep).join('/');
  const sha = await sha256File(real);
  const ext = path
    .extname(real)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '');
  const stem =
    path
      .basename(real, path.extname(real))
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}_-]+/gu, '_')
      .slice(0, 60) || 'media';
  const name = `media/${stem}-${sha.slice(0, 12)}${ext}`;
  const target = path.join(graphDir, ...name.split('/'));
  if ((await sha256File(target).catch(() => undefined)) !== sha) await copyFileAtomic(real, target);
  return name;
}
