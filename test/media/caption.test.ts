// Caption layout rules that the renders rely on but a picture comparison would not pin down.
import { expect, it } from 'vitest';
import { wrapLines } from '../../electron/media/caption';
import { cardColour } from '../../electron/media/animatic';
import { filterArg } from '../../electron/media/fonts';

it('wraps at word boundaries within the width', () => {
  const lines = wrapLines('A lighthouse keeper climbs the spiral stairs at dusk, lantern swinging', 24, 5);
  expect(lines).toEqual(['A lighthouse keeper', 'climbs the spiral stairs', 'at dusk, lantern', 'swinging']);
});

it('ends an overflowing caption with an ellipsis and hard-splits words longer than a line', () => {
  const lines = wrapLines('word '.repeat(40), 20, 2);
  expect(lines).toHaveLength(2);
  expect(lines[1]!.endsWith('…')).toBe(true);
  expect(lines.every((l) => l.length <= 20)).toBe(true);
  expect(wrapLines('https://example.com/a/very/long/path', 10, 9)).toEqual([
    'https://ex',
    'ample.com/',
    'a/very/lon',
    'g/path',
  ]);
  expect(wrapLines('  line\none\ttwo  ', 40, 3)).toEqual(['line one two']);
});

it('escapes filter values for both the graph and the option parser', () => {
  expect(filterArg('/tmp/a.txt')).toBe('/tmp/a.txt');
  expect(filterArg("C:\\Fonts\\it's, [x]; y")).toBe("C\\\\:\\\\\\\\Fonts\\\\\\\\it\\\\\\'s\\, \\[x\\]\\; y");
});

it('picks a stable, dark card colour per prompt', () => {
  expect(cardColour('The storm arrives')).toBe(cardColour('The storm arrives'));
  expect(cardColour('The storm arrives')).not.toBe(cardColour('Morning after'));
  const rgb = cardColour('x')
    .slice(2)
    .match(/../g)!
    .map((h) => parseInt(h, 16));
  expect(Math.max(...rgb)).toBeLessThan(140); // white text stays readable
});
