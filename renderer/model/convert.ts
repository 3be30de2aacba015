// Graph file ⇄ canvas. Both directions keep unknown fields, so open → save is lossless.
import { GRAPH_FORMAT, GRAPH_VERSION, type Graph } from '../../shared/graph/schema';
import { filmSequences, SEQUENCE_KIND, sequencePorts, type DefPorts } from '../../shared/graph/sequence';
import { nodeKind, outputPort, type PortType } from '../../shared/nodes';
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
  // A wire out of an instance of the film's own sequence takes the type of the inner port it leaves.
  const defs = filmSequences(graph) as (DefPorts & { id?: unknown })[];
  const lookup = (ref: string) => defs.find((d) => d?.id === ref && Array.isArray(d.nodes));
  const refs = new Map(
    nodes.filter((n) => n.type === SEQUENCE_KIND).map((n) => [n.id, String(n.params.sequence ?? '')]),
  );
  const outputs = new Map<string, Map<string, PortType>>();
  const typeOf = (id: string, port: string): PortType | undefined => {
    const ref = refs.get(id);
    if (ref === undefined) {
      const kind = kinds.get(id);
      return kind ? outputPort(kind, port)?.type : undefined;
    }
    if (!outputs.has(ref)) {
      const def = lookup(ref);
      const list = def ? sequencePorts(def, lookup).outputs : [];
      outputs.set(ref, new Map(list.map((p) => [p.name, p.type])));
    }
    return outputs.get(ref)!.get(port);
  };
  const edgesOut: Wire[] = edges.map((e) => {
    const { source, sourcePort, target, targetPort, order, ...rest } = e;
    return {
      id: wireId(source, sourcePort, target, targetPort),
      source,
      target,
      sourceHandle: sourcePort,
      targetHandle: targetPort,
      data: {
        extra: rest,
        portType: typeOf(source, sourcePort),
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
