// Text → Graph, with every problem named. Used by the CLI, the engine and the editor alike.
import type { Problem } from '../problems';
import { migrate, MigrationError } from './migrate';
import { graphSchema, type Graph } from './schema';
import { zodIssuesToProblems } from './zod-problems';

export const MAX_GRAPH_BYTES = 20 * 1024 * 1024;

/** Why a graph of this many bytes is refused, or undefined: the same limit and words everywhere. */
export function graphSizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_GRAPH_BYTES) return undefined;
  const mib = (n: number) => `${Number((n / 1024 / 1024).toFixed(1))} MiB`;
  return `the graph is ${mib(bytes)}; a graph file may be at most ${mib(MAX_GRAPH_BYTES)}`;
}

export type ParseResult = { ok: true; graph: Graph } | { ok: false; problems: Problem[] };

export function parseGraphText(text: string): ParseResult {
  if (text.length > MAX_GRAPH_BYTES) {
    return fail('file.too-large', `the file is larger than ${MAX_GRAPH_BYTES / 1024 / 1024} MiB`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail('file.json', `not valid JSON: ${(e as Error).message}`);
  }
  return parseGraphValue(raw);
}

export function parseGraphValue(raw: unknown): ParseResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(
      'file.shape',
      'a graph file must be a JSON object with "format", "version", "nodes" and "edges"',
    );
  }
  const doc = raw as Record<string, unknown>;
  if (doc.format !== 'shotgraph') {
    return fail(
      'file.format',
      'field "format" must be "shotgraph": this is not a Shotgraph graph file',
      'format',
    );
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrate(doc);
  } catch (e) {
    if (e instanceof MigrationError) return fail('file.version', e.message, 'version');
    throw e;
  }
  const parsed = graphSchema.safeParse(migrated);
  if (!parsed.success) return { ok: false, problems: zodIssuesToProblems(parsed.error.issues, migrated) };
  return { ok: true, graph: parsed.data };
}

function fail(code: string, message: string, field?: string): ParseResult {
  return { ok: false, problems: [{ code, message, ...(field ? { field } : {}) }] };
}
