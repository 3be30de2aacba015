// The film map's geometry: it frames a film as xyflow's MiniMap did, a press on it centres the view
// there, and a wheel turn zooms as before.
import { describe, expect, it } from 'vitest';
import { cardColour, wheelZoom } from '../../renderer/model/film-map';
import { centredOn, mapFrame, onView, toMap, toWorld, viewRect } from '../../renderer/model/film-map';

describe('film map', () => {
  it('frames the cards and the view as xyflow’s MiniMap did, in a 200×150 map', () => {
    // Cards 1000×300 at the origin, an 800×500 view at zoom 1: shown is 1000×500. xyflow's SVG
    // viewBox for that is (-25, -150, 1050, 800) (5 map px a side), fitted "meet" into 200×150:
    // 0.1875 map px per flow px, 1.5625 px left free each side horizontally.
    const view = viewRect([0, 0, 1], 800, 500);
    expect(view).toEqual({ x: 0, y: 0, width: 800, height: 500 });
    const f = mapFrame({ x: 0, y: 0, width: 1000, height: 300 }, view);
    expect(f.scale).toBeCloseTo(0.1875, 10);
    expect(toMap(f, { x: -25, y: -150 })).toEqual({ x: 1.5625, y: 0 });
    expect(toMap(f, { x: 0, y: 0 })).toEqual({ x: 6.25, y: 28.125 });
    expect(toMap(f, { x: 1000, y: 500 })).toEqual({ x: 193.75, y: 121.875 });
  });

  it('takes in a view that lies beyond the cards, and an empty film is its view alone', () => {
    // The view at zoom 0.5 with its corner at flow (2000, 1000): 1600×1000 flow px.
    const view = viewRect([-1000, -500, 0.5], 800, 500);
    expect(view).toEqual({ x: 2000, y: 1000, width: 1600, height: 1000 });
    const f = mapFrame({ x: 0, y: 0, width: 400, height: 200 }, view);
    // Shown: (0, 0)–(3600, 2000); both corners are on the map, the card's corner top left.
    for (const p of [toMap(f, { x: 0, y: 0 }), toMap(f, { x: 3600, y: 2000 })]) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(200);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(150);
    }
    const empty = mapFrame(undefined, view);
    const mid = toMap(empty, { x: 2800, y: 1500 });
    expect(mid.x).toBeCloseTo(100, 10);
    expect(mid.y).toBeCloseTo(75, 10);
  });

  it('turns a map point back into the flow point drawn there', () => {
    const f = mapFrame({ x: -300, y: 40, width: 9000, height: 28000 }, viewRect([120, -60, 0.3], 1600, 1000));
    for (const p of [
      { x: 0, y: 0 },
      { x: 57.5, y: 131 },
      { x: 200, y: 150 },
    ]) {
      const back = toMap(f, toWorld(f, p));
      expect(back.x).toBeCloseTo(p.x, 9);
      expect(back.y).toBeCloseTo(p.y, 9);
    }
  });

  it('a press on the map away from the view centres the view on that spot, at the same zoom', () => {
    const pane = { width: 1600, height: 1000 };
    const view = viewRect([0, 0, 1], pane.width, pane.height);
    const f = mapFrame({ x: 0, y: 0, width: 8000, height: 6000 }, view);
    const press = { x: 150, y: 120 };
    expect(onView(f, view, press)).toBe(false);
    expect(onView(f, view, toMap(f, { x: 800, y: 500 }))).toBe(true);
    const to = centredOn(toWorld(f, press), 1, pane.width, pane.height);
    const after = viewRect([to.x, to.y, to.zoom], pane.width, pane.height);
    const centre = toMap(f, { x: after.x + after.width / 2, y: after.y + after.height / 2 });
    expect(centre.x).toBeCloseTo(press.x, 9);
    expect(centre.y).toBeCloseTo(press.y, 9);
    expect(to.zoom).toBe(1);
    // A concrete case: flow (5000, 3000) in the middle of a 1600×1000 pane at zoom 0.5.
    expect(centredOn({ x: 5000, y: 3000 }, 0.5, 1600, 1000)).toEqual({ x: -1700, y: -1000, zoom: 0.5 });
  });

  it('zooms by the wheel as xyflow’s MiniMap did: 500 px of wheel doubles or halves', () => {
    expect(wheelZoom(0.4, -500, 0)).toBeCloseTo(0.8, 12);
    expect(wheelZoom(0.4, 500, 0)).toBeCloseTo(0.2, 12);
    expect(wheelZoom(1, -20, 1)).toBeCloseTo(2, 12); // 20 lines
    expect(wheelZoom(1, 1, 2)).toBeCloseTo(0.5, 12); // a page
    expect(wheelZoom(1, -50, 0, true)).toBeCloseTo(2, 12); // a macOS pinch: ten times as fast
  });

  it('colours each card by its kind, unknown kinds grey', () => {
    expect(cardColour('shot')).toBe('#ff7a59');
    expect(cardColour('prompt')).toBe('#e8b64c');
    expect(cardColour('final_cut')).toBe('#f2f2f2');
    expect(cardColour('mystery')).toBe('#666');
  });
});
