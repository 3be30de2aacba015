// The node canvas. xyflow draws the cards, the wire layer (nodes/WireLayer.tsx) the wires; the
// document store owns both; every structural edit goes through actions so it is validated and undoable.
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  ReactFlow,
  type Connection,
  type FinalConnectionState,
  type IsValidConnection,
  type Viewport,
  type XYPosition,
} from '@xyflow/react';
import { useCallback, useMemo, type DragEvent, type MouseEvent } from 'react';
import { dropFiles } from '../actions/media';
import { autoLayout } from '../actions/auto-layout';
import { addNode, connect } from '../actions/nodes';
import { drillIn } from '../actions/sequences';
import { getFlow, setFlow } from '../actions/viewport';
import { isDropZone, landWire, portsOf } from '../model/connect';
import type { FilmNode, Wire } from '../model/flow';
import { clearWires } from '../model/wire-selection';
import { nodeTypes } from '../nodes/nodeTypes';
import { EdgePan } from '../nodes/EdgePan';
import { MovingCards } from '../nodes/MovingCards';
import { WireLayer } from '../nodes/WireLayer';
import { ZoomWatch } from '../nodes/ZoomWatch';
import { onNodesChange, useDocument, type DocumentState } from '../stores/document';
import { useDrag } from '../stores/drag';
import { wireContext } from '../stores/library';
import { toast, useUi } from '../stores/ui';
import { FilmMap } from './FilmMap';
import { KIND_MIME } from './Palette';

const selectNodes = (s: DocumentState) => s.nodes;
const selectMinimap = (s: { minimap: boolean }) => s.minimap;

/**
 * The document's nodes with those being dragged where the pointer has them; the rest untouched.
 * The moves themselves reach xyflow without a render (nodes/MovingCards.tsx): this only keeps a
 * render during a drag (a selection, a card measured) from showing the dragged cards at their start.
 */
function withMoves(nodes: FilmNode[], moving: ReadonlyMap<string, XYPosition>): FilmNode[] {
  if (!moving.size) return nodes;
  return nodes.map((n) => {
    const at = moving.get(n.id);
    return at ? { ...n, position: at, dragging: true } : n;
  });
}

/** Where the canvas was looking when the storyboard took the whole stage: restored when it returns. */
let lastViewport: Viewport | undefined;
const keepViewport = (_: unknown, viewport: Viewport) => {
  lastViewport = viewport;
};

const asRequest = (c: Connection | Wire) => ({
  source: c.source,
  sourcePort: c.sourceHandle ?? '',
  target: c.target,
  targetPort: c.targetHandle ?? '',
});

/** The wire a connection makes: on a light card's drop zone, the port it lands on. */
function landed(c: Connection | Wire) {
  const { nodes, edges } = useDocument.getState();
  return landWire(nodes, edges, asRequest(c), wireContext());
}

const onConnect = (c: Connection) => {
  const { wire } = landed(c);
  if (wire) connect(wire);
};

/**
 * Props xyflow copies into its store whenever their identity changes: each copy re-runs every
 * handle's and wire's store selector (thousands in a big film), so they are made once, here, not
 * per render.
 */
const SNAP_GRID: [number, number] = [8, 8];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const FIT_VIEW = { padding: 0.15, maxZoom: 1.2 };

const isValidConnection: IsValidConnection<Wire> = (c) => !landed(c).refusal;

function onConnectEnd(event: MouseEvent | TouchEvent | globalThis.MouseEvent, state: FinalConnectionState) {
  const from = state.fromHandle;
  if (!from || !state.fromNode) return;
  if (state.toHandle && state.isValid === false) {
    // xyflow refuses silently; say why, with the same rule the drop was checked against.
    const to = state.toHandle;
    const req =
      from.type === 'source'
        ? { source: from.nodeId, sourcePort: from.id ?? '', target: to.nodeId, targetPort: to.id ?? '' }
        : { source: to.nodeId, sourcePort: to.id ?? '', target: from.nodeId, targetPort: from.id ?? '' };
    const { nodes, edges } = useDocument.getState();
    const reason = landWire(nodes, edges, req, wireContext()).refusal ?? 'those ports cannot be wired';
    const end = (node: string, port: string) => (isDropZone(port) ? node : `${node}.${port}`);
    toast(
      `Can't connect ${end(req.source, req.sourcePort)} → ${end(req.target, req.targetPort)}: ${reason}`,
      'error',
    );
    return;
  }
  if (!state.toHandle && !state.toNode) {
    // Dropped on empty canvas: offer the nodes that can take this wire, ComfyUI-style.
    const pt = 'changedTouches' in event ? event.changedTouches[0]! : (event as globalThis.MouseEvent);
    const flow = getFlow();
    const screen = { x: pt.clientX, y: pt.clientY };
    useUi.setState({
      search: {
        screen,
        flow: flow ? flow.screenToFlowPosition(screen) : screen,
        from: { nodeId: from.nodeId, port: fromPort(from.nodeId, from.id ?? '', from.type), side: from.type },
      },
    });
  }
}

/** A wire dropped on empty canvas from a light card's drop zone starts at its first port on that side. */
function fromPort(nodeId: string, port: string, side: 'source' | 'target'): string {
  if (!isDropZone(port)) return port;
  const node = useDocument.getState().nodes.find((n) => n.id === nodeId);
  const ports = node ? portsOf(node, side === 'source' ? 'outputs' : 'inputs', wireContext()) : [];
  return ports[0]?.name ?? port;
}

/** A click on empty canvas, or on a card without a modifier, unselects the wires, as xyflow did. */
const unselectWires = () => useDocument.setState((s) => ({ edges: clearWires(s.edges) }));
const onNodeClick = (e: MouseEvent) => {
  if (!e.shiftKey && !e.ctrlKey && !e.metaKey) unselectWires();
};

/** Double-clicking a sequence instance opens it (a breadcrumb leads back). */
const openSequence = (_: unknown, node: FilmNode) => {
  if (node.data.kind === 'sequence') void drillIn(node.id);
};

export function Canvas() {
  const placed = useDocument(selectNodes);
  const nodes = useMemo(() => withMoves(placed, useDrag.getState().moving), [placed]);
  const minimap = useUi(selectMinimap);
  // A library sequence is shown, not edited (model/scope.ts): nothing moves or wires here.
  const readOnly = useDocument((s) => !!s.scope?.library);

  const onDoubleClick = useCallback((e: MouseEvent) => {
    if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
    const flow = getFlow();
    const screen = { x: e.clientX, y: e.clientY };
    useUi.setState({ search: { screen, flow: flow ? flow.screenToFlowPosition(screen) : screen } });
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    e.preventDefault();
    const flow = getFlow();
    const at = flow ? flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) : { x: 0, y: 0 };
    const kind = e.dataTransfer.getData(KIND_MIME);
    if (kind) addNode(kind, at);
    else if (e.dataTransfer.files.length) void dropFiles([...e.dataTransfer.files], at);
  }, []);

  return (
    <div
      className={readOnly ? 'canvas is-read-only' : 'canvas'}
      onPointerDownCapture={releaseFocus}
      onDoubleClick={onDoubleClick}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
      data-testid="canvas"
    >
      <ReactFlow<FilmNode, Wire>
        nodes={nodes}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        onNodeDoubleClick={openSequence}
        onNodeClick={onNodeClick}
        onPaneClick={unselectWires}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={onConnectEnd}
        onInit={setFlow}
        onMoveEnd={keepViewport}
        {...(lastViewport ? { defaultViewport: lastViewport } : {})}
        colorMode="dark"
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        zoomOnDoubleClick={false}
        minZoom={0.08}
        maxZoom={2.5}
        snapToGrid
        snapGrid={SNAP_GRID}
        connectionRadius={28}
        onlyRenderVisibleElements={nodes.length > 150}
        autoPanOnNodeDrag={false}
      >
        <ZoomWatch />
        <EdgePan />
        <MovingCards />
        <WireLayer />
        <Background variant={BackgroundVariant.Dots} gap={24} size={1.2} color="#2b313b" />
        {minimap && <FilmMap />}
        <Controls showInteractive={false} position="bottom-left" fitViewOptions={FIT_VIEW}>
          <ControlButton onClick={() => void autoLayout()} title="Auto-layout (L)" aria-label="auto-layout">
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
              <path d="M4 5h6v5H4zM14 5h6v5h-6zM9 15h6v5H9zM7 10v3h10v-3M12 13v2" />
            </svg>
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}

/**
 * The canvas swallows mousedown (for panning), so a field in the inspector would keep the focus
 * and Ctrl+Z would undo its text instead of the graph. Clicking the canvas releases it.
 */
function releaseFocus(e: React.PointerEvent): void {
  const target = e.target as HTMLElement;
  if (target.closest('input, textarea, select, button, video, audio')) return;
  const active = document.activeElement as HTMLElement | null;
  if (active && active !== document.body) active.blur();
}
