// Timeline checks that need the files (the pure ones are in shared/validate/timeline.ts): the music
// bed is validated like an audio input (exists, stays inside the graph's folder after symlinks,
// matches its sha256, wav or mp3 with a decodable audio stream), and trims and transitions are
// checked against the probed lengths of video files wired into a final cut.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Graph } from '../../shared/graph/schema';
import { finalCutParams } from '../../shared/nodes/final-cut';
import type { Problem } from '../../shared/problems';
import { AUDIO_EXTENSIONS } from '../../shared/seedance/limits';
import { isRemoteUrl, mediaPathProblem } from '../../shared/validate/media-path';
import { timelineProblems } from '../../shared/validate/timeline';
import { probeMedia } from '../media/probe';
import { sha256OfFile } from './keys';
import { resolveMediaPath } from './load';

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
    if (!music || isRemoteUrl(music.file) || mediaPathProblem(music.file, opts.allowOutside ?? false))
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
  const absolute = resolveMediaPath(graphDir, file);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    return [
      'media.missing',
      `music bed "${file}" was not found (looked at ${absolute}); paths are relative to the graph file's folder`,
    ];
  }
  const dir = await realpath(graphDir).catch(() => path.resolve(graphDir));
  const rel = path.relative(dir, real);
  if (!opts.allowOutside && (rel.startsWith('..') || path.isAbsolute(rel))) {
    return [
      'media.outside',
      `music bed "${file}" resolves to ${real}, outside the graph's folder (pass --allow-outside to permit it)`,
    ];
  }
  if (!(await stat(real)).isFile())
    return ['media.not-file', `music bed "${file}" is a folder, not an audio file`];
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) {
    return [
      'media.format',
      `music bed "${file}" is ${ext ? `a .${ext}` : 'an extensionless'} file; audio must be ${AUDIO_EXTENSIONS.join(', ')}`,
    ];
  }
  if (sha256 && (await sha256OfFile(real, await stat(real), opts.signal)) !== sha256) {
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
    if (node.type !== 'video' || !cutInputs.has(node.id) || typeof file !== 'string' || isRemoteUrl(file))
      continue;
    if (mediaPathProblem(file, opts.allowOutside ?? false)) continue;
    const info = await probeMedia(resolveMediaPath(graphDir, file), opts.signal).catch((e: unknown) => {
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
