// The editor's sequence operations (docs/architecture.md §3.1): the pure grouping in shared/graph/
// sequence.ts and the engine's reading of library files, with failures as contract errors.
import { ContractError } from '../../shared/contract';
import { GRAPH_VERSION, type FilmInputDecl, type Graph } from '../../shared/graph/schema';
import {
  isLibraryRef,
  LIBRARY_SUFFIX,
  makeSequence,
  rebaseNode,
  type MadeSequence,
  type SequenceDef,
} from '../../shared/graph/sequence';
import { readSequenceDefinition } from '../engine/sequences';

export function makeSequenceFor(graph: Graph, nodeIds: string[], name: string): MadeSequence {
  if (graph.nodes.some((n) => nodeIds.includes(n.id) && n.type === 'final_cut'))
    throw new ContractError(
      'sequence.invalid',
      'a final cut cannot go inside a sequence: leave it out of the selection',
    );
  try {
    return makeSequence(graph, nodeIds, name);
  } catch (e) {
    throw new ContractError('sequence.invalid', (e as Error).message);
  }
}

/**
 * What a user changes per instance becomes the new definition's field inputs (issue 13: "each
 * instance sets its own inputs"): every picked prompt's text, and each film input that pointed at a
 * picked node. That film input keeps its name, description and default and now points at the new
 * instance's value (`values.NAME`), so `--set`, a batch row or Run with… sets it as before.
 */
export function withInstanceInputs(graph: Graph, nodeIds: string[], made: MadeSequence): MadeSequence {
  const picked = new Set(nodeIds);
  const next = made.graph as Graph & { sequences: unknown[] };
  const def = next.sequences.find((d) => (d as SequenceDef).id === made.sequenceId) as SequenceDef;
  const filmInputs: FilmInputDecl[] = graph.inputs ?? [];
  for (const d of filmInputs)
    if (picked.has(d.node)) def.inputs.push({ name: d.name, node: d.node, field: d.field });
  for (const n of def.nodes)
    if (n.type === 'prompt' && !def.inputs.some((i) => i.node === n.id && i.field === 'text'))
      def.inputs.push({ name: `${n.id}.text`, node: n.id, field: 'text' });
  if (graph.inputs)
    next.inputs = filmInputs.map((d) =>
      picked.has(d.node) ? { ...d, node: made.instanceId, field: `values.${d.name}` } : d,
    );
  return made;
}

/** A library file's definition, to show inside the editor; refused with the engine's own message. */
export async function readLibrarySequence(
  graphDir: string,
  ref: string,
): Promise<{ definition: SequenceDef }> {
  if (!isLibraryRef(ref))
    throw new ContractError('sequence.invalid', `"${ref}" is not a sequence file (*${LIBRARY_SUFFIX})`);
  const empty: Graph = { format: 'shotgraph', version: GRAPH_VERSION, name: '', nodes: [], edges: [] };
  const read = await readSequenceDefinition(empty, graphDir, ref);
  if (!read.ok) throw new ContractError('sequence.missing', read.problems[0]!.message, read.problems);
  // Media inside are named relative to the library file; the editor shows them as the film sees them.
  const definition = read.definition;
  return { definition: { ...definition, nodes: definition.nodes.map((n) => rebaseNode(ref, n)) } };
}
