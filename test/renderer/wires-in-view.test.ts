// Which wires a big film draws: those near the view, whatever the zoom; a small film draws all.
import { describe, expect, it } from 'vitest';
import { bigGraph } from '../bench/editor.bench';
import {
  CULL_ABOVE,
  MARGIN_PX,
  viewBox,
  wireBox,
  wiresInView,
  type Box,
} from '../../renderer/model/wires-in-view';

const card = (x: number, y: number): Box => ({ x0: x, y0: y, x1: x + 248, y1: y + 200 });

// The bench's 1,000-node film: 40 films of a prompt, 23 chained shots and a cut, 700 px apart.
const g = bigGraph(40, 23);
const wires = g.edges.map((e) => ({ id: `${e.source}>${e.target}:${e.targetPort}`, ...e }));
const at = new Map(g.nodes.map((n) => [n.id, card(n.position!.x, n.position!.y)]));
const boxOf = (id: string) => at.get(id);

describe('wires in view', () => {
  it('draws every wire of a small film, culled or not', () => {
    const few = wires.slice(0, CULL_ABOVE);
    const far = { x0: 1e6, y0: 1e6, x1: 1e6 + 10, y1: 1e6 + 10 };
    expect(wiresInView(few, boxOf, far)).toBe(few);
    expect(wiresInView(wires, boxOf, undefined)).toBe(wires);
  });

  it('draws only the wires of the films in view, with their chains and cuts', () => {
    // At zoom 1 over a 1600×1000 pane at the origin: films 0 and 1 (y 0 and 700), and the margin.
    const view = viewBox([0, 0, 1], 1600, 1000);
    const drawn = wiresInView(wires, boxOf, view);
    const films = new Set(drawn.map((w) => w.target.replace(/^(s|cut)(\d+).*$/, '$2')));
    expect([...films].sort()).toEqual(['0', '1', '2']);
    expect(drawn.length).toBeLessThan(wires.length / 10);
    // Film 0's wires all run rightwards: those leaving a card in view are drawn (the long ones
    // from its prompt and into its cut included), those starting past the view's right are not.
    const film0 = wires.filter((w) => w.source === 'p0' || w.source.startsWith('s0-'));
    const leavesInView = (w: (typeof wires)[number]) => boxOf(w.source)!.x0 <= view.x1;
    const startsPast = (w: (typeof wires)[number]) => boxOf(w.source)!.x0 > view.x1 + 100;
    expect(film0.filter(leavesInView).length).toBeGreaterThan(20);
    expect(film0.filter(startsPast).length).toBeGreaterThan(20);
    expect(drawn.filter(leavesInView).filter((w) => film0.includes(w))).toEqual(film0.filter(leavesInView));
    expect(drawn.filter(startsPast)).toEqual([]);
    // And every wire drawn touches the box.
    for (const w of drawn) {
      const b = wireBox(boxOf(w.source)!, boxOf(w.target)!);
      expect(b.y0 <= view.y1 && b.x0 <= view.x1).toBe(true);
    }
  });

  it('keeps a wire whose cards are both off screen but which crosses the view', () => {
    const view = { x0: 900, y0: 0, x1: 1100, y1: 200 };
    const long = [...wires.slice(0, CULL_ABOVE + 1)];
    const crossing = { id: 'x', source: 'a', target: 'b' };
    const ends = new Map([
      ['a', card(0, 0)],
      ['b', card(3000, 0)],
    ]);
    const drawn = wiresInView([...long, crossing], (id) => ends.get(id) ?? boxOf(id), view);
    expect(drawn).toContain(crossing);
  });

  it('leaves out a wire whose card is not placed yet', () => {
    const drawn = wiresInView(
      [...wires, { id: 'y', source: 'ghost', target: 's0-0' }],
      boxOf,
      viewBox([0, 0, 1], 1600, 1000),
    );
    expect(drawn.some((w) => w.id === 'y')).toBe(false);
  });

  it('gives the same box for small pans, and a box that covers the view and its margin at any zoom', () => {
    expect(viewBox([-10, -5, 1], 1600, 1000)).toEqual(viewBox([-40, -30, 1], 1600, 1000));
    for (const [tx, ty, k] of [
      [0, 0, 1],
      [-5000, 1234, 0.1],
      [333, -777, 2.5],
    ] as const) {
      const b = viewBox([tx, ty, k], 1600, 1000);
      // The screen's corners, in flow coordinates, lie a margin inside the box.
      const m = MARGIN_PX / k;
      expect(b.x0).toBeLessThanOrEqual(-tx / k - m + 1e-9);
      expect(b.y0).toBeLessThanOrEqual(-ty / k - m + 1e-9);
      expect(b.x1).toBeGreaterThanOrEqual((1600 - tx) / k + m - 1e-9);
      expect(b.y1).toBeGreaterThanOrEqual((1000 - ty) / k + m - 1e-9);
    }
  });

  it('widens a wire that runs backwards by its bulge', () => {
    const back = wireBox(card(1000, 0), card(0, 300));
    expect(back.x1).toBeGreaterThan(1248 + 500);
    expect(back.x0).toBeLessThan(0 - 500);
  });
});
