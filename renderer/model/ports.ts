// Port colours: one hue per media type, used by handles, wires and the palette alike.
import type { PortType } from '../../shared/nodes/ports';

export const PORT_COLOURS: Record<PortType, string> = {
  text: '#e8b64c',
  image: '#4aa8ff',
  video: '#b07cff',
  audio: '#36d399',
};

export function portColour(type: string | undefined): string {
  return PORT_COLOURS[type as PortType] ?? '#8a8f98';
}
