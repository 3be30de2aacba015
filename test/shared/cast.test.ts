// The cast (shared/cast.ts, shared/validate/cast.ts, shared/graph/node-keys.ts): @Name mentions, how
// each gateway is told which media belong to whom, the checks before anything is paid for, and keys
// that change for exactly the shots that mention a changed member.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  attachCast,
  findMentions,
  framesAsReferences,
  mentionedMembers,
  spellMentions,
  unknownMentions,
  type CastMember,
} from '../../shared/cast';
import { estimateShot } from '../../electron/engine/estimate';
import { nodeKeys } from '../../shared/graph/node-keys';
import { parseGraphText } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { castFieldProblems, castShotProblems } from '../../shared/validate/cast';

const SAMPLE = path.resolve(import.meta.dirname, '../../graphs/cast-film.json');

function sample(): Graph {
  const parsed = parseGraphText(readFileSync(SAMPLE, 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.graph;
}

const mira: CastMember = { name: 'Mira', kind: 'character', images: ['a.png', 'b.png'], voice: 'mira.wav' };
const lamp: CastMember = { name: 'Lamp', kind: 'prop', images: ['lamp.png'], assetId: 'asset://lamp-01' };

describe('mentions', () => {
  it('finds @Name in prose, once per member, in first-mention order, case-insensitively', () => {
    const text = 'The @lamp flickers; @Mira (smiling) lifts @Lamp. Write to mira@example.com.';
    expect(findMentions(text).map((m) => m.name)).toEqual(['lamp', 'Mira', 'Lamp']);
    expect(mentionedMembers(text, [mira, lamp]).map((m) => m.name)).toEqual(['Lamp', 'Mira']);
  });

  it('leaves numbered media tokens alone and reports names the cast lacks', () => {
    const text = '@image 1 and @image_file_2 with @Mirra and @Mira';
    expect(findMentions(text).map((m) => m.name)).toEqual(['Mirra', 'Mira']);
    expect(unknownMentions(text, [mira])).toEqual(['Mirra']);
  });
});

describe('spelling per gateway', () => {
  const prompt = 'Close-up: @Mira holds @Lamp.';
  // One wired image (a first frame) and no wired audio: Mira's images are 2 and 3, the lamp's 4 and 5.
  const att = attachCast([mira, lamp], 1, 0);

  it('numbers cast media after the wired ones, images then the asset id, voices as audio', () => {
    expect(att.images.map((i) => i.value)).toEqual(['a.png', 'b.png', 'lamp.png', 'asset://lamp-01']);
    expect(att.audios.map((a) => a.value)).toEqual(['mira.wav']);
  });

  it('Ark: bracketed "[image N]"; seed2.io: @image_file_N; the others: "image N"', () => {
    expect(spellMentions(prompt, att, 'ark')).toBe(
      'Close-up: Mira ([image 2], [image 3], [audio 1]) holds Lamp ([image 4], [image 5]).',
    );
    expect(spellMentions(prompt, att, 'seed2')).toBe(
      'Close-up: Mira (@image_file_2, @image_file_3, @audio_file_1) holds Lamp (@image_file_4, @image_file_5).',
    );
    expect(spellMentions(prompt, att, 'inference')).toBe(
      'Close-up: Mira (image 2, image 3, audio 1) holds Lamp (image 4, image 5).',
    );
  });

  it('frames sent as references are named in the prompt', () => {
    expect(framesAsReferences('Mira walks.', 2, 'ark')).toBe(
      '[image 1] is the first frame. [image 2] is the last frame. Mira walks.',
    );
  });
});

describe('checks before paying', () => {
  const onAll = (gateway: string) => (n: { type: string }) => (n.type === 'shot' ? gateway : undefined);

  it('the sample is clean on Ark', () => {
    const g = sample();
    expect(castFieldProblems(g)).toEqual([]);
    expect(castShotProblems(g, onAll('ark'))).toEqual([]);
  });

  it('too many references on inference.sh: the message names the shot, the members and the limit', () => {
    const g = sample();
    g.cast![0]!.images = ['media/character-sheet.png', 'media/set-design.png', 'media/harbour-dawn.png'];
    const problems = castShotProblems(g, onAll('inference'));
    // shot-3: first frame + Mira's 3 + Harbour's 1 = 5 > 3; shots 4 and 5: 1 + 3 = 4 > 3.
    expect(problems.map((p) => p.nodeId)).toEqual(['shot-3', 'shot-4', 'shot-5']);
    expect(problems[0]).toMatchObject({ code: 'cast.references', field: 'reference_images' });
    expect(problems[0]!.message).toBe(
      "with its cast this shot sends 5 reference images (1 wired (frames count as images) + 3 of @Mira's + 1 of @Harbour's), but inference.sh takes at most 3; mention fewer members, give them fewer images, or wire fewer",
    );
  });

  it('asset:// ids: accepted on Ark and xingchaoyiqing, refused on seed2.io naming the gateway', () => {
    const g = sample();
    g.cast![1]!.assetId = 'asset://harbour-7';
    expect(castShotProblems(g, onAll('ark'))).toEqual([]);
    expect(
      castShotProblems(g, onAll('xingchao'), { mediaHost: true }).filter((p) => p.code === 'cast.asset-id'),
    ).toEqual([]);
    const refused = castShotProblems(g, onAll('seed2'), { mediaHost: true }).filter(
      (p) => p.code === 'cast.asset-id',
    );
    expect(refused.map((p) => p.nodeId)).toEqual(['shot-1', 'shot-2', 'shot-3']);
    expect(refused[0]!.message).toMatch(
      /^seed2\.io does not take asset:\/\/ ids, but @Harbour has one; render this shot on Ark/,
    );
  });

  it('local cast files on a URL-only gateway without a media host are refused, naming the member', () => {
    const problems = castShotProblems(sample(), onAll('seed2')).filter((p) => p.code === 'cast.local-file');
    expect(problems[0]!.message).toMatch(/^seed2\.io takes images only as URLs, but @Harbour has images/);
  });

  it('unknown @Names, duplicate names and paths outside the project are named by field', () => {
    const g = sample();
    g.cast!.push({ name: 'mira', kind: 'prop', images: ['../secret.png'] });
    const fields = castFieldProblems(g).map((p) => [p.code, p.field]);
    expect(fields).toContainEqual(['cast.duplicate-name', 'cast[2].name']);
    expect(fields.some(([, f]) => f === 'cast[2].images[0]')).toBe(true);
    const prompt = g.nodes.find((n) => n.id === 'prompt-4')!;
    prompt.params.text = 'Medium shot: @Mirra looks out to sea.';
    expect(castShotProblems(g, onAll('ark'))).toContainEqual(
      expect.objectContaining({ code: 'cast.unknown', nodeId: 'shot-4', field: 'prompt' }),
    );
  });
});

describe('keys', () => {
  const keysWith = (g: Graph, hashes: Record<string, string>) =>
    nodeKeys(
      g,
      { providerOf: (n) => (n.type === 'shot' ? 'ark' : undefined), fileHash: (f) => hashes[f] },
      (t) => t,
    );
  const files = { 'media/character-sheet.png': 'm1', 'media/harbour-dawn.png': 'h1' };

  it("changing a member's image changes the keys of the shots that mention it and what follows them", () => {
    const g = sample();
    const before = keysWith(g, files);
    const after = keysWith(g, { ...files, 'media/character-sheet.png': 'm2' });
    const changed = ['shot-1', 'shot-2', 'shot-3', 'shot-4', 'shot-5'].filter(
      (id) => before.get(id) !== after.get(id),
    );
    expect(changed).toEqual(['shot-3', 'shot-4', 'shot-5']);
    expect(before.get('final-cut')).not.toBe(after.get('final-cut'));
  });

  it('a shot that mentions nobody keeps the key it had without a cast', () => {
    const g = sample();
    const prompt = g.nodes.find((n) => n.id === 'prompt-1')!;
    prompt.params.text = 'Wide shot at dawn: fishing boats.';
    const withCast = keysWith(g, files).get('shot-1');
    expect(keysWith({ ...g, cast: [] }, files).get('shot-1')).toBe(withCast);
  });

  it('a member image that cannot be read leaves the shots that mention it without a key', () => {
    const keys = keysWith(sample(), { 'media/harbour-dawn.png': 'h1' });
    expect(keys.has('shot-2')).toBe(true);
    expect(keys.has('shot-3')).toBe(false);
  });
});

describe('estimate', () => {
  it("a member's voice is reference audio: seed2.io prices the shots that mention them double", () => {
    const g = sample();
    g.cast![0]!.voice = 'media/theme.mp3';
    const shot = (id: string) => g.nodes.find((n) => n.id === id)!;
    const plain = estimateShot(g, shot('shot-1'), 'seed2', false); // mentions Harbour only
    const voiced = estimateShot(g, shot('shot-4'), 'seed2', false); // mentions Mira
    expect(plain.usd).toBeGreaterThan(0);
    expect(voiced.usd).toBeCloseTo(2 * plain.usd, 6);
  });
});
