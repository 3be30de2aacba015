// Aiming and fitting the view asked for before the canvas is up (a film opened from the page address
// can be read before xyflow's onInit): done when it comes, not dropped, which left a big film at
// zoom 1 with a few cards drawn.
import type { ReactFlowInstance, Viewport } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aimAt, fitView, setFlow } from '../../renderer/actions/viewport';
import type { FilmNode, Wire } from '../../renderer/model/flow';

/** The instance's calls, as a canvas 1600 × 1000 would get them. */
function fakeFlow() {
  const calls = { fits: 0, viewports: [] as Viewport[] };
  const flow = {
    fitView: async () => {
      calls.fits += 1;
      return true;
    },
    setViewport: async (v: Viewport) => {
      calls.viewports.push(v);
      return true;
    },
  } as unknown as ReactFlowInstance<FilmNode, Wire>;
  return { flow, calls };
}

const card = (id: string, x: number, y: number) =>
  ({ id, type: 'shot', position: { x, y }, data: { kind: 'shot' } }) as unknown as FilmNode;
// A film 10 shots wide and 10 films tall: at zoom 1 a 1600 × 1000 pane shows a corner of it.
const film = Array.from({ length: 100 }, (_, i) => card(`s${i}`, (i % 10) * 340, Math.floor(i / 10) * 700));

beforeEach(() => {
  const pane = { getBoundingClientRect: () => ({ width: 1600, height: 1000 }) };
  (globalThis as { document?: unknown }).document = { querySelector: () => pane };
});

afterEach(() => {
  setFlow(null);
  delete (globalThis as { document?: unknown }).document;
});

describe('the view before the canvas is up', () => {
  it('aims at the film and fits it once the canvas comes', () => {
    aimAt(film);
    fitView();
    const { flow, calls } = fakeFlow();
    setFlow(flow);
    expect(calls.fits).toBe(1);
    expect(calls.viewports).toHaveLength(1);
    // Aimed at the whole film: zoomed out far enough for its 6,300 × 6,540 span in 1,000 px.
    expect(calls.viewports[0]!.zoom).toBeLessThan(0.2);
  });

  it('does each once: a canvas set again later is not re-aimed', () => {
    fitView();
    setFlow(fakeFlow().flow);
    const later = fakeFlow();
    setFlow(later.flow);
    expect(later.calls).toEqual({ fits: 0, viewports: [] });
  });

  it('aims and fits at once when the canvas is already up', () => {
    const { flow, calls } = fakeFlow();
    setFlow(flow);
    aimAt(film);
    fitView();
    expect(calls.fits).toBe(1);
    expect(calls.viewports).toHaveLength(1);
  });
});
