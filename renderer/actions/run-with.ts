// Run with…: open the film as a form, ask the engine for the estimate of the values, run with them.
import { useDocument } from '../stores/document';
import { changedValues, useRunWith } from '../stores/run-with';
import { useUi } from '../stores/ui';
import { host } from '../transport';
import { currentGraph, reportProblem } from './files';
import { runFilm } from './run';

let timer: ReturnType<typeof setTimeout> | undefined;
let asked = 0;

export async function openRunWith(): Promise<void> {
  useUi.setState({ runWith: true });
  try {
    const { inputs, problems } = await host.call('inputs.list', {
      graph: currentGraph(),
      path: useDocument.getState().path,
    });
    const values = Object.fromEntries(inputs.map((i) => [i.name, i.default]));
    useRunWith.setState({ inputs, declProblems: problems, values, estimate: null });
    void estimate();
  } catch (e) {
    reportProblem('Could not read the film’s inputs', e);
  }
}

export function closeRunWith(): void {
  useUi.setState({ runWith: false });
}

export function setInputValue(name: string, value: string): void {
  useRunWith.setState((s) => ({ values: { ...s.values, [name]: value } }));
  clearTimeout(timer);
  timer = setTimeout(() => void estimate(), 250);
}

/** The engine's estimate for these values: what would run and what it would cost, given the cache. */
export async function estimate(): Promise<void> {
  const ask = ++asked;
  useRunWith.setState({ estimating: true });
  try {
    const status = await host.call('film.status', {
      path: useDocument.getState().path,
      graph: currentGraph(),
      values: changedValues(useRunWith.getState()),
    });
    if (ask !== asked) return; // a newer question is on its way
    const { totalUsd, toRun, problems, unpriced } = status;
    useRunWith.setState({ estimate: { totalUsd, toRun, problems, unpriced }, estimating: false });
  } catch (e) {
    if (ask === asked) useRunWith.setState({ estimating: false });
    reportProblem('Could not estimate', e);
  }
}

export function runWithValues(): Promise<void> {
  return runFilm(undefined, changedValues(useRunWith.getState()));
}
