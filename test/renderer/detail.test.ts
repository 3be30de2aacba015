import { describe, expect, it } from 'vitest';
import { detailAt, LEGIBLE_ZOOM } from '../../renderer/model/detail';
import { followZoom, useDetail } from '../../renderer/stores/detail';

describe('level of detail', () => {
  it('draws light cards below the legible zoom and full cards from it up', () => {
    expect(detailAt(0.08)).toBe('light'); // the canvas's least zoom
    expect(detailAt(0.13)).toBe('light'); // a 300-node film fitted to a 1600 px window
    expect(detailAt(LEGIBLE_ZOOM - 0.001)).toBe('light');
    expect(detailAt(LEGIBLE_ZOOM)).toBe('full');
    expect(detailAt(1)).toBe('full');
    expect(detailAt(2.5)).toBe('full');
  });

  it('draws full cards when the zoom is not a number yet', () => {
    expect(detailAt(Number.NaN)).toBe('full');
    expect(detailAt(Number.POSITIVE_INFINITY)).toBe('full');
  });

  it('tells the cards only when a zoom crosses the threshold, not on every zoom frame', () => {
    useDetail.setState({ detail: 'full' });
    const seen: string[] = [];
    const stop = useDetail.subscribe((s) => seen.push(s.detail));
    // A zoom-out gesture, frame by frame, from 1 to the fitted view, and back in.
    for (let z = 1; z > 0.1; z -= 0.03) followZoom(z);
    for (let z = 0.1; z < 1.2; z += 0.03) followZoom(z);
    stop();
    expect(seen).toEqual(['light', 'full']);
  });
});
