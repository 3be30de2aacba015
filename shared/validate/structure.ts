// Pure validation of a parsed graph: everything that can be known without reading media.
// Media facts (pixel sizes, durations) are checked by electron/engine with ffprobe.
import { inputProblems } from '../graph/inputs';
import type { Graph, GraphEdge } from '../graph/schema';
import { flattenSequences, SEQUENCE_KIND, type SequenceLibrary } from '../graph/sequence';
import { findCycles } from '../graph/topology';
import { paramIssuesToProblems } from '../graph/zod-problems';
import { inputPort, maxInputs, nodeKind, outputPort } from '../nodes';
import type { Problem } from '../problems';
import { resolutionsFor } from '../seedance/limits';
import { castFieldProblems } from './cast';
import { mediaPathIssue } from './media-path';
import { keyframeProblems } from './keyframes';
import { timelineProblems } from './timeline';

export interface StructureOptions {
  allowOutside?: boolean;
  /** Media URL origins the user trusts (SHOTGRAPH_TRUSTED_MEDIA_ORIGINS, read by the engine). */
  trustedMediaOrigins?: readonly string[];
  /** Library files the caller has read (the editor, for the few it shows); others stay opaque. */
  library?: SequenceLibrary;
}

export function validateStructure(film: Graph, opts: StructureOptions = {}): Problem[] {
  // Sequences are judged as the engine runs them: flattened (docs/architecture.md §3.1). Instances
  // of library files this caller could not read stay opaque: their wires count, and are not judged.
  const flat = flattenSequences(film, opts.library ?? new Map(), { keepUnread: true });
  if (flat.problems.length) return flat.problems;
  const graph = flat.graph;
  const problems: Problem[] = [];
  const byId = new Map<string, Graph['nodes'][number]>();
  for (const node of graph.nodes) {
    if (byId.has(node.id)) {
      problems.push({
        code: 'node.duplicate-id',
        nodeId: node.id,
        field: 'id',
        message: 'two nodes share this id; ids must be unique',
      });
    }
    byId.set(node.id, node);
  }
  for (const node of graph.nodes) problems.push(...validateNodeParams(node, opts));
  graph.edges.forEach((edge, i) => problems.push(...validateEdge(graph, edge, i, byId)));
  for (const cycle of findCycles(graph)) {
    problems.push({
      code: 'graph.cycle',
      nodeId: cycle[0],
      field: 'edges',
      message: `these nodes form a cycle: ${[...cycle, cycle[0]].join(' → ')}; a shot cannot depend on itself`,
    });
  }
  // Counted once up front: asking incomingEdges per node and port is quadratic on a 5,000-node graph.
  const wired = new Map<string, number>();
  for (const e of graph.edges)
    wired.set(`${e.target}\0${e.targetPort}`, (wired.get(`${e.target}\0${e.targetPort}`) ?? 0) + 1);
  for (const node of graph.nodes) problems.push(...validateInputs(node, wired));
  problems.push(...timelineProblems(graph, opts));
  problems.push(...inputProblems(film, opts.library));
  problems.push(...keyframeProblems(graph));
  problems.push(...castFieldProblems(graph, opts));
  return problems;
}

export function validateNodeParams(node: Graph['nodes'][number], opts: StructureOptions = {}): Problem[] {
  const def = nodeKind(node.type);
  if (node.type === SEQUENCE_KIND) return []; // an unread library instance (see validateStructure)
  if (!def) {
    return [
      {
        code: 'node.unknown-kind',
        nodeId: node.id,
        field: 'type',
        message: `unknown node kind "${node.type}"; known kinds: prompt, image, video, audio, shot, final_cut`,
      },
    ];
  }
  const parsed = def.params.safeParse(node.params);
  if (!parsed.success) return paramIssuesToProblems(node.id, parsed.error.issues);
  const problems: Problem[] = [];
  const params = parsed.data as Record<string, unknown>;
  if (typeof params.file === 'string') {
    const issue = mediaPathIssue(params.file, {
      allowOutside: opts.allowOutside ?? false,
      ...(opts.trustedMediaOrigins ? { trustedOrigins: opts.trustedMediaOrigins } : {}),
    });
    if (issue) problems.push({ code: issue.code, nodeId: node.id, field: 'file', message: issue.message });
  }
  if (node.type === 'shot') {
    const model = String(params.model);
    const allowed = resolutionsFor(model);
    if (!allowed.includes(params.resolution as never)) {
      problems.push({
        code: 'shot.resolution',
        nodeId: node.id,
        field: 'resolution',
        message: `${model} renders ${allowed.join(', ')}; ${String(params.resolution)} is not available`,
      });
    }
  }
  return problems;
}

function validateEdge(
  graph: Graph,
  edge: GraphEdge,
  index: number,
  byId: Map<string, Graph['nodes'][number]>,
): Problem[] {
  const label = `${edge.source}.${edge.sourcePort} → ${edge.target}.${edge.targetPort}`;
  const src = byId.get(edge.source);
  const dst = byId.get(edge.target);
  const field = `edges[${index}]`;
  const noNode = (id: string) => `${label}: no node "${id}"; an edge must connect two nodes of this graph`;
  if (!src) return [{ code: 'edge.unknown-node', nodeId: edge.target, field, message: noNode(edge.source) }];
  if (!dst) return [{ code: 'edge.unknown-node', nodeId: edge.source, field, message: noNode(edge.target) }];
  if (!nodeKind(src.type) || !nodeKind(dst.type)) return []; // reported as unknown kinds already
  const out = outputPort(src.type, edge.sourcePort);
  const inp = inputPort(dst.type, edge.targetPort);
  // Name the ports that do exist, so the message says what is allowed.
  const names = (ports: { name: string }[]) => ports.map((p) => p.name).join(', ') || 'none';
  if (!out)
    return [
      {
        code: 'edge.unknown-port',
        nodeId: src.id,
        field: edge.sourcePort,
        message: `${label}: a ${src.type} node has no output "${edge.sourcePort}"; its outputs are ${names(nodeKind(src.type)!.outputs)}`,
      },
    ];
  if (!inp)
    return [
      {
        code: 'edge.unknown-port',
        nodeId: dst.id,
        field: edge.targetPort,
        message: `${label}: a ${dst.type} node has no input "${edge.targetPort}"; its inputs are ${names(nodeKind(dst.type)!.inputs)}`,
      },
    ];
  if (out.type !== inp.type) {
    return [
      {
        code: 'edge.type',
        nodeId: dst.id,
        field: edge.targetPort,
        message: `${label}: ${inp.label} takes ${inp.type}, not ${out.type}`,
      },
    ];
  }
  return [];
}

/** Per-node input rules: cardinality, required inputs and the Seedance mode rules (§1.5). */
function validateInputs(node: Graph['nodes'][number], wired: Map<string, number>): Problem[] {
  const def = nodeKind(node.type);
  if (!def) return [];
  const problems: Problem[] = [];
  const count: Record<string, number> = {};
  for (const port of def.inputs) {
    const n = wired.get(`${node.id}\0${port.name}`) ?? 0;
    count[port.name] = n;
    const max = maxInputs(port);
    if (n > max) {
      problems.push({
        code: 'port.too-many',
        nodeId: node.id,
        field: port.name,
        message:
          max === 1
            ? `${port.label} takes one input; ${n} are wired`
            : `${port.label} takes at most ${max}; ${n} are wired`,
      });
    }
    if (port.required && n === 0) {
      problems.push({
        code: 'port.required',
        nodeId: node.id,
        field: port.name,
        message: `${port.label} needs at least one input`,
      });
    }
  }
  if (node.type === 'shot') problems.push(...shotModeProblems(node.id, count));
  return problems;
}

export function shotModeProblems(nodeId: string, count: Record<string, number>): Problem[] {
  const problems: Problem[] = [];
  const frames = (count.first_frame ?? 0) + (count.last_frame ?? 0);
  const refs = (count.reference_images ?? 0) + (count.reference_videos ?? 0) + (count.reference_audios ?? 0);
  if (frames > 0 && refs > 0) {
    problems.push({
      code: 'shot.mode',
      nodeId,
      field: count.first_frame ? 'first_frame' : 'last_frame',
      message:
        'first/last-frame mode and reference mode cannot be mixed in one Seedance 2.0 shot; wire the start image as a reference and say "image 1 as the first frame" in the prompt, or drop the references',
    });
  }
  if ((count.last_frame ?? 0) > 0 && (count.first_frame ?? 0) === 0) {
    problems.push({
      code: 'shot.last-frame',
      nodeId,
      field: 'last_frame',
      message: 'a last frame needs a first frame beside it',
    });
  }
  if (
    (count.reference_audios ?? 0) > 0 &&
    (count.reference_images ?? 0) + (count.reference_videos ?? 0) === 0
  ) {
    problems.push({
      code: 'shot.audio-alone',
      nodeId,
      field: 'reference_audios',
      message: 'reference audio needs at least one reference image or video beside it on Seedance 2.0',
    });
  }
  if ((count.prompt ?? 0) + frames + refs === 0) {
    problems.push({
      code: 'shot.empty',
      nodeId,
      field: 'prompt',
      message: 'a shot needs a prompt, a first frame or a reference',
    });
  }
  return problems;
}
