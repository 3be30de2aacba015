// A wire: a bezier in its media colour from its source port to its target port and, into a multi
// port (the cut's clips), its place in the order. Drawn by the canvas's own wire layer
// (WireLayer.tsx), not by xyflow: it re-renders only when its own wire or one of its two cards
// changes. The number is drawn at a size known from its digits, so nothing is measured after mount.
import { getBezierPath, type InternalNode } from '@xyflow/react';
import { ConnectionMode, getEdgePosition } from '@xyflow/system';
import { memo, useCallback, useSyncExternalStore } from 'react';
import type { FilmNode, Wire } from '../model/flow';
import { portColour } from '../model/ports';
import type { NodeWatch } from './node-watch';

const DIGIT_WIDTH = 6.5;
const HEIGHT = 15;
/** Width of the invisible stroke a click or hover lands on, as xyflow's edges had. */
const HIT_WIDTH = 20;

function useCard(watch: NodeWatch, id: string): InternalNode<FilmNode> | undefined {
  const subscribe = useCallback((l: () => void) => watch.subscribe(id, l), [watch, id]);
  return useSyncExternalStore(subscribe, () => watch.card(id));
}

function FilmWireView({ wire, watch }: { wire: Wire; watch: NodeWatch }) {
  const sourceNode = useCard(watch, wire.source);
  const targetNode = useCard(watch, wire.target);
  // Null until both cards are measured with their ports, as xyflow drew none before either.
  const at =
    sourceNode && targetNode
      ? getEdgePosition({
          id: wire.id,
          sourceNode,
          sourceHandle: wire.sourceHandle ?? null,
          targetNode,
          targetHandle: wire.targetHandle ?? null,
          connectionMode: ConnectionMode.Strict,
        })
      : null;
  // An empty group, not nothing, while it waits: when a film's cards are measured all its wires
  // appear at once, and React places each new element before its next sibling's element, which
  // it finds by walking past every sibling that has none (quadratic in a big film's wires).
  if (!at) return <g />;
  const [path, x, y] = getBezierPath(at);
  const rank = wire.data?.rank;
  const width = rank === undefined ? 0 : 10 + String(rank).length * DIGIT_WIDTH;
  return (
    <g
      className={`react-flow__edge film-wire nopan ${wire.className ?? ''}${wire.selected ? ' selected' : ''}`}
      data-testid={`rf__edge-${wire.id}`}
      data-wire={wire.id}
    >
      <path className="react-flow__edge-path" d={path} fill="none" style={wire.style} />
      <path
        className="react-flow__edge-interaction"
        d={path}
        fill="none"
        strokeOpacity={0}
        strokeWidth={HIT_WIDTH}
      />
      {rank !== undefined && (
        // Placed by coordinates, not a transform: a transform per number is one more paint
        // property that Chromium re-layerizes on every frame of a drag.
        <g className="wire-rank" data-testid="wire-rank">
          <rect
            x={x - width / 2}
            y={y - HEIGHT / 2}
            width={width}
            height={HEIGHT}
            rx={7}
            fill={portColour(wire.data?.portType)}
          />
          <text x={x} y={y} textAnchor="middle" dy="0.35em">
            {rank}
          </text>
        </g>
      )}
    </g>
  );
}

export const FilmWire = memo(FilmWireView);
