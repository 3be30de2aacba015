// The editor's in-memory shapes: xyflow nodes and edges carrying exactly what the graph file holds,
// plus whatever fields this version does not know (kept so a save loses nothing).
import type { Edge, Node } from '@xyflow/react';

export interface ShotNodeData extends Record<string, unknown> {
  kind: string;
  params: Record<string, unknown>;
  label?: string;
  /** Other fields of the file's node (frozen, take, scene, future fields). */
  extra: Record<string, unknown>;
  /** Unknown kinds only: the ports their edges use, so those edges still draw. */
  ports?: { inputs: string[]; outputs: string[] };
}

export type FilmNode = Node<ShotNodeData>;

export interface WireData extends Record<string, unknown> {
  order?: number;
  extra: Record<string, unknown>;
  portType?: string;
  /** Drawn only: the wire's place among those into the same multi port (never saved). */
  rank?: number;
}

export type Wire = Edge<WireData>;

export function wireId(source: string, sourcePort: string, target: string, targetPort: string): string {
  return `${source}:${sourcePort}->${target}:${targetPort}`;
}
