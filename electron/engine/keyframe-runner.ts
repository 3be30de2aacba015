// Running a keyframe (docs/architecture.md §5): like a shot — looked up in the cache by its key, else
// made by its provider into a scratch folder, every image verified, then committed — with the paid
// answer kept as a receipt until the cache holds the files, so a failure after paying costs nothing.
import path from 'node:path';
import type { NodeOutput } from '../../shared/events';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { incomingEdges } from '../../shared/graph/topology';
import { framePort, keyframeParams } from '../../shared/nodes/keyframe';
import { isRemoteUrl } from '../../shared/validate/media-path';
import { ProviderError, type StillRequest } from '../providers/types';
import { explainWriteError } from './disk-errors';
import type { NodeRunContext } from './node-runners';
import { receiptFor } from './receipts';

export function buildStillRequest(
  graph: Graph,
  node: GraphNode,
  key: string,
  outputs: Map<string, NodeOutput>,
): StillRequest {
  const p = keyframeParams.parse(node.params);
  const inputs = (port: string): string[] =>
    incomingEdges(graph, node.id, port).map((e) => {
      const value = outputs.get(e.source)?.[e.sourcePort];
      if (value === undefined) throw new Error(`input "${port}" from "${e.source}" has no output yet`);
      return value;
    });
  return {
    nodeId: node.id,
    key,
    prompt: inputs('prompt').join('\n').trim(),
    referenceImages: inputs('reference_images').map((v) => (isRemoteUrl(v) ? { url: v } : { path: v })),
    model: p.model,
    size: p.size,
    count: p.count,
    responseFormat: p.response_format,
  };
}

export async function runKeyframe(
  ctx: NodeRunContext,
  node: GraphNode,
  key: string,
  signal: AbortSignal,
): Promise<void> {
  const found = await ctx.cache.inspect(key);
  if (!('miss' in found)) {
    ctx.outputs.set(node.id, found.outputs);
    ctx.recorder.cached(node.id, found.outputs, found.manifest);
    return;
  }
  const providerName = ctx.providerOf(node)!;
  const provider = ctx.providers.get(providerName)!;
  if (!provider.stills) throw new ProviderError(`${providerName} makes no stills`, { field: 'provider' });
  const request = buildStillRequest(ctx.graph, node, key, ctx.outputs);
  await ctx.journal.refresh();
  const scratch = await ctx.cache.scratch(key).catch(async (e: unknown) => {
    throw await explainWriteError(e, ctx.cache.dir, `the keyframe "${node.id}"`);
  });
  ctx.recorder.started(node.id, provider.name);
  const receipt = receiptFor(ctx.paths.stateDir, key, ctx.readOnly);
  try {
    const result = await provider.stills(request, {
      signal,
      outDir: scratch,
      progress: (fraction, message) => ctx.recorder.progress(node.id, fraction, message),
      journal: ctx.journal.forShot(key, node.id, provider.name),
      receipt,
    });
    const files: Record<string, string> = {};
    result.images.forEach((file, i) => (files[framePort(i + 1)] = path.relative(scratch, file)));
    const hit = await ctx.cache.commit(scratch, {
      key,
      nodeId: node.id,
      kind: 'keyframe',
      files,
      createdAt: Date.now(),
      provider: provider.name,
      take: node.take ?? 1,
      costUsd: result.costUsd ?? 0,
      ...(result.tokens !== undefined ? { tokens: result.tokens } : {}),
    });
    // The files are safe in the cache: the paid answer and any kept frames are no longer needed.
    await receipt.drop();
    await receipt.dropFrames();
    ctx.outputs.set(node.id, hit.outputs);
    ctx.recorder.succeeded(node.id, hit.outputs, hit.manifest, { resumed: result.resumed === true });
  } catch (e) {
    await ctx.cache.discard(scratch);
    throw e;
  }
}
