// Run with…: the film's inputs as the host typed them, the values the user chose, and the engine's
// estimate for those values. Nothing here is saved: a run with values leaves the film as it was.
import { create } from 'zustand';
import type { FilmInputView, FilmStatusView } from '../../shared/contract';
import type { Problem } from '../../shared/problems';

export interface RunWithState {
  inputs: FilmInputView[];
  /** Problems of the declarations themselves (an input that points at no node). */
  declProblems: Problem[];
  values: Record<string, string>;
  estimate: Pick<FilmStatusView, 'totalUsd' | 'toRun' | 'problems' | 'unpriced'> | null;
  estimating: boolean;
}

export const useRunWith = create<RunWithState>(() => ({
  inputs: [],
  declProblems: [],
  values: {},
  estimate: null,
  estimating: false,
}));

/** Only values that differ from an input's default are sent: an unchanged form is the film itself. */
export function changedValues(s: Pick<RunWithState, 'inputs' | 'values'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of s.inputs) {
    const v = s.values[i.name];
    if (v !== undefined && v !== i.default) out[i.name] = v;
  }
  return out;
}
