// Media checks on the real files (docs/architecture.md §4, docs/gateways.md §3.1): the project-path rule
// (project-path.ts: inside the folder after symlinks, a regular file), recorded sha256, and what
// ffprobe says about format, size and length.
// Runs before any paid call, so a graph that Seedance would refuse never costs anything.
import path from 'node:path';
import type { Graph, GraphEdge, GraphNode } from '../../shared/graph/schema';
import { NODE_KINDS } from '../../shared/nodes';
import type { Problem } from '../../shared/problems';
import {
  AUDIO_CLIP_LIMITS,
  AUDIO_EXTENSIONS,
  IMAGE_EXTENSIONS,
  IMAGE_LIMITS,
  VIDEO_CLIP_LIMITS,
  VIDEO_EXTENSIONS,
} from '../../shared/seedance/limits';
import { isRemoteMedia } from '../../shared/validate/media-path';
import { FfmpegError, FfmpegNotFoundError, FfmpegTimeoutError } from '../media/ffmpeg';
import { probeMedia, type MediaInfo } from '../media/probe';
import { sha256OfFile } from './keys';
import { resolveProjectInput } from './project-path';

export interface MediaCheckOptions {
  allowOutside?: boolean;
  signal?: AbortSignal;
  /** Media node ids whose params are already known to be broken: probing them makes no sense. */
  skip?: ReadonlySet<string>;
}

type MediaKind = 'image' | 'video' | 'audio';
const MEDIA_KINDS: readonly string[] = ['image', 'video', 'audio'];

/** Decoded image codecs per the accepted formats (ffprobe calls jpeg "mjpeg"). */
const IMAGE_CODECS = ['mjpeg', 'png', 'webp', 'bmp', 'tiff', 'gif'];
const VIDEO_CODECS: Record<string, string> = { h264: 'H.264', hevc: 'H.265' };
const AUDIO_FORMATS = ['wav', 'mp3'];
/** Two probes at a time: the machines this runs on have two cores and other work to do. */
const CONCURRENCY = 2;
const MB = 1024 * 1024;

export async function validateMedia(
  graph: Graph,
  graphDir: string,
  opts: MediaCheckOptions = {},
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const probes = new Map<string, Promise<MediaInfo>>();
  const hashes = new Map<string, Promise<string>>();
  const durations = new Map<string, number>();
  let ffprobeMissing = false;

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const media = graph.nodes.filter(
    (n) => MEDIA_KINDS.includes(n.type) && !opts.skip?.has(n.id) && typeof n.params.file === 'string',
  );

  const checkNode = async (node: GraphNode): Promise<void> => {
    const kind = node.type as MediaKind;
    const file = node.params.file as string;
    const at = (code: string, message: string): void => {
      problems.push({ code, nodeId: node.id, field: 'file', message });
    };
    if (isRemoteMedia(file)) return; // remote media are not fetched here: only the structure is checked

    const resolved = await resolveProjectInput(graphDir, file, {
      allowOutside: opts.allowOutside ?? false,
      expected: kindAllowed(kind),
    });
    if (!resolved.ok) return at(resolved.code, resolved.message);
    const real = resolved.path;
    const st = { size: resolved.size, mtimeMs: resolved.mtimeMs };

    const expected = node.params.sha256;
    if (typeof expected === 'string') {
      let actual = hashes.get(real);
      if (!actual) hashes.set(real, (actual = sha256OfFile(real, st, opts.signal)));
      let got: string;
      try {
        got = await actual;
      } catch (e) {
        if ((e as Error).name === 'AbortError') throw e;
        at(
          'media.unreadable',
          `"${file}" cannot be read (${(e as Error).message}); it must be a readable file`,
        );
        return;
      }
      if (got !== expected) {
        at(
          'media.changed',
          `"${file}" is not the file that was added to this graph: its sha256 is ${got.slice(0, 12)}…, the graph records ${expected.slice(0, 12)}…; re-add the file to accept the new bytes`,
        );
      }
    }

    const ext = path.extname(file).slice(1).toLowerCase();
    const allowedExt: readonly string[] =
      kind === 'image' ? IMAGE_EXTENSIONS : kind === 'video' ? VIDEO_EXTENSIONS : AUDIO_EXTENSIONS;
    // Only Seedance refuses these formats; a clip used only by the final cut may be anything ffmpeg reads.
    const forSeedance = kind !== 'video' || !feedsOnlyFinalCut(graph, byId, node.id);
    if (forSeedance && !allowedExt.includes(ext)) {
      at(
        'media.format',
        `"${file}" is ${ext ? `a .${ext}` : 'an extensionless'} file; ${kindPlural(kind)} must be ${allowedExt.join(', ')}`,
      );
      return;
    }

    if (ffprobeMissing) return;
    let probe = probes.get(real);
    if (!probe) probes.set(real, (probe = probeMedia(real, opts.signal)));
    let info: MediaInfo;
    try {
      info = await probe;
    } catch (e) {
      if (e instanceof FfmpegNotFoundError) {
        if (!ffprobeMissing)
          problems.push({ code: 'media.ffprobe', message: `media cannot be checked: ${e.message}` });
        ffprobeMissing = true;
        return;
      }
      if (!(e instanceof FfmpegError) && !(e instanceof SyntaxError)) throw e; // cancelled, or a bug
      if (e instanceof FfmpegTimeoutError) {
        at(
          'media.unreadable',
          `"${file}" could not be read in time (${e.message}); it must be ${kindAllowed(kind)}`,
        );
        return;
      }
      at(
        'media.unreadable',
        `"${file}" cannot be decoded as ${kindLabel(kind)} (ffprobe cannot read it); it must be ${kindAllowed(kind)}`,
      );
      return;
    }

    const found =
      kind === 'image'
        ? checkImage(file, info, st.size)
        : kind === 'video'
          ? checkVideo(file, info, st.size, forSeedance)
          : checkAudio(file, info, st.size);
    for (const [code, message] of found.problems) at(code, message);
    if (found.durationSec !== undefined) durations.set(node.id, found.durationSec);
  };

  // A small worker pool: probes overlap with hashing without swamping the machine.
  const queue = [...media];
  const worker = async (): Promise<void> => {
    for (let node = queue.shift(); node; node = queue.shift()) {
      opts.signal?.throwIfAborted();
      await checkNode(node);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  opts.signal?.throwIfAborted();

  problems.push(...referenceTotals(graph, byId, durations));
  return problems;
}

interface Found {
  problems: [string, string][];
  durationSec?: number;
}

function checkImage(file: string, info: MediaInfo, bytes: number): Found {
  const v = info.video;
  // ffprobe "reads" garbage named .png as a 0×0 png stream, so a zero size means undecodable.
  if (!v || !v.width || !v.height) {
    return {
      problems: [
        [
          'media.unreadable',
          `"${file}" is not a decodable image; an image must be ${IMAGE_EXTENSIONS.join(', ')}`,
        ],
      ],
    };
  }
  if (!IMAGE_CODECS.includes(v.codec)) {
    return {
      problems: [
        [
          'media.format',
          `"${file}" holds ${v.codec} data, not an image Seedance accepts; an image must be ${IMAGE_EXTENSIONS.join(', ')}`,
        ],
      ],
    };
  }
  const out: [string, string][] = [];
  const { minSide, maxSide, minAspect, maxAspect, maxBytes } = IMAGE_LIMITS;
  const size = `${v.width}×${v.height} px`;
  if (Math.min(v.width, v.height) < minSide || Math.max(v.width, v.height) > maxSide) {
    out.push([
      'media.image-size',
      `"${file}" is ${size}; each side of an image must be ${minSide}–${maxSide} px`,
    ]);
  }
  const aspect = v.width / v.height;
  if (aspect < minAspect || aspect > maxAspect) {
    out.push([
      'media.image-aspect',
      `"${file}" is ${size}, an aspect ratio of ${aspect.toFixed(2)}; width ÷ height must be between ${minAspect} and ${maxAspect}`,
    ]);
  }
  if (bytes >= maxBytes) {
    out.push([
      'media.too-large',
      `"${file}" is ${(bytes / MB).toFixed(1)} MB; an image must be under ${maxBytes / MB} MB`,
    ]);
  }
  return { problems: out };
}

function checkVideo(file: string, info: MediaInfo, bytes: number, forSeedance: boolean): Found {
  const v = info.video;
  if (!v || !v.width || !v.height) {
    return {
      problems: [
        [
          'media.unreadable',
          `"${file}" has no decodable video stream; a video must be an mp4 or mov file (H.264 or H.265)`,
        ],
      ],
    };
  }
  if (!forSeedance) return { problems: [] };
  const formats = info.formatName.split(',');
  if (!formats.includes('mp4') && !formats.includes('mov')) {
    return {
      problems: [
        ['media.format', `"${file}" is a ${info.formatName} container; a reference video must be mp4 or mov`],
      ],
    };
  }
  const out: [string, string][] = [];
  if (!VIDEO_CODECS[v.codec]) {
    out.push(['media.codec', `"${file}" is encoded as ${v.codec}; a reference video must be H.264 or H.265`]);
  }
  const { minSec, maxSec, maxBytes } = VIDEO_CLIP_LIMITS;
  if (info.durationSec < minSec || info.durationSec > maxSec) {
    out.push([
      'media.duration',
      `"${file}" is ${seconds(info.durationSec)} long; each reference video must be ${minSec}–${maxSec} s`,
    ]);
  }
  if (bytes > maxBytes) {
    out.push([
      'media.too-large',
      `"${file}" is ${(bytes / MB).toFixed(1)} MB; a reference video may be at most ${maxBytes / MB} MB`,
    ]);
  }
  // A clip that is itself too long is reported once, not again in its shot's total.
  return {
    problems: out,
    ...(out.some(([c]) => c === 'media.duration') ? {} : { durationSec: info.durationSec }),
  };
}

function checkAudio(file: string, info: MediaInfo, bytes: number): Found {
  if (!info.audio) {
    return {
      problems: [
        ['media.unreadable', `"${file}" has no decodable audio stream; reference audio must be wav or mp3`],
      ],
    };
  }
  const formats = info.formatName.split(',');
  if (!AUDIO_FORMATS.some((f) => formats.includes(f))) {
    return {
      problems: [
        ['media.format', `"${file}" is ${info.formatName} audio; reference audio must be wav or mp3`],
      ],
    };
  }
  const out: [string, string][] = [];
  const { minSec, maxSec, maxBytes } = AUDIO_CLIP_LIMITS;
  if (info.durationSec < minSec || info.durationSec > maxSec) {
    out.push([
      'media.duration',
      `"${file}" is ${seconds(info.durationSec)} long; each reference audio must be ${minSec}–${maxSec} s`,
    ]);
  }
  if (bytes > maxBytes) {
    out.push([
      'media.too-large',
      `"${file}" is ${(bytes / MB).toFixed(1)} MB; a reference audio may be at most ${maxBytes / MB} MB`,
    ]);
  }
  // A clip that is itself too long is reported once, not again in its shot's total.
  return {
    problems: out,
    ...(out.some(([c]) => c === 'media.duration') ? {} : { durationSec: info.durationSec }),
  };
}

/** Per shot: reference videos, and reference audios, may total 15 s each (§3.1). */
function referenceTotals(graph: Graph, byId: Map<string, GraphNode>, probed: Map<string, number>): Problem[] {
  const problems: Problem[] = [];
  // Grouped once: incomingEdges per shot would be quadratic on a large graph.
  const into = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    const key = `${e.target}\0${e.targetPort}`;
    const list = into.get(key);
    if (list) list.push(e);
    else into.set(key, [e]);
  }
  const ports = [
    { port: 'reference_videos', label: 'reference videos', max: VIDEO_CLIP_LIMITS.maxTotalSec },
    { port: 'reference_audios', label: 'reference audios', max: AUDIO_CLIP_LIMITS.maxTotalSec },
  ];
  for (const shot of graph.nodes) {
    if (shot.type !== 'shot') continue;
    for (const { port, label, max } of ports) {
      const parts: string[] = [];
      let total = 0;
      for (const edge of into.get(`${shot.id}\0${port}`) ?? []) {
        const sec = sourceSeconds(byId.get(edge.source), probed);
        if (sec === undefined) continue; // unknown length (auto, remote, unreadable): reported elsewhere or unknowable
        total += sec;
        parts.push(`${edge.source} ${seconds(sec)}`);
      }
      if (total > max) {
        problems.push({
          code: 'media.total-duration',
          nodeId: shot.id,
          field: port,
          message: `${label} total ${seconds(total)} (${parts.join(' + ')}); a shot's ${label} may total at most ${max} s`,
        });
      }
    }
  }
  return problems;
}

/** Length a source contributes: probed media, or an upstream shot's fixed duration. */
function sourceSeconds(node: GraphNode | undefined, probed: Map<string, number>): number | undefined {
  if (!node) return undefined;
  if (node.type === 'shot') {
    const params = NODE_KINDS.shot.params.safeParse(node.params);
    return params.success && typeof params.data.duration === 'number' ? params.data.duration : undefined;
  }
  return probed.get(node.id);
}

function feedsOnlyFinalCut(graph: Graph, byId: Map<string, GraphNode>, id: string): boolean {
  const targets = graph.edges.filter((e) => e.source === id).map((e) => byId.get(e.target)?.type);
  return targets.length > 0 && targets.every((t) => t === 'final_cut');
}

function kindLabel(kind: MediaKind): string {
  return kind === 'image' ? 'an image' : kind === 'video' ? 'a video' : 'audio';
}

function kindPlural(kind: MediaKind): string {
  return kind === 'image' ? 'images' : kind === 'video' ? 'videos' : 'audio files';
}

function kindAllowed(kind: MediaKind): string {
  if (kind === 'image') return `an image file (${IMAGE_EXTENSIONS.join(', ')})`;
  if (kind === 'video') return 'an mp4 or mov video (H.264 or H.265)';
  return 'a wav or mp3 audio file';
}

function seconds(sec: number): string {
  return `${Number(sec.toFixed(2))} s`;
}
