// Typed, colour-coded ports. Handles are named by port name, as edges in the file are.
import { Handle, Position, useStoreApi, useUpdateNodeInternals } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { PortDef } from '../../shared/nodes/ports';
import { DROP_ZONE } from '../model/connect';
import { portColour } from '../model/ports';
import { useWireCounts, wiresOf } from './wires';

export function Ports({
  inputs,
  outputs,
  wired,
}: {
  inputs: PortDef[];
  outputs: PortDef[];
  wired: Record<string, number>;
}) {
  const rows = Math.max(inputs.length, outputs.length);
  return (
    <div className="ports">
      {Array.from({ length: rows }, (_, i) => (
        <div className="port-row" key={i}>
          {inputs[i] ? <InPort port={inputs[i]} count={wired[`in:${inputs[i].name}`] ?? 0} /> : <span />}
          {outputs[i] ? <OutPort port={outputs[i]} count={wired[`out:${outputs[i].name}`] ?? 0} /> : <span />}
        </div>
      ))}
    </div>
  );
}

/**
 * A light card's ports: only the wired ones, each where the full card has it so its wires end in
 * the same place; DropZones adds one per side to start or drop a wire (model/connect.ts, landWire).
 * A wired port here is a bare element xyflow measures as a handle (its classes and data attributes)
 * but not a <Handle>: each <Handle> listens to xyflow's store, which changes on every frame of a
 * drag, and a big film has thousands of them. It takes a dropped wire; it starts none.
 */
export function LightPorts({ id, inputs, outputs }: { id: string; inputs: PortDef[]; outputs: PortDef[] }) {
  const wired = useWireCounts(wiresOf(id));
  // Read once, not subscribed: the flow's id never changes, and a subscription per card is one
  // more selector xyflow runs on each of its store's updates (several per frame of a drag).
  const flowId = useStoreApi().getState().rfId;
  const rows = Math.max(inputs.length, outputs.length);
  const ends = (side: 'in' | 'out', ports: PortDef[]) =>
    ports.filter((p) => wired[`${side}:${p.name}`]).map((p) => p.name);
  const shown = `${ends('in', inputs).join()}|${ends('out', outputs).join()}`;
  // Handles that appear or go without the card changing size are not seen by xyflow until asked.
  const updateInternals = useUpdateNodeInternals();
  const measured = useRef(shown);
  useEffect(() => {
    if (measured.current === shown) return;
    measured.current = shown;
    updateInternals(id);
  }, [id, shown, updateInternals]);
  return (
    <div className="ports">
      {Array.from({ length: rows }, (_, i) => (
        <div className="port-row" key={i}>
          {inputs[i] && wired[`in:${inputs[i].name}`] ? (
            <WireEnd flowId={flowId} nodeId={id} port={inputs[i]} type="target" />
          ) : null}
          {outputs[i] && wired[`out:${outputs[i].name}`] ? (
            <WireEnd flowId={flowId} nodeId={id} port={outputs[i]} type="source" />
          ) : null}
        </div>
      ))}
    </div>
  );
}

/**
 * A light card's drop zones, one per side below its head. Last in the card, so they lie over its
 * ports and problems as a pointer sees them.
 */
export function DropZones() {
  return (
    <>
      <Handle type="target" position={Position.Left} id={DROP_ZONE.inputs} className="drop-zone" />
      <Handle type="source" position={Position.Right} id={DROP_ZONE.outputs} className="drop-zone" />
    </>
  );
}

function WireEnd({
  flowId,
  nodeId,
  port,
  type,
}: {
  flowId: string;
  nodeId: string;
  port: PortDef;
  type: 'source' | 'target';
}) {
  const side = type === 'target' ? 'left' : 'right';
  return (
    <div
      className={`react-flow__handle react-flow__handle-${side} handle handle-wired wire-end ${type === 'target' && port.multi ? 'handle-multi' : ''} ${type} connectable connectableend`}
      data-handleid={port.name}
      data-nodeid={nodeId}
      data-handlepos={side}
      data-id={`${flowId}-${nodeId}-${port.name}-${type}`}
      style={{ '--port': portColour(port.type) } as React.CSSProperties}
    />
  );
}

function InPort({ port, count }: { port: PortDef; count: number }) {
  const colour = portColour(port.type);
  const limit = port.multi ? (port.max ? `${count}/${port.max}` : String(count)) : '';
  return (
    <span className="port port-in" data-port={port.name}>
      <Handle
        type="target"
        position={Position.Left}
        id={port.name}
        className={`handle ${port.multi ? 'handle-multi' : ''} ${count ? 'handle-wired' : ''}`}
        style={{ '--port': colour } as React.CSSProperties}
        data-porttype={port.type}
        title={`${port.label}: ${port.type}${port.multi ? `, up to ${port.max ?? 'any'}` : ''}`}
      />
      <span className="port-label">{port.label}</span>
      {limit && <span className="port-count">{limit}</span>}
    </span>
  );
}

function OutPort({ port, count }: { port: PortDef; count: number }) {
  return (
    <span className="port port-out" data-port={port.name}>
      <span className="port-label">{port.label}</span>
      <Handle
        type="source"
        position={Position.Right}
        id={port.name}
        className={`handle ${count ? 'handle-wired' : ''}`}
        style={{ '--port': portColour(port.type) } as React.CSSProperties}
        data-porttype={port.type}
        title={`${port.label}: ${port.type}`}
      />
    </span>
  );
}
