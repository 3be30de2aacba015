// The editor's sequence operations (docs/architecture.md §3.1): the pure grouping in shared/graph/
// sequence.ts and the engine's reading of library files, with failures as contract errors.
import { ContractError } from '../../shared/contract';
import type { FilmInputDecl, Graph } from '../../shared/graph/schema';
import { makeSequence, type MadeSequence, type SequenceDef } from '../../shared/graph/sequence';

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
 * picked node.
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
  // They move with their nodes: the film no longer lists them (pointing a film input at the instance's
  // `values.NAME` is what the engine allows, but the editor's live check does not judge it yet).
  if (graph.inputs) next.inputs = filmInputs.filter((d) => !picked.has(d.node));
  return made;
}
