// One step of undo history: the document's content at a revision (never selection or run state).
import type { FilmNode, Wire } from '../model/flow';
import type { Scope } from '../model/scope';

export interface Snapshot {
  nodes: FilmNode[];
  edges: Wire[];
  name: string;
  /** Film-level fields: settings (the film's gateway) and fields this version does not know. */
  extra: Record<string, unknown>;
  revision: number;
  /** The sequence the canvas showed (so undo returns to the same place). */
  scope: Scope | null;
}
