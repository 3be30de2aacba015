// Templates (docs/architecture.md §3): films made to be reused, each a folder with `film.json`, the
// small media it names and a `template.json` (title, description, poster). Shotgraph's own are in
// `graphs/templates/`; the user's own in their templates folder (SHOTGRAPH_TEMPLATES_DIR, else the
// OS config folder). A new project gets the film and exactly the files it names, read through the
// project-path resolver, so a template cannot smuggle in or point at anything outside its folder.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inputProblems, listInputs, type FilmInput } from '../../shared/graph/inputs';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { filmSequences, rebaseNode } from '../../shared/graph/sequence';
import { serializeGraph } from '../../shared/graph/serialize';
import { formatProblem, ProblemError, type Problem } from '../../shared/problems';
import { IMAGE_EXTENSIONS } from '../../shared/seedance/limits';
import { isRemoteUrl, outputPathIssue } from '../../shared/validate/media-path';
import { quoted } from '../../shared/validate/quoted';
import { copyFileAtomic, writeFileAtomic } from './atomic';
import { loadGraphFile } from './load';
import { resolveProjectInput } from './project-path';
import { readSequenceLibrary } from './sequences';

export const TEMPLATE_GRAPH = 'film.json';
export const TEMPLATE_META = 'template.json';
const MAX_META_BYTES = 64 * 1024;
/** A template's files (film and media) may not add up to more than this. */
const MAX_TEMPLATE_BYTES = 500 * 1024 * 1024;

export interface TemplateInfo {
  /** What `shotgraph new --template NAME` takes. */
  name: string;
  title: string;
  description: string;
  source: 'builtin' | 'user';
  dir: string;
  graphPath: string;
  /** A picture of the template (absolute path), when it names one. */
  poster?: string;
  inputs: FilmInput[];
  shots: number;
  /** Broken input declarations, as messages (the template still opens). */
  problems?: string[];
}

export interface TemplateOptions {
  env?: NodeJS.ProcessEnv;
  /** Shotgraph's own templates (default: found beside the code, or in the app's resources). */
  builtinDir?: string;
  /** The user's templates (default: userTemplatesDir(env)). */
  userDir?: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME_RULE = '1–63 lowercase letters, digits and "-", starting with a letter or digit';

/** Where the user's own templates live. */
export function userTemplatesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHOTGRAPH_TEMPLATES_DIR) return path.resolve(env.SHOTGRAPH_TEMPLATES_DIR);
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (process.platform === 'win32')
    return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Shotgraph', 'templates');
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'Shotgraph', 'templates');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'shotgraph', 'templates');
}

/** Shotgraph's own templates: in the repository (CLI, tests) or in the packaged app's resources. */
export function builtinTemplatesDir(): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const here = import.meta.dirname ?? '.';
  const candidates = [
    ...(resources ? [path.join(resources, 'templates')] : []),
    path.resolve(here, '../../graphs/templates'), // electron/engine in the repository
    path.resolve(here, '../graphs/templates'), // dist-electron, the bundled main process
  ];
  return candidates.find((d) => existsSync(d)) ?? candidates[candidates.length - 1]!;
}

export async function listTemplates(opts: TemplateOptions = {}): Promise<TemplateInfo[]> {
  const builtin = await templatesIn(opts.builtinDir ?? builtinTemplatesDir(), 'builtin');
  const taken = new Set(builtin.map((t) => t.name));
  // A user template cannot hide one of Shotgraph's own (saveAsTemplate refuses those names).
  const user = (await templatesIn(opts.userDir ?? userTemplatesDir(opts.env), 'user')).filter(
    (t) => !taken.has(t.name),
  );
  return [...builtin, ...user];
}

async function templatesIn(root: string, source: TemplateInfo['source']): Promise<TemplateInfo[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory() && NAME.test(e.name))
    .map((e) => e.name)
    .sort();
  const out: TemplateInfo[] = [];
  // A folder that is not a readable template is left out of the list, not an error.
  for (const name of names) {
    const info = await readTemplate(path.join(root, name), name, source).catch(() => undefined);
    if (info) out.push(info);
  }
  return out;
}

async function readTemplate(
  dir: string,
  name: string,
  source: TemplateInfo['source'],
): Promise<TemplateInfo> {
  const loaded = await loadGraphFile(path.join(dir, TEMPLATE_GRAPH));
  if (!loaded.ok) throw new ProblemError(loaded.problems);
  const meta = await readMeta(dir);
  const poster = meta.poster ? await posterPath(dir, meta.poster) : undefined;
  // An input may set a library sequence's value: typed from its file, as a run would read it.
  const library = await readSequenceLibrary(loaded.graph, loaded.graphDir);
  const problems = inputProblems(loaded.graph, library).map(formatProblem);
  return {
    name,
    title: meta.title ?? loaded.graph.name,
    description: meta.description ?? '',
    source,
    dir,
    graphPath: loaded.graphPath,
    ...(poster ? { poster } : {}),
    inputs: listInputs(loaded.graph, library),
    shots: loaded.graph.nodes.filter((n) => n.type === 'shot').length,
    ...(problems.length ? { problems } : {}),
  };
}

interface TemplateMeta {
  title?: string;
  description?: string;
  poster?: string;
}

/** template.json: only short strings are taken from it; anything else in it is ignored. */
async function readMeta(dir: string): Promise<TemplateMeta> {
  const file = path.join(dir, TEMPLATE_META);
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_META_BYTES) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return {};
  }
  const doc = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const text = (v: unknown, max: number) =>
    typeof v === 'string' && v.length <= max ? v.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ') : undefined;
  const meta: TemplateMeta = {};
  const title = text(doc.title, 200);
  const description = text(doc.description, 2000);
  const poster = text(doc.poster, 500);
  if (title) meta.title = title;
  if (description) meta.description = description;
  if (poster) meta.poster = poster;
  return meta;
}

/** The poster's real path, when it is a picture inside the template's folder. */
async function posterPath(dir: string, file: string): Promise<string | undefined> {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!(IMAGE_EXTENSIONS as readonly string[]).includes(ext)) return undefined;
  const r = await resolveProjectInput(dir, file);
  return r.ok ? r.path : undefined;
}

type NamedFile = { node: GraphNode; field: string; file: string };

/** Every local file a graph names: media slots and the final cuts' music beds. */
function namedFiles(graph: Pick<Graph, 'nodes'>): NamedFile[] {
  const out: NamedFile[] = [];
  for (const node of graph.nodes) {
    const p = (node.params ?? {}) as Record<string, unknown>;
    if (typeof p.file === 'string') out.push({ node, field: 'file', file: p.file });
    const music = p.music as Record<string, unknown> | undefined;
    if (node.type === 'final_cut' && typeof music?.file === 'string')
      out.push({ node, field: 'music.file', file: music.file });
  }
  return out.filter((f) => !isRemoteUrl(f.file));
}

/**
 * Copies a film and the files it names from one folder into a new one, keeping each file's path
 * relative to the film. Every file goes through the project-path resolver: inside the source folder,
 * a regular file. Nothing else in the source folder is copied (no cache, no films, no stray files).
 */
async function copyFilm(graph: Graph, fromDir: string, toDir: string): Promise<void> {
  const problems: Problem[] = [];
  const copies = new Map<string, string>();
  let total = 0;
  const inSequences = await sequenceFiles(graph, fromDir, problems);
  for (const { node, field, file } of [...namedFiles(graph), ...inSequences]) {
    const r = await resolveProjectInput(fromDir, file);
    if (!r.ok) {
      problems.push({ code: r.code, nodeId: node.id, field, message: r.message });
      continue;
    }
    // Copied to the path the film names (the resolver refused absolute paths and ".."), so the copy
    // reads the same file under the same name even where the source was a link inside the folder.
    const to = path.join(toDir, ...file.split(/[\\/]+/));
    if (!copies.has(to)) total += r.size;
    copies.set(to, r.path);
  }
  if (total > MAX_TEMPLATE_BYTES)
    problems.push({
      code: 'template.too-large',
      message: `the film's media add up to ${Math.round(total / 1024 / 1024)} MiB; a template may hold at most ${MAX_TEMPLATE_BYTES / 1024 / 1024} MiB`,
    });
  if (problems.length) throw new ProblemError(problems);
  for (const [to, from] of copies) await copyFileAtomic(from, to);
  await writeFileAtomic(path.join(toDir, TEMPLATE_GRAPH), serializeGraph(graph));
}

/**
 * The files a film's sequences need (docs/architecture.md §3.1): the media inside its own definitions,
 * each library file it uses (directly or through another) and the media inside those, all named as
 * the film names them. A library file that cannot be read is a problem: the copy would not open.
 */
async function sequenceFiles(graph: Graph, fromDir: string, problems: Problem[]): Promise<NamedFile[]> {
  const out: NamedFile[] = [];
  for (const def of filmSequences(graph)) {
    const nodes = (def as { nodes?: unknown })?.nodes;
    if (Array.isArray(nodes)) out.push(...namedFiles({ nodes: nodes.filter(isNode) }));
  }
  for (const [file, entry] of await readSequenceLibrary(graph, fromDir)) {
    const user = graph.nodes.find((n) => n.params?.sequence === file) ?? {
      id: file,
      type: 'sequence',
      params: {},
    };
    if (!entry.ok) {
      problems.push({ code: 'sequence.missing', nodeId: user.id, field: 'sequence', message: entry.message });
      continue;
    }
    out.push({ node: user, field: 'sequence', file });
    const nodes = (entry.value as { nodes?: unknown })?.nodes;
    if (Array.isArray(nodes))
      out.push(...namedFiles({ nodes: nodes.filter(isNode).map((n) => rebaseNode(file, n)) }));
  }
  return out;
}

const isNode = (n: unknown): n is GraphNode =>
  !!n && typeof n === 'object' && typeof (n as GraphNode).id === 'string' && !!(n as GraphNode).params;

/** A folder the user named for a new project: it must not exist yet, or be empty. */
async function freshFolder(dir: string): Promise<string> {
  const target = path.resolve(dir);
  const st = await fs.lstat(target).catch(() => undefined);
  if (st) {
    if (!st.isDirectory())
      throw problem('template.target', `${quoted(target)} exists and is not a folder; name a new folder`);
    if ((await fs.readdir(target)).length)
      throw problem(
        'template.target',
        `${quoted(target)} is not empty; name a new folder so nothing is overwritten`,
      );
  }
  await fs.mkdir(target, { recursive: true });
  return target;
}

const problem = (code: string, message: string) => new ProblemError([{ code, message }]);

async function findTemplate(name: string, opts: TemplateOptions): Promise<TemplateInfo> {
  const all = await listTemplates(opts);
  const hit = all.find((t) => t.name === name);
  if (!hit)
    throw problem(
      'template.unknown',
      `no template named ${quoted(name)}; the templates are ${all.map((t) => t.name).join(', ') || 'none'}`,
    );
  return hit;
}

/** A new project in `dir` from a template: its film.json and the media it names. */
export async function createFromTemplate(
  name: string,
  dir: string,
  opts: TemplateOptions = {},
): Promise<{ graphPath: string; template: TemplateInfo }> {
  const template = await findTemplate(name, opts);
  const loaded = await loadGraphFile(template.graphPath);
  if (!loaded.ok) throw new ProblemError(loaded.problems);
  const target = await freshFolder(dir);
  try {
    await copyFilm(loaded.graph, template.dir, target);
  } catch (e) {
    // Leave no half-made project behind (the folder was new or empty).
    await fs.rm(target, { recursive: true, force: true });
    throw e;
  }
  return { graphPath: path.join(target, TEMPLATE_GRAPH), template };
}

export interface SaveTemplateOptions extends TemplateOptions {
  title?: string;
  description?: string;
  /** Replace a user template of the same name. */
  replace?: boolean;
}

/**
 * The film as one of the user's templates: the graph (without takes, frozen outputs or an output
 * path outside its folder: a template starts fresh) and the media it names, which must be inside the
 * film's folder. Written to a temporary folder first and renamed into place.
 */
export async function saveAsTemplate(
  graphPath: string,
  name: string,
  opts: SaveTemplateOptions = {},
): Promise<TemplateInfo> {
  if (!NAME.test(name)) throw problem('template.name', `template name ${quoted(name)} must be ${NAME_RULE}`);
  const builtin = await templatesIn(opts.builtinDir ?? builtinTemplatesDir(), 'builtin');
  if (builtin.some((t) => t.name === name))
    throw problem(
      'template.name',
      `${quoted(name)} is one of Shotgraph's own templates; choose another name`,
    );
  const loaded = await loadGraphFile(graphPath);
  if (!loaded.ok) throw new ProblemError(loaded.problems);
  const root = opts.userDir ?? userTemplatesDir(opts.env);
  const target = path.join(root, name);
  const exists = await fs.lstat(target).catch(() => undefined);
  if (exists && !opts.replace)
    throw problem(
      'template.exists',
      `you already have a template named ${quoted(name)}; choose another name or replace it`,
    );
  const graph = freshCopy(loaded.graph);
  await fs.mkdir(root, { recursive: true });
  const staging = await fs.mkdtemp(path.join(root, `.${name}-`));
  try {
    await copyFilm(graph, loaded.graphDir, staging);
    const poster = namedFiles(graph).find((f) => f.node.type === 'image')?.file;
    const meta = {
      title: (opts.title ?? graph.name).slice(0, 200),
      description: (opts.description ?? '').slice(0, 2000),
      ...(poster ? { poster } : {}),
    };
    await writeFileAtomic(path.join(staging, TEMPLATE_META), JSON.stringify(meta, null, 2) + '\n');
    if (exists) await fs.rm(target, { recursive: true, force: true });
    await fs.rename(staging, target);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true });
    throw e;
  }
  return readTemplate(target, name, 'user');
}

/** The graph as a template keeps it: no takes or frozen outputs (their clips are not copied). */
function freshCopy(graph: Graph): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const { take: _take, frozen: _frozen, ...rest } = n;
      if (n.type !== 'final_cut' || typeof n.params?.output !== 'string') return rest;
      if (!outputPathIssue(n.params.output)) return rest;
      const { output: _output, ...params } = n.params;
      return { ...rest, params };
    }),
  };
}
