// Shots a gateway cannot render, found before any paid call: every limit of the capability matrix
// (shared/seedance/capabilities.ts) becomes a problem that names the gateway, the limit and a way
// out. The same check runs on the graph (plan time) and on each request (inside the provider).
import type { Graph, GraphEdge, GraphNode } from '../graph/schema';
import { edgesInto } from '../graph/topology';
import { shotParams } from '../nodes/registry';
import type { Problem } from '../problems';
import {
  CAPABILITIES,
  gatewaysWith,
  isGatewayName,
  modelCapabilities,
  nearestDuration,
  subjectFor,
  type GatewayName,
  type MediaKind,
  type ModelCapabilities,
  MEDIA_HOST_HINT,
  usesMediaHost,
} from '../seedance/capabilities';
import { DURATION, resolutionsFor, type Ratio, type Resolution } from '../seedance/limits';
import { highestRefs } from '../seedance/prompt-refs';
import { isAssetRef, isRemoteMedia } from './media-path';

export const MEDIA_PORTS = [
  'first_frame',
  'last_frame',
  'reference_images',
  'reference_videos',
  'reference_audios',
] as const;
export type MediaPort = (typeof MEDIA_PORTS)[number];

export interface MediaInput {
  /** A file on this machine (a media node's file, or a shot's output) rather than a URL. */
  local: boolean;
  /** What it is, in the user's words: `the last frame of shot "shot-1"`, `media/set.png`. */
  source: string;
  /** Another shot's output: it cannot be uploaded beforehand, since it does not exist yet. */
  fromShot?: boolean;
  /** An id in the gateway's asset library (`asset://…`), not a URL or a file. */
  asset?: boolean;
}

/** A shot as the check needs it, whether read from a graph or from a provider's request. */
export interface ShotSpec {
  nodeId: string;
  model: string;
  duration: number | 'auto';
  ratio: Ratio;
  resolution: Resolution;
  generateAudio: boolean;
  seed: number;
  watermark: boolean;
  prompt: string;
  inputs: Record<MediaPort, MediaInput[]>;
}

const PORT_KIND: Record<MediaPort, MediaKind> = {
  first_frame: 'image',
  last_frame: 'image',
  reference_images: 'image',
  reference_videos: 'video',
  reference_audios: 'audio',
};
const PORT_LABEL: Record<MediaPort, string> = {
  first_frame: 'first frame',
  last_frame: 'last frame',
  reference_images: 'reference image',
  reference_videos: 'reference video',
  reference_audios: 'reference audio',
};
const REF_PORT: Record<MediaKind, MediaPort> = {
  image: 'reference_images',
  video: 'reference_videos',
  audio: 'reference_audios',
};

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** "render this shot on ark or inference instead (set the shot's provider)". */
function elsewhere(gateway: GatewayName, pick: (m: ModelCapabilities) => boolean): string {
  const others = gatewaysWith(pick).filter((g) => g !== gateway);
  return others.length ? `render this shot on ${list(others)} instead (set the shot's provider)` : '';
}

/** Other models of the same gateway that can do it: "use seedance_2_0_pro or seedance_2_0_fast_pro". */
function otherModels(
  gateway: GatewayName,
  caps: ModelCapabilities,
  pick: (m: ModelCapabilities) => boolean,
): string {
  const ids = Object.values(CAPABILITIES[gateway].models)
    .filter((m) => m.id !== caps.id && pick(m))
    .map((m) => m.id);
  return ids.length ? `use model ${list(ids)}` : '';
}

const either = (...ways: string[]) => ways.filter(Boolean).join(', or ');
const withNote = (way: string, note: string) => (way ? way + note : '');

export interface CapabilityOptions {
  /**
   * A media host is configured (SHOTGRAPH_MEDIA_HOST): URL-only gateways get their local inputs
   * uploaded there, so local files are fine on them. The caller reads the environment; this stays pure.
   */
  mediaHost?: boolean;
}

export function shotCapabilityProblems(
  gateway: string,
  spec: ShotSpec,
  opts: CapabilityOptions = {},
): Problem[] {
  if (!isGatewayName(gateway)) return [];
  const gw = CAPABILITIES[gateway];
  const caps = modelCapabilities(gateway, spec.model);
  const problems: Problem[] = [];
  const add = (code: string, field: string, message: string) =>
    problems.push({ code: `capability.${code}`, nodeId: spec.nodeId, field, message });
  const count = (port: MediaPort) => spec.inputs[port].length;

  if (!spec.prompt.trim() && caps.promptRequired) {
    add('prompt', 'prompt', `${gw.label} needs a prompt for every shot; wire a prompt node into this shot`);
  }
  if (count('first_frame') && !caps.firstFrame) {
    const who = subjectFor(gateway, caps, (m) => m.firstFrame);
    add(
      'first-frame',
      'first_frame',
      `${who} has no first-frame input${caps.minReferenceVideos ? ' (it only takes references, with at least one reference video)' : ''}; ` +
        either(
          otherModels(gateway, caps, (m) => !!m.firstFrame),
          elsewhere(gateway, (m) => !!m.firstFrame),
        ),
    );
  }
  if (count('last_frame') && !caps.lastFrame) {
    const who = subjectFor(gateway, caps, (m) => m.lastFrame);
    add(
      'last-frame',
      'last_frame',
      `${who} has no last-frame input; ` +
        either(
          'remove the last frame',
          otherModels(gateway, caps, (m) => m.lastFrame),
          elsewhere(gateway, (m) => m.lastFrame),
        ),
    );
  }
  for (const kind of ['image', 'video', 'audio'] as const) {
    const port = REF_PORT[kind];
    const max = caps.references[kind];
    if (count(port) > max) {
      const who = subjectFor(gateway, caps, (m) => m.references[kind]);
      add(
        'references',
        port,
        `${who} takes at most ${max} reference ${kind}${max === 1 ? '' : 's'}; ${count(port)} are wired. ` +
          either(
            `Wire at most ${max}`,
            elsewhere(gateway, (m) => m.references[kind] >= count(port)),
          ),
      );
    }
  }
  if (count('reference_videos') < caps.minReferenceVideos) {
    const who = subjectFor(gateway, caps, (m) => m.minReferenceVideos);
    add(
      'reference-video-required',
      'reference_videos',
      `${who} needs at least ${caps.minReferenceVideos === 1 ? 'one' : caps.minReferenceVideos} reference video; ` +
        either(
          'wire one',
          withNote(
            otherModels(gateway, caps, (m) => m.minReferenceVideos === 0),
            ', which also render text-only and first-frame shots',
          ),
        ),
    );
  }
  // A resolution the model never renders is already reported by the structure check.
  if (resolutionsFor(spec.model).includes(spec.resolution) && !caps.resolutions.includes(spec.resolution)) {
    add(
      'resolution',
      'resolution',
      caps.resolutionSetting
        ? `${subjectFor(gateway, caps, (m) => m.resolutions)} renders ${caps.resolutions.join(', ')}; ${spec.resolution} is not available`
        : `${gw.label} has no resolution setting: its videos come at ${caps.resolutions.join(', ')}; ` +
            either(
              `set the shot's resolution to ${caps.resolutions[0]}`,
              elsewhere(gateway, (m) => m.resolutionSetting),
            ),
    );
  }
  if (spec.duration === 'auto' && !caps.durations.auto) {
    add(
      'duration',
      'duration',
      `${gw.label} has no automatic duration; choose ${caps.durations.values ? list(caps.durations.values.map(String)) : `${caps.durations.min}–${caps.durations.max}`} s`,
    );
  } else if (
    typeof spec.duration === 'number' &&
    // Outside Seedance's own range is the structure check's to report.
    spec.duration >= DURATION.min &&
    spec.duration <= DURATION.max &&
    (spec.duration < caps.durations.min || spec.duration > caps.durations.max)
  ) {
    add(
      'duration',
      'duration',
      `${gw.label} takes ${caps.durations.min}–${caps.durations.max} s; ${spec.duration} s is not available`,
    );
  } else if (
    typeof spec.duration === 'number' &&
    caps.durations.values &&
    !caps.durations.values.includes(spec.duration)
  ) {
    add(
      'duration',
      'duration',
      `${gw.label} takes ${list(caps.durations.values.map(String))} s only; ${spec.duration} s is not available (the nearest is ${nearestDuration(caps, spec.duration)} s)`,
    );
  }
  if (!caps.ratios.includes(spec.ratio)) {
    add('ratio', 'ratio', `${gw.label} has no ${spec.ratio} ratio; choose one of ${caps.ratios.join(', ')}`);
  }
  if (!spec.generateAudio && !caps.generateAudio) {
    add(
      'audio',
      'generate_audio',
      `${gw.label} has no generate_audio setting (the gateway decides whether a clip has sound); ` +
        either(
          'turn generate_audio back on',
          elsewhere(gateway, (m) => m.generateAudio),
        ),
    );
  }
  if (spec.seed >= 0 && !caps.seed) {
    add(
      'seed',
      'seed',
      `${gw.label} takes no seed; ${either(
        'set seed to -1 (random)',
        elsewhere(gateway, (m) => m.seed),
      )}`,
    );
  }
  if (spec.watermark && !caps.watermark) {
    add(
      'watermark',
      'watermark',
      `${gw.label} cannot add a watermark; ${either(
        'turn watermark off',
        elsewhere(gateway, (m) => m.watermark),
      )}`,
    );
  }
  for (const port of MEDIA_PORTS) {
    const kind = PORT_KIND[port];
    if (caps.localFiles[kind]) continue;
    const hostable = usesMediaHost(gateway);
    if (hostable && opts.mediaHost) continue;
    spec.inputs[port].forEach((input, i) => {
      if (!input.local) return;
      const what = spec.inputs[port].length > 1 ? `${PORT_LABEL[port]} ${i + 1}` : `the ${PORT_LABEL[port]}`;
      const takesLocal = elsewhere(gateway, (m) => m.localFiles[kind]);
      const how = input.fromShot
        ? `a shot's output only exists on this machine, so shots cannot be chained this way on ${gw.label}: ${either(takesLocal, `give this shot an image node with an https URL instead`)}`
        : `upload it where an https link reaches it (a storage bucket with a public or signed URL) and use that URL in the ${kind} node${takesLocal ? `, or ${takesLocal}` : ''}`;
      const hint = hostable ? `, ${MEDIA_HOST_HINT}` : '';
      add(
        'local-file',
        port,
        `${gw.label} takes ${kind}s only as URLs${caps.localFiles.image || caps.localFiles.audio ? ` (local ${(['image', 'audio'] as const).filter((k) => caps.localFiles[k]).join(' and ')} files are fine)` : ''}, but ${what} is ${input.source}, a file on this machine; ${how}${hint}`,
      );
    });
  }
  if (!caps.assetIds) {
    for (const port of MEDIA_PORTS) {
      spec.inputs[port].forEach((input, i) => {
        if (!input.asset) return;
        const what =
          spec.inputs[port].length > 1 ? `${PORT_LABEL[port]} ${i + 1}` : `the ${PORT_LABEL[port]}`;
        add(
          'asset',
          port,
          `${gw.label} takes no asset:// ids, but ${what} is ${input.source}; ` +
            either(
              `use an https URL of the ${PORT_KIND[port]} instead`,
              elsewhere(gateway, (m) => m.assetIds),
            ),
        );
      });
    }
  }
  const top = highestRefs(spec.prompt);
  const have: Record<MediaKind, number> = {
    image: count('first_frame') + count('last_frame') + count('reference_images'),
    video: count('reference_videos'),
    audio: count('reference_audios'),
  };
  for (const kind of ['image', 'video', 'audio'] as const) {
    if (top[kind] > have[kind]) {
      problems.push({
        code: 'prompt.reference',
        nodeId: spec.nodeId,
        field: 'prompt',
        message: `the prompt names ${kind} ${top[kind]}, but ${have[kind] ? `only ${have[kind]}` : 'no'} ${kind}${have[kind] === 1 ? ' is' : 's are'} wired into this shot (${kind}s are numbered in port order${kind === 'image' ? ': first frame, last frame, then reference images' : ''})`,
      });
    }
  }
  return problems;
}

/** The media wired into a shot, as the capability check sees them. */
function wiredInputs(
  into: (target: string, port: string) => GraphEdge[],
  byId: Map<string, GraphNode>,
  shot: GraphNode,
): Record<MediaPort, MediaInput[]> {
  const inputs = {} as Record<MediaPort, MediaInput[]>;
  for (const port of MEDIA_PORTS) {
    inputs[port] = into(shot.id, port).flatMap((e) => {
      const src = byId.get(e.source);
      if (!src) return []; // an edge to nowhere is the structure check's to report
      if (src.type === 'shot') {
        const what = e.sourcePort === 'last_frame' ? 'the last frame' : 'the video';
        return [{ local: true, fromShot: true, source: `${what} of shot "${src.id}"` }];
      }
      if (src.type === 'keyframe') return [{ local: true, fromShot: true, source: `keyframe "${src.id}"` }];
      const file = typeof src.params.file === 'string' ? src.params.file : '';
      if (isAssetRef(file)) return [{ local: false, asset: true, source: file }];
      return [{ local: !isRemoteMedia(file), source: isRemoteMedia(file) ? file : `"${src.id}" (${file})` }];
    });
  }
  return inputs;
}

/** Capability problems of every shot in a graph, each on the gateway it would run on. */
export function capabilityProblems(
  graph: Graph,
  providerOf: (node: GraphNode) => string | undefined,
  opts: CapabilityOptions = {},
): Problem[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = edgesInto(graph);
  const problems: Problem[] = [];
  for (const node of graph.nodes) {
    if (node.type !== 'shot') continue;
    const gateway = providerOf(node);
    if (!gateway || !isGatewayName(gateway)) continue;
    const parsed = shotParams.safeParse(node.params);
    if (!parsed.success) continue; // bad params are reported by the structure check
    const p = parsed.data;
    const prompt = into(node.id, 'prompt')
      .map((e) => byId.get(e.source))
      .map((n) => (n?.type === 'prompt' && typeof n.params.text === 'string' ? n.params.text : ''))
      .join('\n');
    problems.push(
      ...shotCapabilityProblems(
        gateway,
        {
          nodeId: node.id,
          model: p.model,
          duration: p.duration,
          ratio: p.ratio,
          resolution: p.resolution,
          generateAudio: p.generate_audio,
          seed: p.seed,
          watermark: p.watermark,
          prompt,
          inputs: wiredInputs(into, byId, node),
        },
        opts,
      ),
    );
  }
  return problems;
}
