// Make sequence from a selection (the host's makeSequence), drill into one and back out.
import { parseGraphValue } from '../../shared/graph/parse';
import { isLibraryRef, type LibraryEntry } from '../../shared/graph/sequence';
import { graphToCanvas } from '../model/convert';
import { edit, useDocument } from '../stores/document';
import { libraryFor, setLibraryEntry } from '../stores/library';
import { toast } from '../stores/ui';
import { host } from '../transport';
import { currentGraph, reportProblem } from './files';
import { showSequence } from './sequence-scope';

export { copyIntoFilm, drillOut } from './sequence-scope';

export async function makeSequenceFromSelection(): Promise<void> {
  const s = useDocument.getState();
  if (s.scope) return toast('Make sequences from the film’s own nodes: go back to the film first');
  const ids = s.nodes.filter((n) => n.selected).map((n) => n.id);
  if (!ids.length) return toast('Select the nodes that make the sequence first');
  const name = window.prompt('Name of the sequence', 'Sequence')?.trim();
  if (!name) return;
  try {
    const made = await host.call('sequence.make', { graph: currentGraph(), nodeIds: ids, name });
    const parsed = parseGraphValue(made.graph);
    if (!parsed.ok) throw new Error(parsed.problems[0]?.message ?? 'the host answered an unreadable film');
    const doc = graphToCanvas(parsed.graph);
    const nodes = doc.nodes.map((n) => (n.id === made.instanceId ? { ...n, selected: true } : n));
    edit(() => ({ nodes, edges: doc.edges, extra: doc.extra }));
    toast(`${ids.length} node${ids.length === 1 ? '' : 's'} made into the sequence “${name}”`, 'success');
  } catch (e) {
    reportProblem('Could not make a sequence', e);
  }
}

/**
 * Asks the host for a library sequence the film names (once per film and file), so its instances
 * show their ports and open. A film never saved has no folder to find the file in.
 */
export async function readLibrarySequence(ref: string): Promise<LibraryEntry> {
  const film = useDocument.getState().path;
  const known = libraryFor(film).get(ref);
  if (known) return known;
  let entry: LibraryEntry;
  if (!film) {
    entry = { ok: false, message: `save the film first: "${ref}" is found beside the film file` };
  } else {
    try {
      const read = await host.call('sequence.read', { path: film, sequence: ref });
      entry = { ok: true, value: read.definition };
    } catch (e) {
      entry = { ok: false, message: (e as Error).message };
    }
  }
  // The film may have changed while the host read: keep the answer only for the film that asked.
  if (useDocument.getState().path === film) setLibraryEntry(film, ref, entry);
  return entry;
}

export async function drillIn(id: string): Promise<void> {
  const s = useDocument.getState();
  const ref = s.nodes.find((n) => n.id === id)?.data.params.sequence;
  if (!s.scope && typeof ref === 'string' && isLibraryRef(ref)) await readLibrarySequence(ref);
  showSequence(id);
}

/** One instance's own value for one of its sequence's inputs (undoable, like any param). */
export function setInstanceValue(id: string, name: string, value: string | undefined): void {
  edit(
    (s) => ({
      nodes: s.nodes.map((n) => {
        if (n.id !== id) return n;
        const values = { ...((n.data.params.values as Record<string, unknown> | undefined) ?? {}) };
        if (value === undefined) delete values[name];
        else values[name] = value;
        return { ...n, data: { ...n.data, params: { ...n.data.params, values } } };
      }),
    }),
    `seq-${id}-${name}`,
  );
}
