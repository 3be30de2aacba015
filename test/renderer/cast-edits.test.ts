// The cast panel's edits (renderer/actions/cast.ts): each is one undo step that undo reverses
// exactly; a rename respells every @mention the run would read (any case, in the film's prompts and
// in its sequence definitions) and nothing that only looks like one; a name the graph refuses is not taken.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/schema';
import {
  addMember,
  addMemberImage,
  castOf,
  removeMember,
  renameMember,
  setMemberAssetId,
  setMemberVoice,
} from '../../renderer/actions/cast';
import { canvasToGraph, graphToCanvas } from '../../renderer/model/convert';
import { loadDocument, redo, undo, useDocument } from '../../renderer/stores/document';

function start(): void {
  const g = {
    format: 'shotgraph',
    version: 2,
    name: 'Cast',
    cast: [{ name: 'Mira', kind: 'character', images: ['media/mira.png'] }],
    sequences: [
      {
        id: 'walk',
        nodes: [{ id: 'p', type: 'prompt', params: { text: 'Inside: @Mira walks.' } }],
        edges: [],
      },
    ],
    nodes: [
      {
        id: 'prompt',
        type: 'prompt',
        position: { x: 0, y: 0 },
        params: { text: "@Mira's coat; (@mira) waves; write to mira@example.com; @Miranda stays." },
      },
      { id: 's1', type: 'shot', position: { x: 400, y: 0 }, params: { duration: 4 } },
    ],
    edges: [{ source: 'prompt', sourcePort: 'text', target: 's1', targetPort: 'prompt' }],
  } as unknown as Graph;
  loadDocument(graphToCanvas(g), 'film.json');
}

const file = () => canvasToGraph(useDocument.getState()) as Graph & { sequences: Graph[] };
const cast = () => castOf(useDocument.getState().extra);

beforeEach(start);

describe('cast edits', () => {
  it('a rename respells every mention a run reads, in one undo step', () => {
    const before = JSON.stringify(file());
    expect(renameMember(0, 'Mara')).toBe(true);
    expect(cast()[0]!.name).toBe('Mara');
    expect(file().nodes.find((n) => n.id === 'prompt')!.params.text).toBe(
      "@Mara's coat; (@Mara) waves; write to mira@example.com; @Miranda stays.",
    );
    expect(file().sequences[0]!.nodes[0]!.params.text).toBe('Inside: @Mara walks.');
    undo();
    expect(JSON.stringify(file())).toBe(before);
    redo();
    expect(cast()[0]!.name).toBe('Mara');
  });

  it('a name the graph refuses, or one the cast has, is not taken', () => {
    addMember('prop');
    expect(cast().map((m) => m.name)).toEqual(['Mira', 'Prop']);
    expect(renameMember(1, 'image1')).toBe(false);
    expect(renameMember(1, 'MIRA')).toBe(false);
    expect(renameMember(1, '9lives')).toBe(false);
    expect(cast().map((m) => m.name)).toEqual(['Mira', 'Prop']);
  });

  it('images, voice and asset id are edits of the member; undo walks them back one by one', () => {
    addMemberImage(0, 'media/mira-side.png');
    addMemberImage(0, 'media/mira-side.png'); // already there: no step
    setMemberVoice(0, 'media/mira.wav');
    setMemberAssetId(0, 'asset://mi');
    setMemberAssetId(0, 'asset://mira-01'); // typing on: the same step
    expect(cast()[0]).toEqual({
      name: 'Mira',
      kind: 'character',
      images: ['media/mira.png', 'media/mira-side.png'],
      voice: 'media/mira.wav',
      assetId: 'asset://mira-01',
    });
    undo();
    expect(cast()[0]!.assetId).toBeUndefined();
    undo();
    expect(cast()[0]!.voice).toBeUndefined();
    undo();
    expect(cast()[0]!.images).toEqual(['media/mira.png']);
  });

  it('remove takes the member out; undo puts it back where it was', () => {
    addMember();
    removeMember(0);
    expect(cast().map((m) => m.name)).toEqual(['Character']);
    undo();
    expect(cast().map((m) => m.name)).toEqual(['Mira', 'Character']);
  });
});
