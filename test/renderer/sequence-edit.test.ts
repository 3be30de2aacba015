// Editing around sequences (issue 13): deleting a node takes the inputs that point at it in the same
// undo step; wires to and from an instance's ports are judged by the shared rules on the film as it
// flattens; a library sequence opens read-only, and the film file stays what it was.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseGraphValue } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { makeSequence, type SequenceLibrary } from '../../shared/graph/sequence';
import { connect, deleteSelection, setParam } from '../../renderer/actions/nodes';
import { canvasToGraph, graphToCanvas } from '../../renderer/model/convert';
import { wireRefusal } from '../../renderer/model/connect';
import { composeGraph, enter, leave, localCopy } from '../../renderer/model/scope';
import { copyIntoFilm } from '../../renderer/actions/sequence-scope';
import { loadDocument, redo, setScope, undo, useDocument } from '../../renderer/stores/document';
import { setLibraryEntry, useLibrary } from '../../renderer/stores/library';

function chain(): Graph {
  const raw = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../graphs/three-shot-chain.json'), 'utf8'),
  );
  const parsed = parseGraphValue(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.graph;
}

/** The film with shot-2 and its prompt made into the sequence "keeper", and film inputs on both. */
function film(): Graph {
  const made = makeSequence(chain(), ['prompt-2', 'shot-2'], 'Keeper');
  const def = made.graph.sequences![0] as { inputs: unknown[] };
  def.inputs.push({ name: 'line', node: 'prompt-2', field: 'text' });
  return {
    ...made.graph,
    inputs: [
      { name: 'opening', node: 'prompt-1', field: 'text' },
      { name: 'line', node: 'keeper', field: 'values.line' },
      { name: 'length', node: 'shot-3', field: 'duration' },
    ],
  } as Graph;
}

const content = () => composeGraph(useDocument.getState());
const select = (...ids: string[]) =>
  useDocument.setState((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: ids.includes(n.id) })) }));

beforeEach(() => {
  loadDocument(graphToCanvas(film()), 'film.json');
  useLibrary.setState({ film: null, entries: new Map() });
});

describe('deleting a node takes the film inputs that point at it', () => {
  it('in one undo step, restored by undo and dropped again by redo', () => {
    const before = content();
    const depth = useDocument.getState().past.length;
    select('prompt-1', 'keeper');
    deleteSelection();
    expect(useDocument.getState().past.length).toBe(depth + 1);
    expect(content().inputs).toEqual([{ name: 'length', node: 'shot-3', field: 'duration' }]);
    undo();
    expect(content()).toEqual(before);
    redo();
    expect(content().inputs!.map((i) => i.name)).toEqual(['length']);
  });

  it('a node no input points at leaves the inputs as they were', () => {
    select('shot-1');
    deleteSelection();
    expect(content().inputs!.map((i) => i.name)).toEqual(['opening', 'line', 'length']);
  });

  it('inside a sequence: its inputs and outputs on the node go, with the wires and values that used them', () => {
    const g = film();
    g.nodes.find((n) => n.id === 'keeper')!.params.values = { line: 'A line of its own.' };
    loadDocument(graphToCanvas(g), 'film.json');
    const inside = enter(useDocument.getState(), 'keeper');
    if (typeof inside === 'string') throw new Error(inside);
    setScope(inside);
    const before = content();
    select('prompt-2');
    deleteSelection();
    const after = content() as Graph & { sequences: { inputs: { name: string }[] }[] };
    // prompt-2 fed shot-2 inside; the film's own wire into the keeper stays (it lands on shot-2).
    expect(after.sequences[0]!.inputs.map((i) => i.name)).toEqual(['shot-2.first_frame']);
    expect(after.nodes.find((n) => n.id === 'keeper')!.params.values).toEqual({});
    expect(after.inputs!.map((i) => i.name)).toEqual(['opening', 'length']);
    select('shot-2');
    deleteSelection();
    const empty = content() as Graph & { sequences: { inputs: unknown[]; outputs: unknown[] }[] };
    expect(empty.sequences[0]).toMatchObject({ inputs: [], outputs: [] });
    expect(empty.edges.some((e) => e.source === 'keeper' || e.target === 'keeper')).toBe(false);
    undo();
    undo();
    expect(content()).toEqual(before);
  });
});

describe('wires to and from a sequence instance’s ports', () => {
  const ctx = () => ({ sequences: film().sequences as unknown[] });
  const state = () => useDocument.getState();

  it('a port of the right type takes a wire; the wrong type is refused by the shared rule', () => {
    // The keeper's output "shot-2.last_frame" is an image: a shot's last frame takes it, its prompt does not.
    const ok = {
      source: 'keeper',
      sourcePort: 'shot-2.last_frame',
      target: 'shot-3',
      targetPort: 'last_frame',
    };
    expect(wireRefusal(state().nodes, state().edges, ok, ctx())).toBeUndefined();
    const wrong = {
      source: 'keeper',
      sourcePort: 'shot-2.last_frame',
      target: 'shot-3',
      targetPort: 'prompt',
    };
    expect(wireRefusal(state().nodes, state().edges, wrong, ctx())).toBe('prompt takes text, not image');
    // Into the instance: its "shot-2.first_frame" is taken already (shot-1's last frame), one is all it takes.
    const taken = {
      source: 'shot-3',
      sourcePort: 'last_frame',
      target: 'keeper',
      targetPort: 'shot-2.first_frame',
    };
    expect(wireRefusal(state().nodes, state().edges, taken, ctx())).toMatch(/takes one/);
    const unknown = { source: 'keeper', sourcePort: 'nothing', target: 'shot-3', targetPort: 'prompt' };
    expect(wireRefusal(state().nodes, state().edges, unknown, ctx())).toMatch(/no output "nothing"/);
  });

  it('a wire the film file holds out of an instance is typed by the inner port it leaves', () => {
    const types = new Map(state().edges.map((e) => [`${e.source}.${e.sourceHandle}`, e.data?.portType]));
    expect(types.get('keeper.shot-2.last_frame')).toBe('image');
    expect(types.get('keeper.shot-2.video')).toBe('video');
  });

  it('drawn through the store: one undo step, typed by the port it leaves', () => {
    const wire = {
      source: 'keeper',
      sourcePort: 'shot-2.last_frame',
      target: 'shot-3',
      targetPort: 'last_frame',
    };
    // shot-3 already has a first frame: a last frame beside it is fine for the shared mode rules.
    expect(connect(wire)).toBe(true);
    const drawn = state().edges.find((e) => e.source === 'keeper' && e.targetHandle === 'last_frame');
    expect(drawn?.data?.portType).toBe('image');
    expect(content().edges).toContainEqual(
      expect.objectContaining({ source: 'keeper', sourcePort: 'shot-2.last_frame', target: 'shot-3' }),
    );
    undo();
    expect(state().edges.some((e) => e.source === 'keeper' && e.targetHandle === 'last_frame')).toBe(false);
  });

  it('an unread library instance is refused until the host has read it, then judged the same way', () => {
    const g = film();
    const def = g.sequences![0];
    g.sequences = [];
    g.nodes.find((n) => n.id === 'keeper')!.params.sequence = 'lib/keeper.sequence.json';
    loadDocument(graphToCanvas(g), 'film.json');
    const wire = {
      source: 'keeper',
      sourcePort: 'shot-2.last_frame',
      target: 'shot-3',
      targetPort: 'last_frame',
    };
    expect(wireRefusal(state().nodes, state().edges, wire, {})).toMatch(/has not been read/);
    const library: SequenceLibrary = new Map([['lib/keeper.sequence.json', { ok: true, value: def }]]);
    expect(wireRefusal(state().nodes, state().edges, wire, { library })).toBeUndefined();
    const wrong = { ...wire, sourcePort: 'shot-2.video' };
    expect(wireRefusal(state().nodes, state().edges, wrong, { library })).toBe(
      'last frame takes image, not video',
    );
  });
});

describe('a library sequence opens read-only', () => {
  function libraryFilm() {
    const g = film();
    const def = g.sequences![0];
    g.sequences = [];
    g.nodes.find((n) => n.id === 'keeper')!.params.sequence = 'lib/keeper.sequence.json';
    loadDocument(graphToCanvas(g), 'film.json');
    return { g, def };
  }

  it('shows its nodes once read, and says why not before', () => {
    const { def } = libraryFilm();
    expect(enter(useDocument.getState(), 'keeper')).toMatch(/has not been read/);
    const broken: SequenceLibrary = new Map([['lib/keeper.sequence.json', { ok: false, message: 'gone' }]]);
    expect(enter(useDocument.getState(), 'keeper', broken)).toBe('gone');
    const library: SequenceLibrary = new Map([['lib/keeper.sequence.json', { ok: true, value: def }]]);
    const inside = enter(useDocument.getState(), 'keeper', library);
    if (typeof inside === 'string') throw new Error(inside);
    expect(inside.nodes.map((n) => n.id).sort()).toEqual(['prompt-2', 'shot-2']);
    expect(inside.scope.library).toBe('lib/keeper.sequence.json');
  });

  it('Copy into this film: this instance gets its own editable copy, one undo step; the file is untouched', () => {
    const { def } = libraryFilm();
    // A nested library reference inside the file is re-named relative to the film in the copy.
    const nested = structuredClone(def) as { nodes: Graph['nodes'] };
    nested.nodes.push({ id: 'inner', type: 'sequence', params: { sequence: 'beat.sequence.json' } });
    setLibraryEntry('film.json', 'lib/keeper.sequence.json', { ok: true, value: nested });
    const film = content();
    const inside = enter(useDocument.getState(), 'keeper', useLibrary.getState().entries);
    if (typeof inside === 'string') throw new Error(inside);
    setScope(inside);
    vi.stubGlobal('requestAnimationFrame', () => 0);
    try {
      copyIntoFilm();
    } finally {
      vi.unstubAllGlobals();
    }
    // Now inside the film's own copy, editable: the edit lands in the film file.
    expect(useDocument.getState().scope).toMatchObject({ instance: 'keeper', sequence: 'keeper' });
    expect(useDocument.getState().scope?.library).toBeUndefined();
    setParam('prompt-2', 'text', 'Only in this film');
    const after = content() as Graph & { sequences: { id: string; nodes: Graph['nodes'] }[] };
    expect(after.nodes.find((n) => n.id === 'keeper')!.params.sequence).toBe('keeper');
    expect(after.sequences[0]!.nodes.find((n) => n.id === 'prompt-2')!.params.text).toBe('Only in this film');
    expect(after.sequences[0]!.nodes.find((n) => n.id === 'inner')!.params.sequence).toBe(
      'lib/beat.sequence.json',
    );
    undo(); // the text
    undo(); // the copy
    expect(content()).toEqual(film);
    // A second copy never takes an id the film already has.
    const twice = localCopy(
      { nodes: graphToCanvas(after).nodes, extra: { sequences: after.sequences } },
      'keeper',
      'lib/keeper.sequence.json',
      def,
    );
    if (typeof twice === 'string') throw new Error(twice);
    expect(twice.sequence).toBe('keeper-2');
    expect(localCopy({ nodes: [], extra: {} }, 'keeper', 'lib/x.sequence.json', { id: 'x' })).toMatch(
      /not a sequence file/,
    );
  });

  it('refuses edits inside, and the film file is the film whatever the canvas shows', () => {
    const { g, def } = libraryFilm();
    const film = canvasToGraph(useDocument.getState());
    setLibraryEntry('film.json', 'lib/keeper.sequence.json', { ok: true, value: def });
    const inside = enter(useDocument.getState(), 'keeper', useLibrary.getState().entries);
    if (typeof inside === 'string') throw new Error(inside);
    setScope(inside);
    const depth = useDocument.getState().past.length;
    setParam('prompt-2', 'text', 'Changed in one film only');
    select('shot-2');
    deleteSelection();
    expect(useDocument.getState().past.length).toBe(depth);
    expect(
      useDocument
        .getState()
        .nodes.map((n) => n.id)
        .sort(),
    ).toEqual(['prompt-2', 'shot-2']);
    expect(composeGraph(useDocument.getState())).toEqual(film);
    const back = leave(useDocument.getState());
    expect(back.nodes.map((n) => n.id)).toEqual(graphToCanvas(g).nodes.map((n) => n.id));
  });
});
