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
import { isRemoteMedia } from '../../shared/validate/media-path';
import { renderFinalCut } from '../media/final-cut';
import { ProviderError, type Provider } from '../providers/types';
import { copyFileAtomic } from './atomic';
import type { CacheHit, OutputCache } from './cache';
import { explainWriteError, isDiskFullError, isReadOnlyError } from './disk-errors';
import type { Journal } from './journal';
import { projectInput, projectOutput } from './project-path';
import { defaultOutput, type ProjectPaths } from './project';
import type { RunRecorder } from './run-report';
import { runKeyframe } from './keyframe-runner';
import { shotRequest } from './standby';

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
  /** The project's state folder cannot be written: cached outputs only, nothing recorded. */
  readOnly?: boolean;
  /** Shots with the same key in one run (identical shots): the first makes it, the rest reuse it. */
  sameKey?: Map<string, Promise<unknown>>;
  /** The user consented to paths outside the graph's folder. */
  allowOutside: boolean;
  /** A shot's task is at its gateway (its create answered, or an earlier one taken). */
  onSubmitted?(nodeId: string): void;
}

/** `release` gives the node's place in its gateway's concurrency back once the gateway is done with it. */
export async function runNode(
  ctx: NodeRunContext,
  node: GraphNode,
  signal: AbortSignal,
  release: () => void = () => undefined,
): Promise<void> {
  switch (node.type) {
    case 'prompt':
      return settleInput(ctx, node, { text: promptParams.parse(node.params).text });
    case 'image':
    case 'video':
    case 'audio': {
      const file = String(node.params.file);
      const where = { nodeId: node.id, field: 'file' };
      return settleInput(ctx, node, {
        [node.type]: isRemoteMedia(file)
          ? file
          : await projectInput(ctx.paths.graphDir, file, where, { allowOutside: ctx.allowOutside }),
      });
    }
    case 'shot':
      return runShot(ctx, node, signal, release);
    case 'keyframe': {
      const key = ctx.keys.get(node.id)!;
      return oncePerKey(ctx, key, () => runKeyframe(ctx, node, key, signal));
    }
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

async function fromCache(
  ctx: NodeRunContext,
  node: GraphNode,
  key: string,
): Promise<CacheHit | { damaged: string } | undefined> {
  const found = await ctx.cache.inspect(key);
  if ('miss' in found) return found.miss === 'damaged' ? { damaged: found.reason } : undefined;
  // An entry from before checksums is sealed with its bytes now, so it is checked from here on.
  if (!found.manifest.sha256 && !ctx.readOnly) await ctx.cache.seal(found).catch(() => undefined);
  ctx.outputs.set(node.id, found.outputs);
  ctx.recorder.cached(node.id, found.outputs, found.manifest);
  return found;
}

/** Runs `work` after any other shot of this run with the same key has finished. */
async function oncePerKey(ctx: NodeRunContext, key: string, work: () => Promise<void>): Promise<void> {
  const map = (ctx.sameKey ??= new Map());
  const before = map.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(work);
  map.set(key, mine);
  return mine;
}

async function runShot(
  ctx: NodeRunContext,
  node: GraphNode,
  signal: AbortSignal,
  release: () => void,
): Promise<void> {
  const key = ctx.keys.get(node.id)!;
  return oncePerKey(ctx, key, async () => {
    const cached = await fromCache(ctx, node, key);
    if (cached && !('damaged' in cached)) return;
    const provider = ctx.providers.get(ctx.providerOf(node)!)!;
    const request = await shotRequest(ctx, node, key, provider.name);
    // What other processes recorded: the lock keeps them out now, but one may have run before it.
    await ctx.journal.refresh();
    const scratch = await ctx.cache.scratch(key).catch(async (e: unknown) => {
      throw await explainWriteError(e, ctx.cache.dir, `the clip of "${node.id}"`);
    });
    ctx.recorder.started(node.id, provider.name);
    if (cached)
      ctx.recorder.progress(node.id, 0, `cached clip was damaged (${cached.damaged}); making it again`);
    try {
      const result = await provider.generate(request, {
        signal,
        outDir: scratch,
        progress: (fraction, message) => ctx.recorder.progress(node.id, fraction, message),
        submitted: (taskId) => {
          ctx.recorder.submitted(node.id, taskId, provider.name);
          ctx.onSubmitted?.(node.id);
        },
        gatewayDone: release,
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
      // Explained before the partial files go, so the free space shown is what the write found.
      // A provider's EACCES may be a program it could not start; a full disk is always the disk. A
      // provider's own error already says it, with the task that keeps the paid clip: kept as is.
      const err =
        !(e instanceof ProviderError) && (isDiskFullError(e) || isReadOnlyError(e, scratch))
          ? await explainWriteError(e, ctx.cache.dir, `the clip of "${node.id}"`)
          : e;
      await ctx.cache.discard(scratch);
      throw err;
    }
  });
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
  // The key already holds the music bed's bytes (shared/graph/node-keys.ts).
  const key = ctx.keys.get(node.id)!;
  const found = await ctx.cache.inspect(key);
  let hit: CacheHit;
  if (!('miss' in found)) {
    hit = found;
    ctx.outputs.set(node.id, hit.outputs);
    ctx.recorder.cached(node.id, hit.outputs, hit.manifest);
  } else {
    const clips = edges.map((e) => ctx.outputs.get(e.source)![e.sourcePort]!);
    const scratch = await ctx.cache.scratch(key).catch(async (e: unknown) => {
      throw await explainWriteError(e, ctx.cache.dir, 'the final cut');
    });
    ctx.recorder.started(node.id);
    if (found.miss === 'damaged')
      ctx.recorder.progress(node.id, 0, `cached cut was damaged (${found.reason}); making it again`);
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
      const err =
        isDiskFullError(e) || isReadOnlyError(e, scratch)
          ? await explainWriteError(e, ctx.cache.dir, 'the final cut')
          : e;
      await ctx.cache.discard(scratch);
      // Timeline problems found on the real clip lengths name the field, like the validator's.
      if (e instanceof ProblemError) throw Object.assign(e, { opts: { field: e.problems[0]?.field } });
      throw err;
    }
    ctx.outputs.set(node.id, hit.outputs);
    ctx.recorder.succeeded(node.id, hit.outputs, hit.manifest);
  }
  // A copy, never a link: the user may rewrite the film in place without touching the cache.
  await copyFileAtomic(hit.outputs.video!, target).catch(async (e: unknown) => {
    throw await explainWriteError(e, target, 'the film', (await stat(hit.outputs.video!)).size);
  });
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
