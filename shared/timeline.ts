// The final cut as a film: clips in order with their in/out points, transitions and place on the
// cut. One layout for the editor's timeline, the storyboard, the validator, the renderer and the
// exports, so what is shown is what is rendered. Times are whole frames at the preset's fps.
import type { Graph, GraphNode } from './graph/schema';
import { incomingEdges } from './graph/topology';
import { paramIssuesToProblems } from './graph/zod-problems';
import { finalCutParams, type FinalCutParams, type TransitionType } from './nodes/final-cut';
import type { Problem } from './problems';

export interface TimelineTransition {
  type: TransitionType;
  /** Seconds of overlap with the previous clip; 0 for a cut. */
  duration: number;
  frames: number;
}

export interface TimelineClip {
  index: number;
  /** Source node id: the key of this clip's settings. */
  nodeId: string;
  sourcePort: string;
  /** Length of the clip file in seconds, when known (probed, or a shot's fixed duration). */
  sourceSec?: number;
  /** In point in the clip's own time, seconds. */
  in: number;
  /** Out point in the clip's own time; unknown while the clip's length is. */
  out?: number;
  /** out − in. */
  duration?: number;
  gainDb: number;
  /** Into this clip; the first clip always cuts in. */
  transition: TimelineTransition;
  /** Where the clip starts on the cut (its transition begins here); unknown after a clip of unknown length. */
  start?: number;
  inFrame: number;
  outFrame?: number;
  startFrame?: number;
  label?: string;
  scene?: string;
  /** Text of the prompt wired into a shot. */
  prompt?: string;
}

export interface Timeline {
  nodeId: string;
  fps: number;
  clips: TimelineClip[];
  /** Length of the cut in seconds, when every clip's length is known. */
  duration?: number;
  params: FinalCutParams;
  /** Timeline problems (bad params, impossible trims or transitions), each naming node and field. */
  problems: Problem[];
}

export interface ClipSource {
  nodeId: string;
  sourcePort: string;
  sourceSec?: number;
}

const CUT: TimelineTransition = { type: 'cut', duration: 0, frames: 0 };

/**
 * Lays out `sources` (in cut order) with the final cut's params. Pure arithmetic: the renderer
 * calls it with probed lengths, the editor with the shots' requested durations.
 */
export function layoutTimeline(
  cutId: string,
  sources: ClipSource[],
  params: FinalCutParams,
): Omit<Timeline, 'params'> {
  const fps = params.preset.fps;
  const problems: Problem[] = [];
  const at = (code: string, field: string, message: string) =>
    problems.push({ code, nodeId: cutId, field, message });
  const wired = new Set(sources.map((s) => s.nodeId));
  for (const [group, what] of [
    ['clips', 'clip settings'],
    ['transitions', 'a transition'],
  ] as const) {
    for (const id of Object.keys(params[group])) {
      if (!wired.has(id)) {
        at(
          'timeline.not-in-cut',
          `${group}.${id}`,
          `"${id}" has ${what} but is not wired into this final cut's clips; wire it in or remove the entry`,
        );
      }
    }
  }

  const clips: TimelineClip[] = sources.map((s, index) => {
    const set = own(params.clips, s.nodeId) ?? {};
    const field = `clips.${s.nodeId}`;
    const sourceFrames = s.sourceSec !== undefined ? Math.round(s.sourceSec * fps) : undefined;
    const inFrame = Math.round((set.trim_in ?? 0) * fps);
    let outFrame = set.trim_out !== undefined ? Math.round(set.trim_out * fps) : sourceFrames;
    if (sourceFrames !== undefined && inFrame >= sourceFrames) {
      at(
        'timeline.trim-beyond',
        `${field}.trim_in`,
        `trim_in is ${secs(set.trim_in ?? 0)} but "${s.nodeId}" is only ${secs(s.sourceSec!)} long`,
      );
    } else if (sourceFrames !== undefined && outFrame !== undefined && outFrame > sourceFrames) {
      at(
        'timeline.trim-beyond',
        `${field}.trim_out`,
        `trim_out is ${secs(set.trim_out!)} but "${s.nodeId}" is only ${secs(s.sourceSec!)} long`,
      );
      outFrame = sourceFrames;
    } else if (outFrame !== undefined && outFrame <= inFrame && !(set.trim_out! <= (set.trim_in ?? 0))) {
      // trim_out ≤ trim_in itself is a param problem; here both round to the same frame.
      at(
        'timeline.trim-empty',
        `${field}.trim_out`,
        `trim_in and trim_out leave no whole frame at ${fps} fps`,
      );
    }
    const t = own(params.transitions, s.nodeId);
    let transition = CUT;
    if (t && t.type !== 'cut') {
      if (index === 0) {
        at(
          'timeline.first-transition',
          `transitions.${s.nodeId}.type`,
          `"${s.nodeId}" opens the film, so there is nothing to ${t.type === 'crossfade' ? 'crossfade' : 'fade'} from; use a cut`,
        );
      } else {
        const frames = Math.max(1, Math.round(t.duration * fps));
        transition = { type: t.type, duration: frames / fps, frames };
      }
    }
    const out = outFrame !== undefined && outFrame > inFrame ? outFrame : undefined;
    return {
      index,
      nodeId: s.nodeId,
      sourcePort: s.sourcePort,
      ...(s.sourceSec !== undefined ? { sourceSec: s.sourceSec } : {}),
      in: inFrame / fps,
      ...(out !== undefined ? { out: out / fps, duration: (out - inFrame) / fps, outFrame: out } : {}),
      gainDb: set.gain_db ?? 0,
      transition,
      inFrame,
    };
  });

  // A transition needs both neighbours to last at least as long, and two transitions on one clip
  // must not overlap (the next one would start before the previous one finished).
  clips.forEach((c, i) => {
    const prev = clips[i - 1];
    const t = c.transition;
    if (!prev || t.frames === 0) return;
    const field = `transitions.${c.nodeId}.duration`;
    const len = (x: TimelineClip) => (x.outFrame !== undefined ? x.outFrame - x.inFrame : undefined);
    const [a, b] = [len(prev), len(c)];
    if (a !== undefined && t.frames > a) {
      at(
        'timeline.transition-too-long',
        field,
        `the ${secs(t.duration)} ${label(t.type)} into "${c.nodeId}" is longer than "${prev.nodeId}" (${secs(a / fps)} after trims)`,
      );
    } else if (b !== undefined && t.frames > b) {
      at(
        'timeline.transition-too-long',
        field,
        `the ${secs(t.duration)} ${label(t.type)} into "${c.nodeId}" is longer than "${c.nodeId}" itself (${secs(b / fps)} after trims)`,
      );
    } else if (a !== undefined && t.frames + prev.transition.frames > a) {
      at(
        'timeline.transitions-overlap',
        field,
        `"${prev.nodeId}" (${secs(a / fps)} after trims) is too short for the ${label(prev.transition.type)} into it and the ${label(t.type)} out of it together; shorten one of them`,
      );
    }
  });

  let frame: number | undefined = 0;
  for (const c of clips) {
    if (frame === undefined) break;
    const start: number = frame - c.transition.frames;
    c.startFrame = Math.max(0, start);
    c.start = c.startFrame / fps;
    frame = c.outFrame !== undefined ? c.startFrame + c.outFrame - c.inFrame : undefined;
  }
  return {
    nodeId: cutId,
    fps,
    clips,
    ...(frame !== undefined && clips.length ? { duration: frame / fps } : {}),
    problems,
  };
}

/**
 * The final cut `finalCutId` of `graph` as a timeline. `lengths` (node id → seconds) gives clip
 * lengths where known (probed files, cached takes); shots with a fixed duration need none.
 */
export function timelineOf(graph: Graph, finalCutId: string, lengths: Record<string, number> = {}): Timeline {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const cut = byId.get(finalCutId);
  if (!cut || cut.type !== 'final_cut')
    throw new Error(`"${finalCutId}" is not a final cut node of this graph`);
  const parsed = finalCutParams.safeParse(cut.params);
  // Broken params still give the clips in order (with default settings), plus the problems.
  const params = parsed.success ? parsed.data : finalCutParams.parse({});
  const sources = incomingEdges(graph, finalCutId, 'clips').map((e) => {
    const sec = own(lengths, e.source) ?? requestedSeconds(byId.get(e.source));
    return { nodeId: e.source, sourcePort: e.sourcePort, ...(sec !== undefined ? { sourceSec: sec } : {}) };
  });
  const layout = layoutTimeline(finalCutId, sources, params);
  // Prompt edges indexed once: asking per clip would be quadratic on a large graph.
  const promptInto = new Map<string, string>();
  for (const e of graph.edges)
    if (e.targetPort === 'prompt' && !promptInto.has(e.target)) promptInto.set(e.target, e.source);
  for (const c of layout.clips) {
    const node = byId.get(c.nodeId);
    if (node?.label) c.label = node.label;
    if (node?.scene) c.scene = node.scene;
    const text = byId.get(promptInto.get(c.nodeId) ?? '')?.params.text;
    if (typeof text === 'string' && text.trim()) c.prompt = text.trim();
  }
  const problems = parsed.success ? layout.problems : paramIssuesToProblems(finalCutId, parsed.error.issues);
  return { ...layout, params, problems };
}

/** A shot's fixed duration (what it will render to); unknown for "auto" and for other nodes. */
function requestedSeconds(node: GraphNode | undefined): number | undefined {
  const d = node?.type === 'shot' ? node.params.duration : undefined;
  return typeof d === 'number' && d > 0 ? d : undefined;
}

function label(type: TransitionType): string {
  return type === 'fade_black' ? 'fade through black' : type;
}

function secs(s: number): string {
  return `${Number(s.toFixed(2))} s`;
}

/** A record's own entry: a clip named "toString" or "constructor" must not find Object's. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
