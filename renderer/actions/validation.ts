// Structural problems of the document, re-checked shortly after each edit (pure, no host call).
import { validateStructure } from '../../shared/validate/structure';
import { useDocument } from '../stores/document';
import { setLive } from '../stores/problems';
import { currentGraph } from './files';

const DELAY_MS = 200;

export function startLiveValidation(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => setLive(validateStructure(currentGraph()));
  const unsubscribe = useDocument.subscribe((s, prev) => {
    if (s.revision === prev.revision) return;
    clearTimeout(timer);
    timer = setTimeout(check, DELAY_MS);
  });
  check();
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
