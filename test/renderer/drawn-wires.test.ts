// Wires as the canvas draws them: colour, cut-order numbers, and the same object for a wire an
// edit did not touch (so a big film's other wires are not re-rendered).
import { describe, expect, it } from 'vitest';
import { drawnWires, multiPortRanks } from '../../renderer/model/drawn-wires';
import { wireId, type Wire } from '../../renderer/model/flow';
import { portColour } from '../../renderer/model/ports';

const wire = (
  source: string,
  sourcePort: string,
  target: string,
  targetPort: string,
  order?: number,
): Wire => ({
  id: wireId(source, sourcePort, target, targetPort),
  source,
  sourceHandle: sourcePort,
  target,
  targetHandle: targetPort,
  data: {
    extra: {},
    portType: targetPort === 'clips' ? 'video' : 'text',
    ...(order === undefined ? {} : { order }),
  },
});

// A prompt into three shots, cut together out of file order (s3 first).
const film: Wire[] = [
  wire('p', 'text', 's1', 'prompt'),
  wire('s1', 'video', 'cut', 'clips', 2),
  wire('s2', 'video', 'cut', 'clips', 1),
  wire('s3', 'video', 'cut', 'clips', 0),
  wire('p', 'text', 's2', 'prompt'),
];

describe('multiPortRanks', () => {
  it('numbers the wires into a multi port by order, then file order; single wires get none', () => {
    const ranks = multiPortRanks(film);
    expect(ranks.get(film[3]!.id)).toBe(1);
    expect(ranks.get(film[2]!.id)).toBe(2);
    expect(ranks.get(film[1]!.id)).toBe(3);
    expect(ranks.has(film[0]!.id)).toBe(false);
    const unordered = [wire('a', 'video', 'cut', 'clips'), wire('b', 'video', 'cut', 'clips')];
    expect([...multiPortRanks(unordered).values()]).toEqual([1, 2]);
  });
});

describe('drawnWires', () => {
  it('draws each wire in its media colour, thicker when selected, with its rank', () => {
    const shown = drawnWires([...film, { ...wire('p', 'text', 's3', 'prompt'), selected: true }]);
    expect(shown.every((w) => w.type === 'film')).toBe(true);
    expect(shown[0]!.style).toEqual({ stroke: portColour('text'), strokeWidth: 2 });
    expect(shown[3]!.style).toEqual({ stroke: portColour('video'), strokeWidth: 2 });
    expect(shown[5]!.style?.strokeWidth).toBe(3);
    expect(shown.map((w) => w.data?.rank)).toEqual([undefined, 3, 2, 1, undefined, undefined]);
    expect(shown[1]!.className).toBe('wire wire-video');
    // The document's own wires are never changed.
    expect(film[1]!.data?.rank).toBeUndefined();
  });

  it('keeps the drawn object of every wire an edit did not touch', () => {
    const before = drawnWires(film);
    // Selecting one wire replaces that wire's object only (as applyEdgeChanges does).
    const selected = film.map((w, i) => (i === 0 ? { ...w, selected: true } : w));
    const after = drawnWires(selected);
    expect(after[0]).not.toBe(before[0]);
    expect(after[0]!.style?.strokeWidth).toBe(3);
    for (let i = 1; i < film.length; i++) expect(after[i]).toBe(before[i]);
  });

  it('redraws the wires whose number changes when a clip joins the cut, and only those', () => {
    const before = drawnWires(film);
    const joined = [...film, wire('s4', 'video', 'cut', 'clips', 1.5)];
    const after = drawnWires(joined);
    expect(after.map((w) => w.data?.rank)).toEqual([undefined, 4, 2, 1, undefined, 3]);
    expect(after[1]).not.toBe(before[1]); // 3 → 4
    expect(after[2]).toBe(before[2]); // still 2
    expect(after[3]).toBe(before[3]); // still 1
    expect(after[0]).toBe(before[0]);
  });
});
