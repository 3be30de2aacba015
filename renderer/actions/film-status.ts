// Asks the engine about the open film shortly after each edit (and after runs, takes, keys), and
// shows its answer: states and costs in the status store, its problems on the nodes. Answers to
// an older question than the newest one asked are dropped.
import { validateStructure } from '../../shared/validate/structure';
import type { Problem } from '../../shared/problems';
import { useDocument } from '../stores/document';
import { useFilmStatus } from '../stores/film-status';
import { setEngineProblems } from '../stores/problems';
import { useUi } from '../stores/ui';
import { host } from '../transport';
import { currentGraph } from './files';

const DELAY_MS = 250;
let asked = 0;

export async function refreshFilmStatus(): Promise<void> {
  const ticket = ++asked;
  const { path, revision } = useDocument.getState();
  const graph = currentGraph();
  const askedAt = Date.now();
  let answer;
  try {
    answer = await host.call('film.status', { path, graph });
  } catch {
    return; // disconnected or a film the host cannot read: the next edit or reconnect asks again
  }
  if (ticket !== asked) return;
  useFilmStatus.setState({ ...answer, askedAt, revision, path, known: true });
  // Structure problems stay a quiet hint until Run (live validation); the rest is shown at once.
  const structural = new Set(validateStructure(graph).map(problemKey));
  setEngineProblems(answer.problems.filter((p) => !structural.has(problemKey(p))));
}

const problemKey = (p: Problem) => `${p.code}|${p.nodeId}|${p.field}|${p.message}`;

let timer: ReturnType<typeof setTimeout> | undefined;

/** Asks again a moment after the last of a burst of changes. */
export function refreshSoon(delay = DELAY_MS): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refreshFilmStatus(), delay);
}

export function startFilmStatus(): () => void {
  const stopDoc = useDocument.subscribe((s, prev) => {
    if (s.revision !== prev.revision || s.path !== prev.path) refreshSoon();
  });
  // Keys set or cleared change the default gateway; a reconnect may follow a server restart.
  const stopUi = useUi.subscribe((s, prev) => {
    if (s.info?.defaultProvider !== prev.info?.defaultProvider || (s.connected && !prev.connected))
      refreshSoon(0);
  });
  refreshSoon(0);
  return () => {
    clearTimeout(timer);
    stopDoc();
    stopUi();
  };
}
