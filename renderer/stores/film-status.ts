// The engine's answer about the open film (contract `film.status`): per node cached / frozen /
// stale / new, its cost given the cache, and the film's total. The editor shows it as it is; it
// never works any of it out itself.
import { create } from 'zustand';
import type { FilmStatusView } from '../../shared/contract';

export type NodeFacts = FilmStatusView['nodes'][string];

export interface FilmStatusState {
  nodes: Record<string, NodeFacts>;
  totalUsd: number;
  unpriced: string[];
  toRun: string[];
  provider: string;
  budget: FilmStatusView['budget'];
  /** Each cast member and the shots that call it in, as the engine resolves `@Name`. */
  cast: FilmStatusView['cast'];
  /** When the question was asked (client clock): run events after it are newer than the answer. */
  askedAt: number;
  /** Document revision and file the answer is about. */
  revision: number;
  path: string | null;
  known: boolean;
}

const empty = {
  nodes: {},
  totalUsd: 0,
  unpriced: [],
  toRun: [],
  provider: '',
  budget: { limitUsd: null, allowUnpriced: false, ok: true },
  cast: [],
  askedAt: 0,
  revision: -1,
  path: null,
  known: false,
};

export const useFilmStatus = create<FilmStatusState>(() => ({ ...empty }));

export function resetFilmStatus(): void {
  useFilmStatus.setState({ ...empty });
}
