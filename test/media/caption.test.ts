// Caption layout rules that the renders rely on but a picture comparison would not pin down.
import { expect, it } from 'vitest';
import { balancedLines, wrapLines } from '../../electron/media/caption';
import { filterArg } from '../../electron/media/fonts';

it('wraps at word boundaries within the width', () => {
  const lines = wrapLines('A lighthouse keeper climbs the spiral stairs at dusk, lantern swinging', 24, 5);
  expect(lines).toEqual(['A lighthouse keeper', 'climbs the spiral stairs', 'at dusk, lantern', 'swinging']);
});

it('balances a caption over the fewest lines instead of leaving an orphan word', () => {
  const text = 'She stops at a stall where an old man repairs clocks; he glances up.';
  expect(wrapLines(text, 60, 3)).toEqual([
    'She stops at a stall where an old man repairs clocks; he',
    'glances up.',
  ]);
  const lines = balancedLines(text, 60, 3);
  expect(lines).toHaveLength(2);
  expect(lines.join(' ')).toBe(text);
  expect(Math.abs(lines[0]!.length - lines[1]!.length)).toBeLessThanOrEqual(8);
  // One line stays one line; an overflowing caption keeps its ellipsis.
  expect(balancedLines('Gulls circle', 60, 3)).toEqual(['Gulls circle']);
  expect(balancedLines('word '.repeat(40), 20, 2).at(-1)!.endsWith('…')).toBe(true);
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
