// Timeline checks that need the files (the pure ones are in shared/validate/timeline.ts): the music
// bed is validated like an audio input (the project-path rule of project-path.ts, its sha256, wav or mp3 with a decodable audio stream), and trims and transitions are
// checked against the probed lengths of video files wired into a final cut.
import path from 'node:path';
import type { Graph } from '../../shared/graph/schema';
import { finalCutParams } from '../../shared/nodes/final-cut';
import type { Problem } from '../../shared/problems';
import { AUDIO_EXTENSIONS } from '../../shared/seedance/limits';
import { isRemoteMedia, mediaPathProblem } from '../../shared/validate/media-path';
import { timelineProblems } from '../../shared/validate/timeline';
import { probeMedia } from '../media/probe';
import { sha256OfFile } from './keys';
import { resolveProjectInput } from './project-path';

export interface TimelineCheckOptions {
  allowOutside?: boolean;
  signal?: AbortSignal;
}

export async function validateTimelineMedia(
  graph: Graph,
  graphDir: string,
  opts: TimelineCheckOptions = {},
): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const node of graph.nodes) {
    if (node.type !== 'final_cut') continue;
    const parsed = finalCutParams.safeParse(node.params);
    const music = parsed.success ? parsed.data.music : undefined;
    // Paths the pure check refuses (URLs, outside the folder) are reported there already.
    if (!music || isRemoteMedia(music.file) || mediaPathProblem(music.file, opts.allowOutside ?? false))
      continue;
    const problem = await musicProblem(graphDir, music.file, music.sha256, opts);
    if (problem)
      problems.push({ code: problem[0], nodeId: node.id, field: 'music.file', message: problem[1] });
  }
  problems.push(...(await probedLengthProblems(graph, graphDir, opts)));
  return problems;
}

async function musicProblem(
  graphDir: string,
  file: string,
  sha256: string | undefined,
  opts: TimelineCheckOptions,
): Promise<[string, string] | undefined> {
  const resolved = await resolveProjectInput(graphDir, file, {
    allowOutside: opts.allowOutside ?? false,
    expected: `an audio file (${AUDIO_EXTENSIONS.join(', ')})`,
  });
  if (!resolved.ok) return [resolved.code, `music bed ${resolved.message}`];
  const real = resolved.path;
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) {
    return [
      'media.format',
      `music bed "${file}" is ${ext ? `a .${ext}` : 'an extensionless'} file; audio must be ${AUDIO_EXTENSIONS.join(', ')}`,
    ];
  }
  if (sha256 && (await sha256OfFile(real, resolved, opts.signal)) !== sha256) {
    return [
      'media.changed',
      `music bed "${file}" is not the file that was added to this graph (its sha256 differs); re-add it to accept the new bytes`,
    ];
  }
  try {
    const info = await probeMedia(real, opts.signal);
    if (!info.audio) return ['media.unreadable', `music bed "${file}" has no decodable audio stream`];
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return ['media.unreadable', `music bed "${file}" cannot be decoded as audio (ffprobe cannot read it)`];
  }
  return undefined;
}

/**
 * Trims and transitions against the real length of local video files wired into a cut. Only the
 * problems the length-blind structure check could not see are returned, so none is reported twice.
 */
async function probedLengthProblems(
  graph: Graph,
  graphDir: string,
  opts: TimelineCheckOptions,
): Promise<Problem[]> {
  const cutInputs = new Set(graph.edges.filter((e) => e.targetPort === 'clips').map((e) => e.source));
  const lengths: Record<string, number> = {};
  for (const node of graph.nodes) {
    const file = node.params.file;
    if (node.type !== 'video' || !cutInputs.has(node.id) || typeof file !== 'string' || isRemoteMedia(file))
      continue;
    const resolved = await resolveProjectInput(graphDir, file, { allowOutside: opts.allowOutside ?? false });
    if (!resolved.ok) continue; // the media check reports it
    const info = await probeMedia(resolved.path, opts.signal).catch((e: unknown) => {
      if (opts.signal?.aborted) throw e;
      return undefined; // missing or unreadable: the media check reports it
    });
    if (info?.durationSec) lengths[node.id] = info.durationSec;
  }
  if (!Object.keys(lengths).length) return [];
  const key = (p: Problem) => `${p.code}\0${p.nodeId}\0${p.field}`;
  const known = new Set(timelineProblems(graph, { allowOutside: true }).map(key));
  return timelineProblems(graph, { allowOutside: true, lengths }).filter((p) => !known.has(key(p)));
}
