// Problems of the document, re-checked shortly after each edit (pure, no host call): structure
// (quiet until the user runs) and what the shots' gateways cannot do (shown on the shot at once, so
// a gateway choice that cannot work is seen before anything is paid for).
import { validateStructure } from '../../shared/validate/structure';
import { gatewayProblems } from '../model/gateway';
import { useDocument } from '../stores/document';
import { setGatewayProblems, setLive } from '../stores/problems';
import { useUi } from '../stores/ui';
import { currentGraph } from './files';

const DELAY_MS = 200;

export function checkFilm(): void {
  const graph = currentGraph();
  setLive(validateStructure(graph));
  setGatewayProblems(gatewayProblems(graph, useUi.getState().info?.defaultProvider ?? 'animatic'));
}

export function startLiveValidation(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = useDocument.subscribe((s, prev) => {
    if (s.revision === prev.revision) return;
    clearTimeout(timer);
    timer = setTimeout(checkFilm, DELAY_MS);
  });
  // The host's default gateway (keys set or cleared) changes what each shot runs on.
  const unsubscribeUi = useUi.subscribe((s, prev) => {
    if (s.info?.defaultProvider !== prev.info?.defaultProvider) checkFilm();
  });
  checkFilm();
  return () => {
    clearTimeout(timer);
    unsubscribe();
    unsubscribeUi();
  };
}
