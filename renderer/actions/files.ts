// New, open, save, save as, recent files and crash recovery.
import { parseGraphValue } from '../../shared/graph/parse';
import { emptyGraph, type Graph } from '../../shared/graph/schema';
import { graphToCanvas, type CanvasDoc } from '../model/convert';
import { composeGraph } from '../model/scope';
import { loadDocument, markSaved, selectDirty, useDocument } from '../stores/document';
import { resetFilmStatus } from '../stores/film-status';
import { useLibrary } from '../stores/library';
import { useRun } from '../stores/run';
import { setHostProblems, useProblems } from '../stores/problems';
import { toast, useUi } from '../stores/ui';
import { host, HostError } from '../transport';
import { aimAt, fitView } from './viewport';

/** A different film on the canvas: its own run state and problems start empty. */
function showFilm(doc: CanvasDoc, path: string | null, opts: { dirty?: boolean } = {}): void {
  loadDocument(doc, path, opts);
  // A film on the stage: the start gallery has done its job.
  useUi.setState({ gallery: false });
  useRun.getState().reset();
  resetFilmStatus();
  // Library sequences are read again for the film now shown: the files may have changed meanwhile.
  useLibrary.setState({ film: null, entries: new Map() });
  useProblems.setState({ host: [], engine: [], revealed: false, byNode: {} });
}

export function currentGraph(): Graph {
  return composeGraph(useDocument.getState());
}

/** Opens the in-app file browser (both transports use it, so the editor behaves the same). */
export function askPath(mode: 'open' | 'save', suggested?: string): Promise<string | null> {
  return new Promise((resolve) =>
    useUi.setState({ fileDialog: { mode, ...(suggested ? { suggested } : {}), resolve } }),
  );
}

function confirmDiscard(): boolean {
  return !selectDirty(useDocument.getState()) || window.confirm('Discard unsaved changes to this film?');
}

export function newFilm(): void {
  if (!confirmDiscard()) return;
  showFilm(graphToCanvas(emptyGraph()), null);
}

const readFilm = (path: string) => host.call('graph.open', { path });

/** The film named in the page's address, asked for before the editor's first render. */
let early: { path: string; reply: ReturnType<typeof readFilm> } | undefined;

/**
 * Starts reading a film before the editor has rendered (main.tsx, for `?open=`): the host reads and
 * checks the file while the page mounts, instead of after its first frame; openFilm takes the reply.
 */
export function readEarly(path: string): void {
  early = { path, reply: readFilm(path) };
  early.reply.catch(() => undefined); // reported by openFilm, which awaits it
}

function takeEarly(path: string) {
  const reply = early?.path === path ? early.reply : undefined;
  early = undefined;
  return reply;
}

export async function openFilm(path?: string): Promise<boolean> {
  if (!confirmDiscard()) return false;
  const target = path ?? (await askPath('open'));
  if (!target) return false;
  try {
    const opened = await (takeEarly(target) ?? readFilm(target));
    const parsed = parseGraphValue(opened.graph);
    if (!parsed.ok)
      throw new HostError({
        code: 'graph.invalid',
        message: parsed.problems[0]?.message ?? 'invalid graph',
        problems: parsed.problems,
      });
    const doc = graphToCanvas(parsed.graph);
    aimAt(doc.nodes);
    showFilm(doc, opened.path);
    void refreshRecent();
    requestAnimationFrame(fitView);
    return true;
  } catch (e) {
    reportProblem(`Could not open ${target}`, e);
    return false;
  }
}

export async function saveFilm(as = false): Promise<string | null> {
  const s = useDocument.getState();
  const suggested = `${s.name.replace(/[^\p{L}\p{N} _-]+/gu, '').trim() || 'film'}.json`;
  const target = !as && s.path ? s.path : await askPath('save', s.path ?? suggested);
  if (!target) return null;
  // A first save names an untitled film after its file.
  if (s.name === 'Untitled film' && !s.path) {
    const base = target
      .split(/[\\/]/)
      .pop()!
      .replace(/\.json$/i, '');
    if (base) useDocument.setState({ name: base });
  }
  const revision = useDocument.getState().revision;
  try {
    const saved = await host.call('graph.save', { path: target, graph: currentGraph() });
    const previous = s.path;
    markSaved(saved.path, revision);
    await host.call('recovery.discard', { path: previous }).catch(() => undefined);
    if (previous !== saved.path)
      await host.call('recovery.discard', { path: saved.path }).catch(() => undefined);
    toast(`Saved ${saved.path}`, 'success');
    void refreshRecent();
    return saved.path;
  } catch (e) {
    reportProblem(`Could not save ${target}`, e);
    return null;
  }
}

/** The film must live in a folder before media can be imported into it or it can run. */
export async function ensureSaved(reason: string): Promise<string | null> {
  const { path } = useDocument.getState();
  if (path) return path;
  toast(`Save the film first: ${reason}`);
  return saveFilm(true);
}

export async function refreshRecent(): Promise<void> {
  const { files } = await host.call('recent.list', {});
  useUi.setState({ recent: files });
}

export async function checkRecovery(): Promise<void> {
  const { items } = await host.call('recovery.list', {});
  useUi.setState({ recovery: items });
}

export async function restoreRecovery(index: number): Promise<void> {
  const item = useUi.getState().recovery[index];
  if (!item) return;
  const parsed = parseGraphValue(item.graph);
  if (!parsed.ok) {
    toast('The recovered copy cannot be read; it was discarded', 'error');
  } else {
    const doc = graphToCanvas(parsed.graph);
    aimAt(doc.nodes);
    showFilm(doc, item.path, { dirty: true });
    requestAnimationFrame(fitView);
    toast(`Recovered unsaved work on ${item.name}; save to keep it`, 'success');
  }
  useUi.setState((s) => ({ recovery: s.recovery.filter((_, i) => i !== index) }));
}

export async function discardRecovery(index: number): Promise<void> {
  const item = useUi.getState().recovery[index];
  if (!item) return;
  await host.call('recovery.discard', { path: item.path }).catch(() => undefined);
  useUi.setState((s) => ({ recovery: s.recovery.filter((_, i) => i !== index) }));
}

export function reportProblem(what: string, e: unknown): void {
  const problems = e instanceof HostError ? e.problems : [];
  if (problems.length) setHostProblems(problems, true);
  const detail = problems.length
    ? problems.map((p) => p.message).join('; ')
    : ((e as Error)?.message ?? String(e));
  toast(`${what}: ${detail}`, 'error');
}
