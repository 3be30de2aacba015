// Graph file ⇄ canvas. Both directions keep unknown fields, so open → save is lossless.
import { GRAPH_FORMAT, GRAPH_VERSION, type Graph } from '../../shared/graph/schema';
import { nodeKind, outputPort } from '../../shared/nodes';
import { wireId, type FilmNode, type Wire } from './flow';

export interface CanvasDoc {
  name: string;
  nodes: FilmNode[];
  edges: Wire[];
  /** Top-level fields other than nodes/edges/name (settings, future fields). */
  extra: Record<string, unknown>;
}

export function graphToCanvas(graph: Graph): CanvasDoc {
  const { format: _f, version: _v, name, nodes, edges, ...extra } = graph;
  const kinds = new Map(nodes.map((n) => [n.id, n.type]));
  const nodesOut: FilmNode[] = nodes.map((n, i) => {
    const { id, type, label, position, params, ...rest } = n;
    const known = Boolean(nodeKind(type));
    return {
      id,
      // A sequence instance has its own card (issue 13); its ports come from its definition.
      type: known ? type : type === 'sequence' ? 'sequence' : 'unknown',
      position: position ?? { x: (i % 6) * 320, y: Math.floor(i / 6) * 260 },
      data: {
        kind: type,
        params: { ...params },
        extra: rest,
        ...(label !== undefined ? { label } : {}),
        ...(known ? {} : { ports: portsUsed(graph, id) }),
      },
    };
  });
  const edgesOut: Wire[] = edges.map((e) => {
    const { source, sourcePort, target, targetPort, order, ...rest } = e;
    const srcKind = kinds.get(source);
    return {
      id: wireId(source, sourcePort, target, targetPort),
      source,
      target,
      sourceHandle: sourcePort,
      targetHandle: targetPort,
      data: {
        extra: rest,
        portType: srcKind ? outputPort(srcKind, sourcePort)?.type : undefined,
        ...(order !== undefined ? { order } : {}),
      },
    };
  });
  return { name, nodes: nodesOut, edges: edgesOut, extra };
}

function portsUsed(graph: Graph, id: string) {
  return {
    inputs: [...new Set(graph.edges.filter((e) => e.target === id).map((e) => e.targetPort))],
    outputs: [...new Set(graph.edges.filter((e) => e.source === id).map((e) => e.sourcePort))],
  };
}

export function canvasToGraph(doc: CanvasDoc): Graph {
  return {
    ...doc.extra,
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    name: doc.name,
    nodes: doc.nodes.map((n) => ({
      ...n.data.extra,
      id: n.id,
      type: n.data.kind,
      ...(n.data.label ? { label: n.data.label } : {}),
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      params: n.data.params,
    })),
    edges: doc.edges.map((e) => ({
      ...e.data?.extra,
      source: e.source,
      sourcePort: e.sourceHandle ?? '',
      target: e.target,
      targetPort: e.targetHandle ?? '',
      ...(e.data?.order !== undefined ? { order: e.data.order } : {}),
    })),
  } as Graph;
}
