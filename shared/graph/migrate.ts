// Versioned migrations (tldraw-style): each step lifts a file one version; a file from a newer
// app is refused whole rather than half-read.
import { GRAPH_VERSION } from './schema';

type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/** MIGRATIONS[v] lifts a version-v file to v+1. Version 0 was the pre-release draft with `links`. */
export const MIGRATIONS: Record<number, Migration> = {
  0: (doc) => {
    const { links, ...rest } = doc;
    return { ...rest, edges: rest.edges ?? links ?? [], version: 1 };
  },
  // v2 adds the film's exposed `inputs` (and leaves room for `sequences`); a v1 file has neither, so
  // only its version changes. An `inputs` key written into a v1 file by hand is read as inputs.
  1: (doc) => ({ ...doc, version: 2 }),
};

export class MigrationError extends Error {}

export function migrate(doc: Record<string, unknown>): Record<string, unknown> {
  const declared = doc.version;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0) {
    throw new MigrationError(`field "version" must be a whole number (this app writes ${GRAPH_VERSION})`);
  }
  let version: number = declared;
  if (version > GRAPH_VERSION) {
    throw new MigrationError(
      `field "version": this file is version ${version}, made by a newer Shotgraph; this app reads up to version ${GRAPH_VERSION}. Update Shotgraph to open it.`,
    );
  }
  let current = doc;
  while (version < GRAPH_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new MigrationError(`field "version": no migration from version ${version}`);
    current = step(current);
    version = current.version as number;
  }
  return current;
}
