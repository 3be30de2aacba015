// What running a node means, per kind. Input nodes resolve their file or text; shots come from
// the cache or their provider; the final cut is assembled locally by ffmpeg.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { NodeOutput } from '../../shared/events';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { shotParams } from '../../shared/nodes/registry';
import { estimateCost } from '../../shared/seedance/pricing';
import { incomingEdges } from '../../shared/graph/topology';
import { finalCutParams, promptParams } from '../../shared/nodes/registry';
import { ProblemError } from '../../shared/problems';
import { isRemoteUrl } from '../../shared/validate/media-path';
import { renderFinalCut } from '../media/final-cut';
import type { Provider } from '../providers/types';
import { copyFileAtomic } from './atomic';
import { hashJson, sha256OfFile } from './keys';
import type { CacheHit, OutputCache } from './cache';
import type { Journal } from './journal';
import { projectInput, projectOutput } from './project-path';
import { defaultOutput, type ProjectPaths } from './project';
import type { RunRecorder } from './run-report';
import { buildShotRequest } from './shot-request';

export interface NodeRunContext {
  graph: Graph;
  paths: ProjectPaths;
  keys: Map<string, string>;
  outputs: Map<string, NodeOutput>;
  cache: OutputCache;
  journal: Journal;
  providers: Map<string, Provider>;
  providerOf: (node: GraphNode) => string | undefined;
  recorder: RunRecorder;
  out?: string;
  allowOutside: boolean;
}

export async function runNode(ctx: NodeRunContext, node: GraphNode, signal: AbortSignal): Promise<void> {
  switch (node.type) {
    case 'prompt':
      return settleInput(ctx, node, { text: promptParams.parse(node.params).text });
    case 'image':
    case 'video':
    case 'audio': {
      const file = String(node.params.file);
      const where = { nodeId: node.id, field: 'file' };
      return settleInput(ctx, node, {
        [node.type]: isRemoteUrl(file)
          ? file
          : await projectInput(ctx.paths.graphDir, file, where, { allowOutside: ctx.allowOutside }),
      });
    }
    case 'shot':
      return runShot(ctx, node, signal);
    case 'final_cut':
      return runFinalCut(ctx, node, signal);
    default:
      throw new Error(`node kind "${node.type}" cannot run`);
  }
}

/** Inputs need no work: they count as cached, so an unchanged re-run reports every node cached. */
function settleInput(ctx: NodeRunContext, node: GraphNode, outputs: NodeOutput): void {
  ctx.outputs.set(node.id, outputs);
  ctx.recorder.cached(node.id, outputs);
}

async function fromCache(ctx: NodeRunContext, node: GraphNode): Promise<CacheHit | undefined> {
  const hit = await ctx.cache.lookup(ctx.keys.get(node.id)!);
  if (hit) {
    ctx.outputs.set(node.id, hit.outputs);
    ctx.recorder.cached(node.id, hit.outputs, hit.manifest);
  }
  return hit;
}

async function runShot(ctx: NodeRunContext, node: GraphNode, signal: AbortSignal): Promise<void> {
  if (await fromCache(ctx, node)) return;
  const key = ctx.keys.get(node.id)!;
  const provider = ctx.providers.get(ctx.providerOf(node)!)!;
  const request = buildShotRequest(ctx.graph, node, key, ctx.outputs);
  const scratch = await ctx.cache.scratch(key);
  ctx.recorder.started(node.id, provider.name);
  try {
    const result = await provider.generate(request, {
      signal,
      outDir: scratch,
      progress: (fraction, message) => ctx.recorder.progress(node.id, fraction, message),
      submitted: (taskId) => ctx.recorder.submitted(node.id, taskId, provider.name),
      journal: ctx.journal.forShot(key, node.id, provider.name),
    });
    const hit = await ctx.cache.commit(scratch, {
      key,
      nodeId: node.id,
      kind: 'shot',
      files: {
        video: path.relative(scratch, result.video),
        last_frame: path.relative(scratch, result.lastFrame),
      },
      createdAt: Date.now(),
      provider: provider.name,
      take: node.take ?? 1,
      durationSec: result.durationSec,
      ...(result.taskId ? { taskId: result.taskId } : {}),
      ...(result.tokens !== undefined ? { tokens: result.tokens } : {}),
      costUsd: result.costUsd ?? actualCost(ctx, node, provider.name, result.tokens, result.durationSec),
    });
    ctx.outputs.set(node.id, hit.outputs);
    ctx.recorder.succeeded(node.id, hit.outputs, hit.manifest, { resumed: result.resumed === true });
  } catch (e) {
    await ctx.cache.discard(scratch);
    throw e;
  }
}

async function runFinalCut(ctx: NodeRunContext, node: GraphNode, signal: AbortSignal): Promise<void> {
  const target = await outputFor(ctx, node);
  const params = finalCutParams.parse(node.params);
  const edges = incomingEdges(ctx.graph, node.id, 'clips');
  const musicFile = params.music
    ? await projectInput(
        ctx.paths.graphDir,
        params.music.file,
        { nodeId: node.id, field: 'music.file' },
        { allowOutside: ctx.allowOutside },
      )
    : undefined;
  // The node key covers the timeline's params but not the music bed's bytes (it is not a node): fold
  // them in, so replacing the file under the same name re-renders the cut. A frozen cut keeps its key.
  const nodeKey = ctx.keys.get(node.id)!;
  const key =
    musicFile && !node.frozen
      ? hashJson({ cut: nodeKey, music: await sha256OfFile(musicFile, await stat(musicFile)) })
      : nodeKey;
  let hit = await ctx.cache.lookup(key);
  if (hit) {
    ctx.outputs.set(node.id, hit.outputs);
    ctx.recorder.cached(node.id, hit.outputs, hit.manifest);
  } else {
    const clips = edges.map((e) => ctx.outputs.get(e.source)![e.sourcePort]!);
    const scratch = await ctx.cache.scratch(key);
    ctx.recorder.started(node.id);
    try {
      const film = path.join(scratch, 'final-cut.mp4');
      const cut = await renderFinalCut(clips, film, {
        signal,
        onProgress: (f) => ctx.recorder.progress(node.id, f),
        workDir: path.join(ctx.paths.cacheDir, 'normalised'),
        timeline: {
          nodeId: node.id,
          clipIds: edges.map((e) => e.source),
          params,
          ...(musicFile ? { musicFile } : {}),
        },
      });
      hit = await ctx.cache.commit(scratch, {
        key,
        nodeId: node.id,
        kind: 'final_cut',
        files: { video: 'final-cut.mp4' },
        createdAt: Date.now(),
        durationSec: cut.durationSec,
      });
    } catch (e) {
      await ctx.cache.discard(scratch);
      // Timeline problems found on the real clip lengths name the field, like the validator's.
      if (e instanceof ProblemError) throw Object.assign(e, { opts: { field: e.problems[0]?.field } });
      throw e;
    }
    ctx.outputs.set(node.id, hit.outputs);
    ctx.recorder.succeeded(node.id, hit.outputs, hit.manifest);
  }
  await copyFileAtomic(hit.outputs.video!, target);
  ctx.recorder.filmWritten(node.id, target);
}

/**
 * The first final cut takes --out (the user's own choice, unrestricted); any further one is written
 * beside it with its id. An output named in the graph goes through the project-path rule.
 */
async function outputFor(ctx: NodeRunContext, node: GraphNode): Promise<string> {
  const finalCuts = ctx.graph.nodes.filter((n) => n.type === 'final_cut');
  const own = finalCutParams.parse(node.params).output;
  const base =
    ctx.out ??
    (own
      ? await projectOutput(
          ctx.paths.graphDir,
          own,
          { nodeId: node.id, field: 'output' },
          {
            allowOutside: ctx.allowOutside,
            graphPath: ctx.paths.graphPath,
          },
        )
      : defaultOutput(ctx.paths.graphPath));
  if (finalCuts[0]?.id === node.id || (own && !ctx.out)) return base;
  return base.replace(/(\.mp4)?$/i, `-${node.id}.mp4`);
}

/** Spend from the gateway's usage: its tokens at the price table's rate, else the table's price. */
function actualCost(
  ctx: NodeRunContext,
  node: GraphNode,
  provider: string,
  tokens: number | undefined,
  seconds: number,
): number {
  const p = shotParams.parse(node.params);
  const list = estimateCost({
    provider,
    model: p.model,
    resolution: p.resolution,
    ratio: p.ratio,
    duration: Math.max(1, Math.round(seconds)),
    hasVideoInput: incomingEdges(ctx.graph, node.id, 'reference_videos').length > 0,
    hasAudioInput: incomingEdges(ctx.graph, node.id, 'reference_audios').length > 0,
  });
  if (tokens !== undefined && list.tokens) return Math.round(((list.usd * tokens) / list.tokens) * 1e4) / 1e4;
  return Math.round(list.usd * 1e4) / 1e4;
}
