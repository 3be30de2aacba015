// The pure checks of keyframes, seams and approval gates (shared/validate/keyframes.ts,
// shared/graph/approval.ts): each mistake is named by node and field, and keys ignore what
// changes nothing made.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heldBack, isApproved } from '../../shared/graph/approval';
import { nodeKeys } from '../../shared/graph/node-keys';
import type { Graph, GraphNode } from '../../shared/graph/schema';
import { validateStructure } from '../../shared/validate/structure';
import { hashText } from '../../electron/engine/keys';

const SAMPLE = path.resolve(import.meta.dirname, '../../graphs/keyframes-film.json');
const sample = (): Graph => JSON.parse(readFileSync(SAMPLE, 'utf8')) as Graph;
const node = (g: Graph, id: string): GraphNode => g.nodes.find((n) => n.id === id)!;
const problems = (g: Graph) => validateStructure(g).map((p) => `${p.nodeId}.${p.field}: ${p.message}`);

describe('keyframe and seam checks', () => {
  it('the sample film is valid', () => {
    expect(problems(sample())).toEqual([]);
  });

  it('names a size the model cannot make, a set too large, and a frame the set does not have', () => {
    const g = sample();
    node(g, 'kf-open').params.size = '800x800';
    node(g, 'kf-close').params.count = 1; // shot-4 takes frame 2
    const found = problems(g);
    expect(found).toContainEqual(
      expect.stringMatching(/^kf-open\.size: seedream-4\.0 makes images of 921,600 to/),
    );
    expect(found).toContainEqual(
      expect.stringMatching(/^kf-close\.edges\[\d+\]: "shot-4" takes frame 2 of a set of 1/),
    );
    node(g, 'kf-open').params.model = 'seedream-4.5';
    node(g, 'kf-open').params.size = '1K';
    expect(problems(g)).toContainEqual(
      expect.stringMatching(/^kf-open\.size: must be 2K, 4K or WIDTHxHEIGHT/),
    );
    node(g, 'kf-open').params.count = 16;
    expect(problems(g)).toContainEqual(
      expect.stringMatching(/^kf-open\.count: must be a whole number from 1 to 15/),
    );
  });

  it('counts reference images against the 15 images of one request', () => {
    const g = sample();
    node(g, 'kf-open').params.count = 14;
    for (let i = 0; i < 2; i++) {
      g.nodes.push({ id: `ref-${i}`, type: 'image', params: { file: 'media/first-frame.png' } });
      g.edges.push({
        source: `ref-${i}`,
        sourcePort: 'image',
        target: 'kf-open',
        targetPort: 'reference_images',
      });
    }
    expect(problems(g)).toContainEqual(
      'kf-open.count: 2 reference images and 14 frames make 16; one Seedream request holds at most 15 images in and out',
    );
  });

  it('checks each seam against the wiring of the first frame', () => {
    const g = sample();
    node(g, 'shot-1').params.seam = 'last-frame';
    node(g, 'shot-2').params.seam = 'keyframe';
    node(g, 'shot-3').params.seam = 'free';
    node(g, 'shot-4').params.seam = 'sideways';
    const found = problems(g);
    expect(found).toContainEqual(
      'shot-1.seam: its first frame is keyframe "kf-open", not a last frame; set the seam to "keyframe"',
    );
    expect(found).toContainEqual(
      'shot-2.seam: the seam is "keyframe" but its first frame comes from shot "shot-1"; wire a keyframe\'s image into first_frame',
    );
    expect(found).toContainEqual(
      'shot-3.seam: the seam is "free" but "kf-close" is wired into first_frame; remove that wire or choose the seam "keyframe"',
    );
    expect(found).toContainEqual(
      expect.stringMatching(/^shot-4\.seam: must be one of last-frame, keyframe, free/),
    );
  });

  it('keys ignore the seam and the response format, and follow the keyframe’s take', () => {
    const facts = { providerOf: () => 'ark', fileHash: () => 'f'.repeat(64) };
    const g = sample();
    const before = nodeKeys(g, facts, hashText);
    node(g, 'shot-4').params.seam = 'free';
    node(g, 'kf-close').params.response_format = 'url';
    expect(nodeKeys(g, facts, hashText)).toEqual(before);
    node(g, 'kf-close').take = 2;
    const after = nodeKeys(g, facts, hashText);
    const changed = [...after].filter(([id, k]) => before.get(id) !== k).map(([id]) => id);
    expect(changed.sort()).toEqual(['cut', 'kf-close', 'shot-3', 'shot-4']);
  });
});

describe('approval gates', () => {
  it('hold back everything downstream of an unapproved take, and nothing once approved', () => {
    const g = sample();
    node(g, 'kf-close').needsApproval = true;
    expect([...heldBack(g)].sort()).toEqual([
      ['cut', 'kf-close'],
      ['shot-3', 'kf-close'],
      ['shot-4', 'kf-close'],
    ]);
    node(g, 'kf-close').approved = { take: 1 };
    expect(heldBack(g).size).toBe(0);
    // A new take is not the approved one.
    node(g, 'kf-close').take = 2;
    expect(isApproved(node(g, 'kf-close'))).toBe(false);
    expect(heldBack(g).size).toBe(3);
  });
});
