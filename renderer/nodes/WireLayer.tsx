// Every wire of the canvas, drawn by the editor rather than by xyflow (which is given no edges):
// one SVG inside xyflow's own wire container, so the wires pan and zoom with the cards and lie
// beneath them as xyflow's did. xyflow re-ran a selector per wire on every store update (each
// frame of a drag, thousands in a big film); here each wire listens to its own two cards
// (node-watch.ts), a big film draws only the wires near the view (model/wires-in-view.ts), and a
// click picks a wire (model/wire-selection.ts) for Delete to remove.
import { useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useDeferredValue, useMemo, type MouseEvent } from 'react';
import { createPortal } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import { drawnWires } from '../model/drawn-wires';
import type { FilmNode, Wire } from '../model/flow';
import { pickWire, wireIdAt } from '../model/wire-selection';
import { CULL_ABOVE, viewBox, wiresInView, type Box } from '../model/wires-in-view';
import { useDocument, type DocumentState } from '../stores/document';
import { FilmWire } from './FilmWire';
import { watchNodes } from './node-watch';

/** A card not measured yet is taken as a wide card: culling only needs to be generous. */
const GUESS = { width: 400, height: 260 };

const selectWires = (s: DocumentState) => ({ nodes: s.nodes, edges: s.edges });
const selectContainer = (s: ReactFlowState) => s.domNode?.querySelector('.react-flow__edges') ?? null;
/** The culling box as a string: the layer re-renders only when the snapped box changes. */
const selectView = (s: ReactFlowState) => {
  const b = viewBox(s.transform, s.width, s.height);
  return `${b.x0} ${b.y0} ${b.x1} ${b.y1}`;
};
const selectNothing = () => '';
const NONE: Wire[] = [];

function boxes(nodes: FilmNode[]): Map<string, Box> {
  const out = new Map<string, Box>();
  for (const n of nodes) {
    const w = n.measured?.width ?? GUESS.width;
    const h = n.measured?.height ?? GUESS.height;
    out.set(n.id, { x0: n.position.x, y0: n.position.y, x1: n.position.x + w, y1: n.position.y + h });
  }
  return out;
}

function onClick(e: MouseEvent) {
  const id = wireIdAt(e.target);
  if (!id) return;
  e.stopPropagation();
  const additive = e.shiftKey || e.ctrlKey || e.metaKey;
  useDocument.setState((s) => pickWire(s, id, additive));
}

export function WireLayer() {
  const store = useStoreApi<FilmNode, Wire>();
  const watch = useMemo(() => watchNodes(store), [store]);
  const container = useStore(selectContainer);
  const { nodes, edges } = useDocument(useShallow(selectWires));
  const drawn = useMemo(() => drawnWires(edges), [edges]);
  const big = drawn.length > CULL_ABOVE;
  const viewKey = useStore(big ? selectView : selectNothing);
  const byId = useMemo(() => (big ? boxes(nodes) : undefined), [big, nodes]);
  const listed = useMemo(() => {
    if (!byId) return drawn;
    const [x0, y0, x1, y1] = viewKey.split(' ').map(Number) as [number, number, number, number];
    return wiresInView(drawn, (id) => byId.get(id), { x0, y0, x1, y1 });
  }, [drawn, byId, viewKey]);
  // A big film's wires are drawn in a render of their own, after the cards: opening it paints its
  // cards first and its wires a moment later, instead of both in one long frame.
  const deferred = useDeferredValue(listed, NONE);
  const shown = big ? deferred : listed;
  if (!container) return null;
  return createPortal(
    <svg className="wire-layer" data-testid="wire-layer">
      {/* A new group when the wires first come: appended with it in one go, not one by one. */}
      <g onClick={onClick} key={shown.length ? 'wires' : 'none'}>
        {shown.map((w) => (
          <FilmWire key={w.id} wire={w} watch={watch} />
        ))}
      </g>
    </svg>,
    container,
  );
}
