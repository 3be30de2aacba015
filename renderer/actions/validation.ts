// Structural problems of the document, re-checked shortly after each edit (pure, shared with the
// engine): a quiet hint until the user runs. Everything that needs the files or the host (media,
// gateways, what they can do) comes from the engine's film status (film-status.ts).
import { validateStructure } from '../../shared/validate/structure';
import { useDocument } from '../stores/document';
import { setLive } from '../stores/problems';
import { useUi } from '../stores/ui';
import { currentGraph } from './files';

const DELAY_MS = 200;

export function checkFilm(): void {
  // The host's trusted origins (app.info) so a URL a run accepts is not flagged here.
  const trustedMediaOrigins = useUi.getState().info?.trustedMediaOrigins;
  setLive(validateStructure(currentGraph(), trustedMediaOrigins ? { trustedMediaOrigins } : {}));
}

export function startLiveValidation(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = useDocument.subscribe((s, prev) => {
    if (s.revision === prev.revision) return;
    clearTimeout(timer);
    timer = setTimeout(checkFilm, DELAY_MS);
  });
  // Re-check once the host's app.info arrives (it carries the trusted origins).
  const unsubscribeInfo = useUi.subscribe((s, prev) => {
    if (s.info !== prev.info) checkFilm();
  });
  checkFilm();
  return () => {
    clearTimeout(timer);
    unsubscribe();
    unsubscribeInfo();
  };
}
