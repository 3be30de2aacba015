// The editor's sequence operations (docs/architecture.md §3.1): the pure grouping in shared/graph/
// sequence.ts and the engine's reading of library files, with failures as contract errors.
import path from 'node:path';
import { ContractError } from '../../shared/contract';
import type { Graph } from '../../shared/graph/schema';
import { makeSequence, type MadeSequence } from '../../shared/graph/sequence';
import { readSequenceDefinition } from '../engine/sequences';
import type { Workspace } from './workspace';

export function makeSequenceFor(graph: Graph, nodeIds: string[], name: string): MadeSequence {
  try {
    return makeSequence(graph, nodeIds, name);
  } catch (e) {
    throw new ContractError('sequence.invalid', (e as Error).message);
  }
}

export async function readSequenceFor(
  ws: Workspace,
  graphPath: string | null,
  graph: Graph,
  ref: string,
): Promise<Record<string, unknown>> {
  const dir = graphPath ? path.dirname(ws.resolve(graphPath)) : ws.root;
  const read = await readSequenceDefinition(graph, dir, ref);
  if (!read.ok) throw new ContractError('sequence.invalid', read.problems[0]!.message, read.problems);
  return read.definition;
}
