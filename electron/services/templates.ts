// Templates for the start gallery and Save as template (issue 13). Interim folder rules, kept here
// only until the engine's electron/engine/templates.ts (branch `inputs`) is merged: a template is a
// folder holding film.json, its media and optionally poster.png; Shotgraph's own are in
// graphs/templates, the user's in SHOTGRAPH_TEMPLATES_DIR (else ~/.config/shotgraph/templates).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError, type TemplateView } from '../../shared/contract';
import { parseGraphValue } from '../../shared/graph/parse';
import { serializeGraph } from '../../shared/graph/serialize';
import { writeFileAtomic } from '../engine/atomic';
import { loadGraphFile } from '../engine/load';
import { inputsOf } from './film-inputs';
import type { Workspace } from './workspace';

const BUILT_IN = fileURLToPath(new URL('../../graphs/templates', import.meta.url));
const userDir = () =>
  process.env.SHOTGRAPH_TEMPLATES_DIR ?? path.join(os.homedir(), '.config', 'shotgraph', 'templates');

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

async function readTemplate(dir: string, name: string, user: boolean): Promise<TemplateView | null> {
  try {
    const parsed = parseGraphValue(JSON.parse(await fs.readFile(path.join(dir, 'film.json'), 'utf8')));
    if (!parsed.ok) return null;
    const g = parsed.graph as typeof parsed.graph & { description?: unknown };
    const poster = await fs.readFile(path.join(dir, 'poster.png')).catch(() => null);
    return {
      name,
      title: g.name,
      description: typeof g.description === 'string' ? g.description : '',
      poster:
        poster && poster.length < 512 * 1024 ? `data:image/png;base64,${poster.toString('base64')}` : null,
      inputs: inputsOf(parsed.graph).inputs.map((i) => i.name),
      user,
    };
  } catch {
    return null; // a folder that is not a template is not listed
  }
}

async function listIn(root: string, user: boolean): Promise<TemplateView[]> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const found = await Promise.all(
    names.filter((n) => NAME.test(n)).map((n) => readTemplate(path.join(root, n), n, user)),
  );
  return found.filter((t): t is TemplateView => t !== null);
}

export async function listTemplates(): Promise<TemplateView[]> {
  const [own, user] = await Promise.all([listIn(BUILT_IN, false), listIn(userDir(), true)]);
  return [...own, ...user.filter((u) => !own.some((o) => o.name === u.name))].sort((a, b) =>
    a.title.localeCompare(b.title),
  );
}

async function templateDir(name: string): Promise<string> {
  if (!NAME.test(name)) throw new ContractError('template.unknown', `no template named "${name}"`);
  for (const root of [BUILT_IN, userDir()]) {
    const dir = path.join(root, name);
    if (await fs.stat(path.join(dir, 'film.json')).catch(() => null)) return dir;
  }
  throw new ContractError('template.unknown', `no template named "${name}"`);
}

/** A new project folder from a template; returns the film's path as the editor shows it. */
export async function createFromTemplate(ws: Workspace, name: string, folder: string): Promise<string> {
  const src = await templateDir(name);
  const dest = ws.resolve(folder);
  if (await fs.stat(dest).catch(() => null))
    throw new ContractError('template.exists', `${folder} already exists; choose a new folder`);
  await fs.cp(src, dest, { recursive: true, filter: (f) => path.basename(f) !== '.shotgraph' });
  return ws.show(path.join(dest, 'film.json'));
}

/** The saved film and the media it names (inside its folder) become the user's template. */
export async function saveAsTemplate(ws: Workspace, shown: string, title: string): Promise<string> {
  const name = slug(title);
  if (!NAME.test(name))
    throw new ContractError('template.name', 'a template needs a name with letters or digits');
  const graphPath = ws.resolve(shown);
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok)
    throw new ContractError(
      'graph.unreadable',
      loaded.problems[0]?.message ?? 'cannot read',
      loaded.problems,
    );
  const from = path.dirname(graphPath);
  const dest = path.join(userDir(), name);
  const staging = `${dest}.tmp-${process.pid}-${Date.now()}`;
  await fs.mkdir(staging, { recursive: true });
  try {
    for (const node of loaded.graph.nodes) {
      const file = node.params.file;
      if (typeof file !== 'string' || /^https?:/i.test(file)) continue;
      const abs = path.resolve(from, file);
      // Only what lives inside the film's folder travels with it (docs/architecture.md §3).
      if (path.relative(from, abs).startsWith('..') || path.isAbsolute(path.relative(from, abs))) continue;
      await fs.mkdir(path.dirname(path.join(staging, path.relative(from, abs))), { recursive: true });
      await fs.copyFile(abs, path.join(staging, path.relative(from, abs))).catch(() => undefined);
    }
    await writeFileAtomic(path.join(staging, 'film.json'), serializeGraph({ ...loaded.graph, name: title }));
    await fs.rm(dest, { recursive: true, force: true });
    await fs.rename(staging, dest);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true });
    throw e;
  }
  return name;
}
