// Typed, colour-coded ports. Handles are named by port name, as edges in the file are.
import { Handle, Position } from '@xyflow/react';
import type { PortDef } from '../../shared/nodes/ports';
import { portColour } from '../model/ports';

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
 * A light card's ports: the same rows and handles, so wires end where they do on the full card,
 * without the labels, counts and tooltips nobody can read at that zoom.
 */
export function BarePorts({ inputs, outputs }: { inputs: PortDef[]; outputs: PortDef[] }) {
  const rows = Math.max(inputs.length, outputs.length);
  return (
    <div className="ports">
      {Array.from({ length: rows }, (_, i) => (
        <div className="port-row" key={i}>
          {inputs[i] && (
            <Handle
              type="target"
              position={Position.Left}
              id={inputs[i].name}
              className={`handle ${inputs[i].multi ? 'handle-multi' : ''}`}
              style={{ '--port': portColour(inputs[i].type) } as React.CSSProperties}
            />
          )}
          {outputs[i] && (
            <Handle
              type="source"
              position={Position.Right}
              id={outputs[i].name}
              className="handle"
              style={{ '--port': portColour(outputs[i].type) } as React.CSSProperties}
            />
          )}
        </div>
      ))}
    </div>
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
