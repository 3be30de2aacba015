// Copy/paste and duplicate: the selected nodes and the wires between them, re-keyed on paste.
import { nextNodeId } from './ids';
import { wireId, type FilmNode, type Wire } from './flow';

export const CLIPBOARD_MIME = 'application/x-shotgraph';

export interface Clip {
  shotgraphClip: 1;
  nodes: { id: string; type: string; position: { x: number; y: number }; data: FilmNode['data'] }[];
  edges: {
    source: string;
    sourceHandle: string;
    target: string;
    targetHandle: string;
    data?: Wire['data'];
  }[];
}

export function copySelection(nodes: FilmNode[], edges: Wire[]): Clip | undefined {
  const picked = nodes.filter((n) => n.selected);
  if (!picked.length) return undefined;
  const ids = new Set(picked.map((n) => n.id));
  return {
    shotgraphClip: 1,
    nodes: picked.map((n) => ({ id: n.id, type: n.type ?? 'unknown', position: n.position, data: n.data })),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({
        source: e.source,
        sourceHandle: e.sourceHandle ?? '',
        target: e.target,
        targetHandle: e.targetHandle ?? '',
        ...(e.data ? { data: e.data } : {}),
      })),
  };
}

export function parseClip(text: string): Clip | undefined {
  try {
    const v = JSON.parse(text) as Clip;
    return v?.shotgraphClip === 1 && Array.isArray(v.nodes) && Array.isArray(v.edges) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** New nodes and wires for a clip, with fresh ids, selected, moved by `offset`. */
export function materialise(clip: Clip, existing: FilmNode[], offset: { x: number; y: number }) {
  const taken = new Set(existing.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes: FilmNode[] = clip.nodes.map((n) => {
    const id = nextNodeId(n.data.kind, taken);
    taken.add(id);
    rename.set(n.id, id);
    const data = structuredClone(n.data);
    return {
      id,
      type: n.type,
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
      data,
      selected: true,
    };
  });
  const edges: Wire[] = clip.edges.map((e) => {
    const source = rename.get(e.source)!;
    const target = rename.get(e.target)!;
    return {
      id: wireId(source, e.sourceHandle, target, e.targetHandle),
      source,
      target,
      sourceHandle: e.sourceHandle,
      targetHandle: e.targetHandle,
      data: e.data ?? { extra: {} },
    };
  });
  return { nodes, edges };
}
