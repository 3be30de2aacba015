// A wire: a bezier in its media colour and, into a multi port (the cut's clips), its place in the
// order. The number is drawn at a size known from its digits: xyflow's own edge labels measure
// their text after mounting and render again, which a 300-shot film pays 300 times when it opens.
import { BaseEdge, getBezierPath, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import { memo } from 'react';
import type { Wire } from '../model/flow';
import { portColour } from '../model/ports';

const DIGIT_WIDTH = 6.5;
const HEIGHT = 15;

function FilmWireView(props: EdgeProps<Wire>) {
  const [path, x, y] = getBezierPath(props);
  const rank = props.data?.rank;
  const width = rank === undefined ? 0 : 10 + String(rank).length * DIGIT_WIDTH;
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        style={props.style}
        interactionWidth={props.interactionWidth}
        {...(props.markerEnd ? { markerEnd: props.markerEnd } : {})}
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
            fill={portColour(props.data?.portType)}
          />
          <text x={x} y={y} textAnchor="middle" dy="0.35em">
            {rank}
          </text>
        </g>
      )}
    </>
  );
}

/** Module scope, as nodeTypes: a new object per render would remount every wire. */
export const edgeTypes: EdgeTypes = { film: memo(FilmWireView) };
