// The palette and the add-node search describe every kind in one line; a kind without one broke
// the search box for every query (a keyframe had none when it was added).
import { describe, expect, it } from 'vitest';
import { KIND_BLURBS } from '../../renderer/components/blurbs';
import { NODE_KINDS } from '../../shared/nodes/registry';

describe('node kind blurbs', () => {
  it('has a line for every kind in the registry', () => {
    const missing = Object.keys(NODE_KINDS).filter((k) => !KIND_BLURBS[k]?.trim());
    expect(missing).toEqual([]);
  });
});
