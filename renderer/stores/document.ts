// The graph document: nodes, wires, name, file path, dirty state and undo history (docs/architecture.md §8).
// Only edits and drag ends enter history; selection, sizes and run state never do.
import { applyNodeChanges, type NodeChange } from '@xyflow/react';
import { create } from 'zustand';
import type { CanvasDoc } from '../model/convert';
import type { FilmNode, Wire } from '../model/flow';
import { NOT_MOVING, useDrag } from './drag';
import type { Scope } from '../model/scope';
import type { Snapshot } from './history';
import { toast } from './ui';

const HISTORY_LIMIT = 200;

export interface DocumentState {
  path: string | null;
  name: string;
  nodes: FilmNode[];
  edges: Wire[];
  extra: Record<string, unknown>;
  /** Inside a sequence: which, and the film around it (model/scope.ts). */
  scope: Scope | null;
  revision: number;
  savedRevision: number;
  past: Snapshot[];
  future: Snapshot[];
}

let revisions = 0;
let lastMark: { key: string; revision: number } | null = null;

export const useDocument = create<DocumentState>(() => ({
  path: null,
  name: 'Untitled film',
  nodes: [],
  edges: [],
  extra: {},
  scope: null,
  revision: 0,
  savedRevision: 0,
  past: [],
  future: [],
}));

const snapshot = (s: DocumentState): Snapshot => ({
  nodes: s.nodes,
  edges: s.edges,
  name: s.name,
  extra: s.extra,
  revision: s.revision,
  scope: s.scope,
});

export type Content = Pick<DocumentState, 'nodes' | 'edges' | 'name' | 'extra' | 'scope'>;

/**
 * One undoable edit. Edits sharing `mark` in an unbroken run (typing in one field) collapse into
 * a single history step, as tldraw's marks do.
 */
export function edit(change: (s: Content) => Partial<Content>, mark?: string): void {
  const s = useDocument.getState();
  if (s.scope?.library) {
    // Shown, not edited: the file is shared by every film that uses it (model/scope.ts).
    toast(
      `“${s.scope.name}” is kept in ${s.scope.library}, shared by every film that uses it: it is shown read-only`,
    );
    return;
  }
  const next = change(s);
  const coalesce = mark !== undefined && lastMark?.key === mark && lastMark.revision === s.revision;
  const revision = ++revisions;
  useDocument.setState({
    ...next,
    revision,
    past: coalesce ? s.past : [...s.past, snapshot(s)].slice(-HISTORY_LIMIT),
    future: [],
  });
  lastMark = mark !== undefined ? { key: mark, revision } : null;
}

export function undo(): void {
  const s = useDocument.getState();
  const prev = s.past[s.past.length - 1];
  if (!prev) return;
  useDocument.setState({
    ...restore(prev, s),
    past: s.past.slice(0, -1),
    future: [snapshot(s), ...s.future],
  });
  lastMark = null;
}

export function redo(): void {
  const s = useDocument.getState();
  const next = s.future[0];
  if (!next) return;
  useDocument.setState({ ...restore(next, s), past: [...s.past, snapshot(s)], future: s.future.slice(1) });
  lastMark = null;
}

/** History holds content only: the current selection survives undo and redo. */
function restore(snap: Snapshot, current: DocumentState) {
  const selected = new Set(current.nodes.filter((n) => n.selected).map((n) => n.id));
  const nodes = snap.nodes.map((n) =>
    Boolean(n.selected) === selected.has(n.id) ? n : { ...n, selected: selected.has(n.id) },
  );
  return {
    nodes,
    edges: snap.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
    name: snap.name,
    extra: snap.extra,
    revision: snap.revision,
    scope: snap.scope,
  };
}

/**
 * xyflow's own changes: selection and sizes pass straight through. A drag's frames go to the drag
 * store only (see stores/drag.ts); the drop writes the positions here as one undo step.
 */
export function onNodesChange(changes: NodeChange<FilmNode>[]): void {
  const allowed = changes.filter(
    (c) => c.type === 'position' || c.type === 'select' || c.type === 'dimensions',
  );
  if (!allowed.length) return;
  const frames = allowed.filter((c) => c.type === 'position' && c.dragging);
  if (frames.length) {
    const moving = new Map(useDrag.getState().moving);
    for (const c of frames) if (c.type === 'position' && c.position) moving.set(c.id, c.position);
    useDrag.setState({ moving });
  }
  const rest = allowed.filter((c) => !frames.includes(c));
  if (!rest.length) return;
  const s = useDocument.getState();
  const dropped = rest.some((c) => c.type === 'position');
  // Whatever the drag moved and the drop does not name lands where it was last seen.
  const held = dropped ? useDrag.getState().moving : NOT_MOVING;
  const named = new Set(rest.filter((c) => c.type === 'position').map((c) => c.id));
  const landed: NodeChange<FilmNode>[] = [...held]
    .filter(([id]) => !named.has(id))
    .map(([id, position]) => ({ type: 'position', id, position, dragging: false }));
  const nodes = applyNodeChanges([...landed, ...rest], s.nodes);
  writeNodes(s, nodes, dropped);
  // Only once the document holds the drop: no frame shows the node back where it started.
  if (held.size) useDrag.setState({ moving: NOT_MOVING });
}

function writeNodes(s: DocumentState, nodes: FilmNode[], dropped: boolean): void {
  if (dropped) {
    // A click is a drag that went nowhere: it must not become an undo step or dirty the film.
    const was = new Map(s.nodes.map((n) => [n.id, n.position]));
    const moved = nodes.some((n) => {
      const p = was.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y);
    });
    if (moved) {
      const revision = ++revisions;
      lastMark = null;
      useDocument.setState({
        nodes,
        revision,
        past: [...s.past, snapshot(s)].slice(-HISTORY_LIMIT),
        future: [],
      });
      return;
    }
  }
  useDocument.setState({ nodes });
}

export function loadDocument(doc: CanvasDoc, path: string | null, opts: { dirty?: boolean } = {}): void {
  const revision = ++revisions;
  useDrag.setState({ moving: NOT_MOVING });
  lastMark = null;
  useDocument.setState({
    ...doc,
    scope: null,
    path,
    revision,
    savedRevision: opts.dirty ? -1 : revision,
    past: [],
    future: [],
  });
}

export function markSaved(path: string, revision: number): void {
  useDocument.setState({ path, savedRevision: revision });
}

/** Into or out of a sequence: where the canvas looks, not an edit (no history step, not dirty). */
export function setScope(
  next: Pick<DocumentState, 'nodes' | 'edges' | 'scope'> & { extra?: Record<string, unknown> },
): void {
  useDrag.setState({ moving: NOT_MOVING });
  lastMark = null;
  useDocument.setState(next);
}

export const selectDirty = (s: DocumentState) => s.revision !== s.savedRevision;
