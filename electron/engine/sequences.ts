// Sequences before anything else (docs/architecture.md §3.1): library files are read through the
// project-path resolver (inside the project unless the user allowed otherwise, no FIFOs, bounded size),
// then every instance is flattened, so validation, keys, estimates, status and runs see plain nodes.
import { readFile } from 'node:fs/promises';
import { graphSizeProblem } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import {
  filmLibraryRefs,
  filmSequences,
  isLibraryRef,
  sequenceDefSchema,
  type SequenceDef,
  flattenSequences,
  hasSequences,
  libraryEntryRefs,
  type LibraryEntry,
  type SequenceLibrary,
} from '../../shared/graph/sequence';
import type { Problem } from '../../shared/problems';
import { resolveProjectInput } from './project-path';

/** A film names at most this many library files, counting those the libraries name. */
export const MAX_LIBRARY_FILES = 100;

export async function expandSequences(
  graph: Graph,
  graphDir: string,
  opts: { allowOutside?: boolean } = {},
): Promise<{ graph: Graph; problems: Problem[] }> {
  if (!hasSequences(graph)) return { graph, problems: [] };
  return flattenSequences(graph, await readSequenceLibrary(graph, graphDir, opts));
}

/**
 * Every library file the film names, directly or through other library files, as read (or why
 * not); film inputs on a library instance's value are typed with it (shared/graph/inputs.ts).
 */
export async function readSequenceLibrary(
  graph: Graph,
  graphDir: string,
  opts: { allowOutside?: boolean } = {},
): Promise<SequenceLibrary> {
  const library = new Map<string, LibraryEntry>();
  if (!hasSequences(graph)) return library;
  const pending = filmLibraryRefs(graph);
  while (pending.length && library.size < MAX_LIBRARY_FILES) {
    const file = pending.shift()!;
    if (library.has(file)) continue;
    const entry = await readLibraryFile(graphDir, file, opts.allowOutside ?? false);
    library.set(file, entry);
    if (entry.ok) pending.push(...libraryEntryRefs(file, entry.value).filter((f) => !library.has(f)));
  }
  for (const file of pending) {
    if (!library.has(file)) {
      library.set(file, {
        ok: false,
        message: `"${file}": a film may use at most ${MAX_LIBRARY_FILES} sequence files`,
      });
    }
  }
  return library;
}

async function readLibraryFile(graphDir: string, file: string, allowOutside: boolean): Promise<LibraryEntry> {
  const resolved = await resolveProjectInput(graphDir, file, {
    allowOutside,
    expected: 'a sequence file (.sequence.json)',
  });
  if (!resolved.ok) return { ok: false, message: resolved.message };
  const tooLarge = graphSizeProblem(resolved.size);
  if (tooLarge)
    return { ok: false, message: `"${file}": ${tooLarge.replace('the graph', 'the sequence file')}` };
  try {
    const text = await readFile(resolved.path, 'utf8');
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (e) {
    return { ok: false, message: `"${file}" is not a readable sequence file: ${(e as Error).message}` };
  }
}

/**
 * One definition as written, to show or drill into: the film's own by id, or a library file's by path
 * (relative to the graph file). Problems name the field "sequence".
 */
export async function readSequenceDefinition(
  graph: Graph,
  graphDir: string,
  ref: string,
  opts: { allowOutside?: boolean } = {},
): Promise<{ ok: true; definition: SequenceDef } | { ok: false; problems: Problem[] }> {
  const fail = (message: string) => ({
    ok: false as const,
    problems: [{ code: 'sequence.missing', field: 'sequence', message }],
  });
  let raw: unknown;
  if (isLibraryRef(ref)) {
    const entry = await readLibraryFile(graphDir, ref, opts.allowOutside ?? false);
    if (!entry.ok) return fail(entry.message);
    raw = entry.value;
  } else {
    raw = filmSequences(graph).find((d) => (d as { id?: unknown })?.id === ref);
    if (raw === undefined) return fail(`there is no sequence "${ref}" in this film`);
  }
  const parsed = sequenceDefSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.slice(0, 10).map((i) => ({
        code: 'sequence.invalid',
        field: 'sequence',
        message: `sequence "${ref}"${i.path.length ? `, ${i.path.map(String).join('.')}` : ''}: ${i.message}`,
      })),
    };
  }
  return { ok: true, definition: parsed.data };
}
