// Make sequence for the editor (issue 13): the engine's makeSequence (shared/graph/sequence.ts) turns
// the selection into a definition and one instance; then what a user changes per instance becomes
// the definition's field inputs — the film inputs that pointed inside (they move with their nodes)
// and every prompt's text — so each instance can set its own in the inspector.
import { ContractError } from '../../shared/contract';
import type { FilmInputDecl, Graph } from '../../shared/graph/schema';
import { makeSequence, type SequenceDef } from '../../shared/graph/sequence';

export function makeSequenceOf(
  graph: Graph,
  ids: string[],
  name: string,
): { graph: Graph; instance: string } {
  if (graph.nodes.some((n) => ids.includes(n.id) && n.type === 'final_cut'))
    throw new ContractError(
      'sequence.nodes',
      'a final cut cannot go inside a sequence: leave it out of the selection',
    );
  let made;
  try {
    made = makeSequence(graph, ids, name);
  } catch (e) {
    throw new ContractError('sequence.nodes', (e as Error).message);
  }
  const picked = new Set(ids);
  const next = made.graph as Graph & { sequences: SequenceDef[] };
  // The definition makeSequence just wrote, in the shape it wrote it.
  const def = next.sequences.find((d) => (d as SequenceDef).id === made.sequenceId) as SequenceDef;
  const filmInputs: FilmInputDecl[] = graph.inputs ?? [];
  for (const d of filmInputs)
    if (picked.has(d.node)) def.inputs.push({ name: d.name, node: d.node, field: d.field });
  for (const n of def.nodes)
    if (n.type === 'prompt' && !def.inputs.some((i) => i.node === n.id && i.field === 'text'))
      def.inputs.push({ name: `${n.id}.text`, node: n.id, field: 'text' });
  if (graph.inputs) next.inputs = filmInputs.filter((d) => !picked.has(d.node));
  return { graph: next, instance: made.instanceId };
}
