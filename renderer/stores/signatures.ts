// A short fingerprint of what each node's output depends on: its kind, params and, recursively,
// its inputs. A clip is stale exactly when its node's fingerprint differs from the one it was
// made with, so undoing an edit makes it current again.
import { create } from 'zustand';
import type { FilmNode, Wire } from '../model/flow';
import { useDocument } from './document';

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function fingerprints(nodes: FilmNode[], edges: Wire[]): Map<string, string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inputs = new Map<string, Wire[]>();
  for (const e of edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e]);
  const memo = new Map<string, string>();
  const visit = (id: string, path: Set<string>): string => {
    const known = memo.get(id);
    if (known) return known;
    if (path.has(id)) return 'cycle';
    path.add(id);
    const n = byId.get(id);
    const wires = (inputs.get(id) ?? [])
      .map((e) => `${e.targetHandle}#${e.data?.order ?? ''}<${e.sourceHandle}@${visit(e.source, path)}`)
      .sort();
    path.delete(id);
    const print = fnv1a(JSON.stringify([n?.data.kind, n?.data.params, n?.data.extra.take, wires]));
    memo.set(id, print);
    return print;
  };
  for (const n of nodes) visit(n.id, new Set());
  return memo;
}

export const useFingerprints = create(() => ({
  byNode: fingerprints(useDocument.getState().nodes, useDocument.getState().edges),
}));

// Positions and selection do not matter: recompute only when content (the revision) changes.
useDocument.subscribe((s, prev) => {
  if (s.revision !== prev.revision || s.edges !== prev.edges) {
    useFingerprints.setState({ byNode: fingerprints(s.nodes, s.edges) });
  }
});
