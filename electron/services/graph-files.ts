// Open, save and browse graph files. Saves are atomic (temp + rename) and always re-parsed first,
// so the editor can never write a file the CLI would refuse.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../shared/contract';
import { graphSizeProblem, parseGraphValue } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { serializeGraph } from '../../shared/graph/serialize';
import { writeFileAtomic } from '../engine/atomic';
import { loadGraphFile } from '../engine/load';
import type { Workspace } from './workspace';

export function parseDoc(doc: unknown): Graph {
  const parsed = parseGraphValue(doc);
  if (!parsed.ok) throw new ContractError('graph.invalid', 'the graph cannot be read', parsed.problems);
  return parsed.graph;
}

export async function openGraph(ws: Workspace, shown: string): Promise<{ path: string; graph: Graph }> {
  const abs = ws.resolve(shown);
  const loaded = await loadGraphFile(abs);
  if (!loaded.ok) {
    throw new ContractError(
      'graph.unreadable',
      loaded.problems[0]?.message ?? 'cannot open',
      loaded.problems,
    );
  }
  return { path: ws.show(abs), graph: loaded.graph };
}

export async function saveGraph(ws: Workspace, shown: string, doc: unknown): Promise<{ path: string }> {
  const graph = parseDoc(doc);
  const withExt = /\.json$/i.test(shown) ? shown : `${shown}.json`;
  const abs = ws.resolve(withExt);
  const text = serializeGraph(graph);
  // The command line refuses to open a larger file, so the editor must not write one.
  const tooLarge = graphSizeProblem(Buffer.byteLength(text, 'utf8'));
  if (tooLarge) {
    const message = `cannot save: ${tooLarge}; remove nodes or long prompts and save again`;
    throw new ContractError('graph.too-large', message, [{ code: 'file.too-large', message }]);
  }
  await writeFileAtomic(abs, text);
  return { path: ws.show(abs) };
}

export type FileKind = 'folder' | 'graph' | 'file';

export async function listFolder(ws: Workspace, shown: string) {
  const abs = shown ? ws.resolve(shown) : ws.home;
  let dirents;
  try {
    dirents = await fs.readdir(abs, { withFileTypes: true });
  } catch (e) {
    throw new ContractError('folder.unreadable', `cannot list "${shown || '/'}": ${(e as Error).message}`);
  }
  const entries = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue; // project state, temp files
    const full = path.join(abs, d.name);
    const kind: FileKind = d.isDirectory() ? 'folder' : /\.json$/i.test(d.name) ? 'graph' : 'file';
    const st = await fs.stat(full).catch(() => undefined);
    if (!st) continue;
    entries.push({ name: d.name, path: ws.show(full), kind, modifiedAt: st.mtimeMs });
  }
  const rank = (k: FileKind) => (k === 'folder' ? 0 : k === 'graph' ? 1 : 2);
  entries.sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name));
  const parent = abs === ws.root ? null : ws.show(path.dirname(abs));
  return { folder: ws.show(abs), parent, entries };
}

export async function createFolder(ws: Workspace, parent: string, name: string): Promise<{ path: string }> {
  if (/[\\/]|^\.\.?$/.test(name))
    throw new ContractError('folder.name', 'a folder name cannot contain / or \\');
  const abs = ws.resolve(path.join(parent || '.', name));
  await fs.mkdir(abs, { recursive: true });
  return { path: ws.show(abs) };
}
