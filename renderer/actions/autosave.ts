// Autosave to a recovery copy (never over the user's file) a moment after each edit, and flush
// it when the desktop app asks to quit, so a crash loses at most a couple of seconds.
import { selectDirty, useDocument } from '../stores/document';
import { host } from '../transport';
import { currentGraph } from './files';

const DELAY_MS = 1500;
let timer: ReturnType<typeof setTimeout> | undefined;
let writtenRevision = -1;

export async function flushRecovery(): Promise<void> {
  clearTimeout(timer);
  const s = useDocument.getState();
  if (!selectDirty(s) || s.revision === writtenRevision || !s.nodes.length) return;
  writtenRevision = s.revision;
  await host.call('recovery.save', { path: s.path, graph: currentGraph() }).catch(() => {
    writtenRevision = -1;
  });
}

export function startAutosave(): () => void {
  const unsubscribe = useDocument.subscribe((s, prev) => {
    if (s.revision === prev.revision) return;
    clearTimeout(timer);
    timer = setTimeout(() => void flushRecovery(), DELAY_MS);
  });
  const unload = (ev: BeforeUnloadEvent) => {
    if (!selectDirty(useDocument.getState())) return;
    void flushRecovery();
    ev.preventDefault();
  };
  window.addEventListener('beforeunload', unload);
  return () => {
    unsubscribe();
    window.removeEventListener('beforeunload', unload);
  };
}
