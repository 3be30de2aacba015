// Approval gates (docs/architecture.md §5): a keyframe or shot marked `needsApproval` holds back the
// paid work downstream of it until the user approves a take (`approved: { take }` in the graph).
// Pure, so the engine decides and the editor shows the same answer.
import type { Graph, GraphNode } from './schema';

/** The gate is open: the active take is the approved one. A new take closes it again. */
export function isApproved(node: GraphNode): boolean {
  return !node.needsApproval || node.approved?.take === (node.take ?? 1);
}

/** Every node downstream of a closed gate, with the first gate that holds it back. */
export function heldBack(graph: Graph): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e.target);
  const held = new Map<string, string>();
  for (const gate of graph.nodes) {
    if (isApproved(gate)) continue;
    const stack = [...(out.get(gate.id) ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (held.has(id) || id === gate.id) continue;
      held.set(id, gate.id);
      stack.push(...(out.get(id) ?? []));
    }
  }
  return held;
}
