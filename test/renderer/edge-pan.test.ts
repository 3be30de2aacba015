// Where a dragged card pans the view: xyflow's band, 40 px in from each edge of the pane, and past it.
import { describe, expect, it } from 'vitest';
import { inPanBand, PAN_BAND } from '../../renderer/model/edge-pan';

const pane = { width: 1000, height: 600 };

describe('edge pan band', () => {
  it('is the 40 px along each edge of the pane, and beyond it', () => {
    expect(PAN_BAND).toBe(40);
    expect(inPanBand({ x: 500, y: 300 }, pane)).toBe(false);
    expect(inPanBand({ x: 39, y: 300 }, pane)).toBe(true);
    expect(inPanBand({ x: 961, y: 300 }, pane)).toBe(true);
    expect(inPanBand({ x: 500, y: 39.5 }, pane)).toBe(true);
    expect(inPanBand({ x: 500, y: 561 }, pane)).toBe(true);
    expect(inPanBand({ x: -20, y: 300 }, pane)).toBe(true); // dragged past the left edge
    expect(inPanBand({ x: 500, y: 900 }, pane)).toBe(true); // and below the pane
  });

  it('does not pan on the band’s inner line, where xyflow’s speed is zero', () => {
    expect(inPanBand({ x: 40, y: 40 }, pane)).toBe(false);
    expect(inPanBand({ x: 960, y: 560 }, pane)).toBe(false);
  });
});
