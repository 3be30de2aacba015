// Structural problems of the document, re-checked shortly after each edit (pure, shared with the
// engine): a quiet hint until the user runs. Everything that needs the files or the host (media,
// gateways, what they can do) comes from the engine's film status (film-status.ts).
import { flattenSequences, SEQUENCE_KIND } from '../../shared/graph/sequence';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { validateStructure, type StructureOptions } from '../../shared/validate/structure';
import { useDocument } from '../stores/document';
import { setLive } from '../stores/problems';
import { useUi } from '../stores/ui';
import { currentGraph } from './files';

const DELAY_MS = 200;

export function checkFilm(): void {
  // The host's trusted origins (app.info) so a URL a run accepts is not flagged here.
  const trustedMediaOrigins = useUi.getState().info?.trustedMediaOrigins;
  setLive(structureProblems(currentGraph(), trustedMediaOrigins ? { trustedMediaOrigins } : {}));
}

/**
 * The pure checks, on the film as the engine runs it: sequences flattened by the engine's own
 * flattenSequences. A sequence kept in a library file is read by the host only, so what is wrong with
 * one (or with flattening) comes from the film status, not from here.
 */
export function structureProblems(graph: Graph, opts: StructureOptions = {}): Problem[] {
  const flat = flattenSequences(graph);
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.type]));
  return validateStructure(flat.problems.length ? graph : flat.graph, opts).filter(
    (p) => !(p.nodeId && kinds.get(p.nodeId) === SEQUENCE_KIND),
  );
}

export function startLiveValidation(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Shortly after, never inside the change: a film being opened paints before it is checked.
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(checkFilm, DELAY_MS);
  };
  const unsubscribe = useDocument.subscribe((s, prev) => {
    if (s.revision !== prev.revision) soon();
  });
  // Re-check once the host's app.info arrives (it carries the trusted origins).
  const unsubscribeInfo = useUi.subscribe((s, prev) => {
    if (s.info !== prev.info) soon();
  });
  checkFilm();
  return () => {
    clearTimeout(timer);
    unsubscribe();
    unsubscribeInfo();
  };
}
