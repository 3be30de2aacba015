// The one key function (shared/graph/node-keys.ts): keys of films without a music bed are exactly
// those of the implementation they replace (so existing caches keep working), a music bed's bytes
// are part of the final cut's key in the same form the run used to fold them in, and the key
// follows bytes, not paths.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeNodeKeys } from '../../electron/engine/node-keys';
import { loadGraphFile, resolveMediaPath } from '../../electron/engine/load';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { incomingEdges, topoOrder } from '../../shared/graph/topology';
import { nodeKind } from '../../shared/nodes/registry';
import { isRemoteUrl } from '../../shared/validate/media-path';
import { tempDir } from '../helpers/media';

const GRAPHS = path.resolve(import.meta.dirname, '../../graphs');

// ---- The implementation before this change (electron/engine/node-keys.ts + keys.ts at main), kept
// here verbatim in substance as the reference the new function must reproduce.
function oldCanonical(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(oldCanonical).join(',') + ']';
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + oldCanonical(v)).join(',') + '}';
  }
  return JSON.stringify(value);
}
const oldHashJson = (v: unknown) => createHash('sha256').update(oldCanonical(v)).digest('hex');
const fileSha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');

async function oldKeys(
  graph: Graph,
  graphDir: string,
  providerOf: (n: GraphNode) => string | undefined,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const id of topoOrder(graph)) {
    const node = byId.get(id)!;
    const def = nodeKind(node.type)!;
    const params = def.params.parse(node.params) as Record<string, unknown>;
    let content: unknown;
    if (typeof params.file === 'string') {
      if (isRemoteUrl(params.file)) content = { url: params.file };
      else content = { sha256: await fileSha(resolveMediaPath(graphDir, params.file)) };
    }
    const { provider: _p, file: _f, sha256: _s, output: _o, ...rest } = params;
    const inputs: Record<string, string[]> = {};
    for (const port of def.inputs) {
      const edges = incomingEdges(graph, id, port.name);
      if (edges.length) inputs[port.name] = edges.map((e) => `${keys.get(e.source)}:${e.sourcePort}`);
    }
    keys.set(
      id,
      oldHashJson({
        v: 1,
        kind: node.type,
        params: rest,
        content,
        inputs,
        provider: node.type === 'shot' ? providerOf(node) : undefined,
        take: node.type === 'shot' ? (node.take ?? 1) : undefined,
      }),
    );
  }
  return keys;
}
// ----

const providerOf = (n: GraphNode) =>
  n.type === 'shot' ? (n.params.provider as string | undefined) || 'ark' : undefined;

async function load(name: string): Promise<Graph> {
  const loaded = await loadGraphFile(path.join(GRAPHS, name));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.graph;
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('shotgraph-keys-');
  await mkdir(path.join(dir, 'media'));
  for (const f of ['theme.mp3', 'harbour-dawn.png'])
    await copyFile(path.join(GRAPHS, 'media', f), path.join(dir, 'media', f));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('one key function', () => {
  for (const name of ['three-shot-chain.json', 'storyboard-film.json', 'reference-driven.json']) {
    it(`gives ${name} (no music bed) the same keys as before`, async () => {
      const graph = await load(name);
      expect(graph.nodes.some((n) => n.type === 'final_cut' && n.params.music)).toBe(false);
      const now = await computeNodeKeys(graph, GRAPHS, providerOf);
      const before = await oldKeys(graph, GRAPHS, providerOf);
      expect(now.size).toBe(graph.nodes.length);
      expect(Object.fromEntries(now)).toEqual(Object.fromEntries(before));
    });
  }

  it('orders multi-input ports the same way (order, then file order)', async () => {
    const graph = await load('storyboard-film.json');
    let n = 0;
    for (const e of graph.edges) if (e.targetPort === 'clips') e.order = 100 - n++;
    expect(n).toBeGreaterThan(2);
    const now = await computeNodeKeys(graph, GRAPHS, providerOf);
    expect(Object.fromEntries(now)).toEqual(Object.fromEntries(await oldKeys(graph, GRAPHS, providerOf)));
    const plain = await computeNodeKeys(await load('storyboard-film.json'), GRAPHS, providerOf);
    const cut = graph.nodes.find((x) => x.type === 'final_cut')!.id;
    expect(now.get(cut)).not.toBe(plain.get(cut));
  });

  it('folds the music bed into the final cut key exactly as the run used to', async () => {
    const graph = await load('three-shot-chain.json');
    const cut = graph.nodes.find((n) => n.type === 'final_cut')!;
    const withMusic: Graph = structuredClone(graph);
    withMusic.nodes.find((n) => n.id === cut.id)!.params.music = { file: 'media/theme.mp3' };
    const now = await computeNodeKeys(withMusic, dir, providerOf);
    const before = await oldKeys(withMusic, dir, providerOf);
    const music = await fileSha(path.join(dir, 'media/theme.mp3'));
    expect(now.get(cut.id)).toBe(oldHashJson({ cut: before.get(cut.id), music }));
    // Only the cut changes: shots do not depend on the music.
    for (const n of graph.nodes.filter((x) => x.id !== cut.id)) expect(now.get(n.id)).toBe(before.get(n.id));
  });

  it('changes the cut key when the music bytes change under the same name, and only then', async () => {
    const graph = await load('three-shot-chain.json');
    const cut = graph.nodes.find((n) => n.type === 'final_cut')!;
    cut.params.music = { file: 'media/bed.mp3' };
    const bed = path.join(dir, 'media/bed.mp3');
    await copyFile(path.join(GRAPHS, 'media/theme.mp3'), bed);
    const first = await computeNodeKeys(graph, dir, providerOf);
    const again = await computeNodeKeys(graph, dir, providerOf);
    expect(again.get(cut.id)).toBe(first.get(cut.id));
    const bytes = await readFile(bed);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(bed, bytes);
    // Same size; a distinct mtime as any real edit has (the hash is remembered by path+size+mtime).
    const later = new Date(Date.now() + 5000);
    await utimes(bed, later, later);
    expect((await stat(bed)).size).toBe(bytes.length);
    const changed = await computeNodeKeys(graph, dir, providerOf);
    expect(changed.get(cut.id)).not.toBe(first.get(cut.id));
    expect(changed.get('shot-1')).toBe(first.get('shot-1'));
  });

  it('follows bytes, not paths: a renamed file keeps every key', async () => {
    const graph: Graph = {
      format: 'shotgraph',
      version: 2,
      name: 'keys',
      nodes: [
        { id: 'img', type: 'image', params: { file: 'media/harbour-dawn.png' } },
        { id: 'p', type: 'prompt', params: { text: 'a harbour at dawn' } },
        { id: 's', type: 'shot', params: { duration: 4 } },
      ],
      edges: [
        { source: 'p', sourcePort: 'text', target: 's', targetPort: 'prompt' },
        { source: 'img', sourcePort: 'image', target: 's', targetPort: 'first_frame' },
      ],
    };
    const a = await computeNodeKeys(graph, dir, providerOf);
    await copyFile(path.join(dir, 'media/harbour-dawn.png'), path.join(dir, 'media/renamed.png'));
    graph.nodes[0]!.params.file = 'media/renamed.png';
    const b = await computeNodeKeys(graph, dir, providerOf);
    expect(b.get('s')).toBe(a.get('s'));
    graph.nodes[2]!.params.provider = 'seed2';
    expect((await computeNodeKeys(graph, dir, providerOf)).get('s')).not.toBe(a.get('s'));
  });

  it('gives no key to a node whose file cannot be read, nor to what follows it (not strict)', async () => {
    const graph: Graph = {
      format: 'shotgraph',
      version: 2,
      name: 'keys',
      nodes: [
        { id: 'img', type: 'image', params: { file: 'media/none.png' } },
        { id: 'p', type: 'prompt', params: { text: 'x' } },
        { id: 's', type: 'shot', params: { duration: 4 } },
        { id: 't', type: 'shot', params: { duration: 4 } },
      ],
      edges: [
        { source: 'p', sourcePort: 'text', target: 's', targetPort: 'prompt' },
        { source: 'img', sourcePort: 'image', target: 's', targetPort: 'first_frame' },
        { source: 'p', sourcePort: 'text', target: 't', targetPort: 'prompt' },
      ],
    };
    await expect(computeNodeKeys(graph, dir, providerOf)).rejects.toThrow(/"media\/none.png" was not found/);
    const keys = await computeNodeKeys(graph, dir, providerOf, { strict: false });
    expect([...keys.keys()].sort()).toEqual(['p', 't']);
  });
});
