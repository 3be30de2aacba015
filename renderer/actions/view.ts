// What the stage shows. The canvas changes size with it, so the film is fitted to the new space.
import { useUi, type StageView } from '../stores/ui';
import { fitView } from './viewport';

const refit = () => requestAnimationFrame(() => requestAnimationFrame(fitView));

export function setView(view: StageView): void {
  if (useUi.getState().view === view) return;
  useUi.setState({ view });
  if (view !== 'board') refit();
}

export function toggleStoryboard(): void {
  setView(useUi.getState().view === 'graph' ? 'split' : 'graph');
}

export function toggleTimeline(open = !useUi.getState().timelineOpen): void {
  useUi.setState({ timelineOpen: open });
  if (useUi.getState().view !== 'board') refit();
}
