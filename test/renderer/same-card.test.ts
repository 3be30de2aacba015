// A card component skips the renders a drag's moves would cause, and no other.
import { describe, expect, it } from 'vitest';
import { sameCard } from '../../renderer/nodes/same-card';

const props: Record<string, unknown> = {
  id: 's1',
  data: { kind: 'shot' },
  selected: false,
  positionAbsoluteX: 0,
  positionAbsoluteY: 0,
};

describe('sameCard', () => {
  it('ignores where the card is, and nothing else', () => {
    expect(sameCard(props, { ...props, positionAbsoluteX: 24, positionAbsoluteY: -8 })).toBe(true);
    expect(sameCard(props, { ...props, selected: true })).toBe(false);
    expect(sameCard(props, { ...props, data: { kind: 'shot' } })).toBe(false);
    expect(sameCard(props, { ...props, dragging: true })).toBe(false);
  });
});
