// Port types and shapes. Colours live in the renderer; names and cardinality live here.

export const PORT_TYPES = ['text', 'image', 'video', 'audio'] as const;
export type PortType = (typeof PORT_TYPES)[number];

export interface PortDef {
  name: string;
  type: PortType;
  label: string;
  /** Accepts several ordered edges (reference media, final-cut clips). */
  multi?: boolean;
  /** Most edges a multi port takes; single ports take 1. */
  max?: number;
  required?: boolean;
}

export function maxInputs(port: PortDef): number {
  return port.multi ? (port.max ?? Infinity) : 1;
}
