// Where the canvas looks among a film's sequences: into one, back out, and a library sequence's own
// copy in the film. No host here: what the host reads arrives in stores/library.ts first.
import { enter, leave, localCopy } from '../model/scope';
import { edit, setScope, useDocument } from '../stores/document';
import { libraryFor } from '../stores/library';
import { toast } from '../stores/ui';
import { fitView } from './viewport';

/** Shows instance `id`'s definition on the canvas (a library file's once read), or says why not. */
export function showSequence(id: string): void {
  const now = useDocument.getState();
  const r = enter(now, id, libraryFor(now.path));
  if (typeof r === 'string') return toast(r, 'error');
  setScope(r);
  requestAnimationFrame(fitView);
}

export function drillOut(): void {
  const s = useDocument.getState();
  if (!s.scope) return;
  const instance = s.scope.instance;
  const back = leave(s);
  setScope({ ...back, nodes: back.nodes.map((n) => ({ ...n, selected: n.id === instance })) });
  requestAnimationFrame(fitView);
}

/**
 * From inside a library sequence (shown read-only): this instance gets its own copy in the film, to
 * edit freely; the file and the other films and instances using it are unchanged. One undoable edit.
 */
export function copyIntoFilm(): void {
  const s = useDocument.getState();
  const file = s.scope?.library;
  if (!s.scope || !file) return;
  const instance = s.scope.instance;
  const entry = libraryFor(s.path).get(file);
  if (!entry?.ok) return toast(entry ? entry.message : `"${file}" has not been read`, 'error');
  const back = leave(s);
  const copied = localCopy(back, instance, file, entry.value);
  if (typeof copied === 'string') return toast(copied, 'error');
  setScope(back);
  edit(() => ({ nodes: copied.nodes, extra: copied.extra }));
  showSequence(instance);
  toast(
    `${instance} now uses its own copy “${copied.sequence}”, kept in this film; ${file} and whatever else uses it are unchanged`,
    'success',
  );
}
