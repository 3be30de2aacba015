// Sequences (issue 13 §4): flattening gives plain nodes whose keys equal the ones they had before
// they were grouped, and hostile definitions are refused with the instance and the field named.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyInputs, inputProblems, listInputs } from '../../shared/graph/inputs';
import { nodeKeys } from '../../shared/graph/node-keys';
import { parseGraphValue } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import {
  filmLibraryRefs,
  flattenSequences,
  libraryEntryRefs,
  makeSequence,
  MAX_SEQUENCE_DEPTH,
  rebasePath,
  sequencePorts,
  type DefPorts,
  type SequenceLibrary,
} from '../../shared/graph/sequence';
import { validateStructure } from '../../shared/validate/structure';

const REPO = path.resolve(import.meta.dirname, '../..');
const hash = (t: string) => createHash('sha256').update(t).digest('hex');
const facts = {
  providerOf: (n: { type: string }) => (n.type === 'shot' ? 'animatic' : undefined),
  fileHash: () => 'f',
};

function chain(): Graph {
  const parsed = parseGraphValue(
    JSON.parse(readFileSync(path.join(REPO, 'graphs/three-shot-chain.json'), 'utf8')),
  );
  if (!parsed.ok) throw new Error('sample does not parse');
  return parsed.graph;
}

function keysById(g: Graph): Record<string, string> {
  return Object.fromEntries(nodeKeys(g, facts, hash));
}

function flat(g: Graph, library?: SequenceLibrary): Graph {
  const r = flattenSequences(g, library);
  expect(r.problems).toEqual([]);
  return r.graph;
}

/** A film with one instance of an inline definition, for the hostile cases. */
function film(
  def: unknown,
  params: Record<string, unknown> = { sequence: 'beat' },
  extra: Partial<Graph> = {},
): Graph {
  return {
    format: 'shotgraph',
    version: 1,
    name: 'x',
    nodes: [{ id: 'inst', type: 'sequence', params }],
    edges: [],
    sequences: [def],
    ...extra,
  } as Graph;
}

const beat = {
  id: 'beat',
  name: 'Beat',
  nodes: [
    { id: 'p', type: 'prompt', params: { text: 'hello' } },
    { id: 's', type: 'shot', params: { duration: 4 } },
  ],
  edges: [{ source: 'p', sourcePort: 'text', target: 's', targetPort: 'prompt' }],
  inputs: [
    { name: 'line', node: 'p', field: 'text' },
    { name: 'start', node: 's', port: 'first_frame' },
  ],
  outputs: [{ name: 'clip', node: 's', port: 'video' }],
};

describe('makeSequence and flattenSequences', () => {
  it('a film without sequences comes back as it is', () => {
    const g = chain();
    expect(flattenSequences(g).graph).toBe(g);
  });

  it('three shots turned into a sequence keep every key, and the film still validates', () => {
    const g = chain();
    const before = keysById(g);
    const made = makeSequence(
      g,
      ['prompt-1', 'prompt-2', 'prompt-3', 'shot-1', 'shot-2', 'shot-3'],
      'Lighthouse',
    );
    expect(made.graph.nodes.map((n) => n.id)).toEqual(['lighthouse', 'final-cut']);
    expect(made.graph.edges).toHaveLength(3);
    // The saved file is a valid graph.
    const reparsed = parseGraphValue(JSON.parse(JSON.stringify(made.graph)));
    expect(reparsed.ok).toBe(true);
    const f = flat(made.graph);
    expect(validateStructure(f)).toEqual([]);
    const after = keysById(f);
    for (const [id, key] of Object.entries(before)) {
      const flatId = id === 'final-cut' ? id : `lighthouse/${id}`;
      expect(after[flatId], id).toBe(key);
    }
    expect(Object.keys(after)).toHaveLength(Object.keys(before).length);
  });

  it('a partial selection makes inputs and outputs for every crossing wire, keys unchanged', () => {
    const g = chain();
    const before = keysById(g);
    const made = makeSequence(g, ['prompt-2', 'shot-2'], 'Middle');
    const def = made.graph.sequences![0] as { inputs: unknown[]; outputs: unknown[] };
    expect(def.inputs).toEqual([{ name: 'shot-2.first_frame', node: 'shot-2', port: 'first_frame' }]);
    expect(def.outputs).toEqual([
      { name: 'shot-2.last_frame', node: 'shot-2', port: 'last_frame' },
      { name: 'shot-2.video', node: 'shot-2', port: 'video' },
    ]);
    const after = keysById(flat(made.graph));
    expect(after['middle/shot-2']).toBe(before['shot-2']);
    expect(after['shot-3']).toBe(before['shot-3']);
    expect(after['final-cut']).toBe(before['final-cut']);
    // A second sequence of the same name gets its own ids.
    const again = makeSequence(made.graph, ['shot-3'], 'Middle');
    expect(again.instanceId).toBe('middle-2');
    expect(again.sequenceId).toBe('middle-2');
    expect(keysById(flat(again.graph))['middle-2/shot-3']).toBe(before['shot-3']);
  });

  it('the order of a multi-input port survives when only some of its wires cross', () => {
    const g = chain();
    const before = keysById(g);
    // The final cut inside, shot-2 outside: its clips come from both sides of the boundary.
    const made = makeSequence(g, ['shot-1', 'shot-3', 'final-cut', 'prompt-1', 'prompt-3'], 'Edges');
    expect(keysById(flat(made.graph))['edges/final-cut']).toBe(before['final-cut']);
  });

  it('two instances of one definition with different values differ only where the value reaches', () => {
    const g = film(beat, { sequence: 'beat', values: { line: 'one' } });
    g.nodes.push({ id: 'inst2', type: 'sequence', params: { sequence: 'beat', values: { line: 'two' } } });
    g.nodes.push({ id: 'inst3', type: 'sequence', params: { sequence: 'beat', values: { line: 'one' } } });
    g.edges.push({ source: 'inst', sourcePort: 'clip', target: 'cut', targetPort: 'clips' });
    g.nodes.push({ id: 'cut', type: 'final_cut', params: {} });
    const f = flat(g);
    expect(f.nodes.map((n) => n.id)).toEqual([
      'inst/p',
      'inst/s',
      'inst2/p',
      'inst2/s',
      'inst3/p',
      'inst3/s',
      'cut',
    ]);
    expect(f.edges).toContainEqual({
      source: 'inst/s',
      sourcePort: 'video',
      target: 'cut',
      targetPort: 'clips',
    });
    const k = keysById(f);
    expect(k['inst/s']).toBe(k['inst3/s']);
    expect(k['inst/s']).not.toBe(k['inst2/s']);
    // The definition itself is untouched.
    expect((g.sequences![0] as typeof beat).nodes[0]!.params.text).toBe('hello');
  });

  it('nested sequences and library files flatten with paths relative to the library file', () => {
    const lib = {
      id: 'opening',
      nodes: [
        { id: 'still', type: 'image', params: { file: 'media/still.png' } },
        {
          id: 'inner',
          type: 'sequence',
          params: { sequence: 'deeper/beat.sequence.json', values: { line: 'hi' } },
        },
      ],
      edges: [{ source: 'still', sourcePort: 'image', target: 'inner', targetPort: 'start' }],
      inputs: [{ name: 'words', node: 'inner', field: 'line' }],
      outputs: [{ name: 'clip', node: 'inner', port: 'clip' }],
    };
    const g = film(null, { sequence: 'lib/opening.sequence.json', values: { words: 'ahoy' } });
    g.sequences = [];
    expect(filmLibraryRefs(g)).toEqual(['lib/opening.sequence.json']);
    expect(libraryEntryRefs('lib/opening.sequence.json', lib)).toEqual(['lib/deeper/beat.sequence.json']);
    const library: SequenceLibrary = new Map([
      ['lib/opening.sequence.json', { ok: true, value: lib }],
      ['lib/deeper/beat.sequence.json', { ok: true, value: beat }],
    ]);
    const f = flat(g, library);
    expect(f.nodes.map((n) => [n.id, n.params.file ?? n.params.text])).toEqual([
      ['inst/still', 'lib/media/still.png'],
      ['inst/inner/p', 'ahoy'],
      ['inst/inner/s', undefined],
    ]);
    expect(f.edges).toContainEqual({
      source: 'inst/still',
      sourcePort: 'image',
      target: 'inst/inner/s',
      targetPort: 'first_frame',
    });
  });

  it('rebasePath keeps URLs and climbs out with ..', () => {
    expect(rebasePath('a/b/x.sequence.json', '../m.png')).toBe('a/m.png');
    expect(rebasePath('x.sequence.json', '../m.png')).toBe('../m.png');
    expect(rebasePath('a\\x.sequence.json', 'm\\n.png')).toBe('a/m/n.png');
    expect(rebasePath('a/x.sequence.json', 'https://e.com/m.png')).toBe('https://e.com/m.png');
  });
});

describe('the pure structure check sees sequences as the engine runs them', () => {
  it('a film of sequences checks clean; an unread library instance is opaque, its wires counted', () => {
    const made = makeSequence(chain(), ['prompt-1', 'shot-1'], 'Opening');
    expect(validateStructure(made.graph)).toEqual([]);
    const g = structuredClone(made.graph);
    g.sequences = [];
    g.nodes.find((n) => n.id === 'opening')!.params.sequence = 'lib/opening.sequence.json';
    // shot-2 needs a prompt; here it comes through the library instance, which the editor cannot read.
    expect(validateStructure(g)).toEqual([]);
    // The engine has read the file: then it is judged like the rest.
    const lib: SequenceLibrary = new Map([['lib/opening.sequence.json', { ok: false, message: 'gone' }]]);
    expect(flattenSequences(g, lib).problems[0]).toMatchObject({ nodeId: 'opening', message: 'gone' });
  });

  it('problems inside an instance name the flattened node; a bad definition names the instance', () => {
    expect(validateStructure(film(beat, { sequence: 'beat' }))).toEqual([]);
    const noPrompt = film({ ...beat, edges: [] }, { sequence: 'beat' });
    expect(validateStructure(noPrompt)).toEqual([
      expect.objectContaining({ code: 'shot.empty', nodeId: 'inst/s' }),
    ]);
    expect(validateStructure(film(beat, { sequence: 'nope' }))[0]).toMatchObject({
      code: 'sequence.missing',
      nodeId: 'inst',
    });
  });
});

describe('a film input on a sequence instance’s value', () => {
  function film2(): Graph {
    const made = makeSequence(chain(), ['prompt-1', 'prompt-2', 'shot-1', 'shot-2'], 'Pair');
    const def = made.graph.sequences![0] as { inputs: unknown[] };
    def.inputs.push(
      { name: 'door', node: 'prompt-2', field: 'text' },
      { name: 'len', node: 'shot-1', field: 'duration' },
    );
    return {
      ...made.graph,
      version: 2,
      inputs: [
        { name: 'door', node: 'pair', field: 'values.door' },
        { name: 'length', node: 'pair', field: 'values.len' },
      ],
    } as Graph;
  }

  it('is typed by the inner field it reaches, and set per instance', () => {
    const g = film2();
    expect(inputProblems(g)).toEqual([]);
    const listed = listInputs(g);
    expect(listed.map((i) => [i.name, i.type, i.value])).toEqual([
      ['door', 'text', chain().nodes.find((n) => n.id === 'prompt-2')!.params.text],
      ['length', 'choice', 5],
    ]);
    const before = keysById(flat(g));
    const applied = applyInputs(g, { door: 'The keeper opens the door.' });
    expect(applied.problems).toEqual([]);
    expect(applied.graph.nodes.find((n) => n.id === 'pair')!.params.values).toEqual({
      door: 'The keeper opens the door.',
    });
    const f = flat(applied.graph);
    expect(f.nodes.find((n) => n.id === 'pair/prompt-2')!.params.text).toBe('The keeper opens the door.');
    const after = keysById(f);
    expect(after['pair/shot-1']).toBe(before['pair/shot-1']);
    expect(after['pair/shot-2']).not.toBe(before['pair/shot-2']);
    expect(listInputs(applied.graph)[0]!.value).toBe('The keeper opens the door.');
  });

  it('a value the inner field refuses, or a declaration that reaches nothing, names the input', () => {
    const g = film2();
    expect(applyInputs(g, { length: '99' }).problems).toEqual([
      expect.objectContaining({
        code: 'input.value',
        nodeId: 'pair',
        field: 'values.len',
        message: expect.stringContaining('input "length"'),
      }),
    ]);
    g.inputs!.push(
      { name: 'bad', node: 'pair', field: 'text' },
      { name: 'gone', node: 'pair', field: 'values.gone' },
    );
    expect(inputProblems(g).map((p) => p.message)).toEqual([
      expect.stringContaining('"values.NAME"'),
      expect.stringContaining('no value input "gone"'),
    ]);
  });
});

describe('a film input on an instance’s value, as the engine runs it', () => {
  it('flattening points it at the inner node and field, through nested instances', () => {
    // An inner sequence, then an outer one around its instance; the film input sets the outer value,
    // the outer definition forwards it to the inner instance's value as `values.NAME`.
    const inner = makeSequence(chain(), ['prompt-2', 'shot-2'], 'Inner');
    (inner.graph.sequences![0] as { inputs: unknown[] }).inputs.push({
      name: 'door',
      node: 'prompt-2',
      field: 'text',
    });
    const outer = makeSequence(inner.graph, ['inner', 'prompt-1', 'shot-1'], 'Outer');
    (outer.graph.sequences![1] as { inputs: unknown[] }).inputs.push({
      name: 'door',
      node: 'inner',
      field: 'values.door',
    });
    const g = { ...outer.graph, inputs: [{ name: 'door', node: 'outer', field: 'values.door' }] } as Graph;
    expect(validateStructure(g)).toEqual([]);
    expect(flat(g).inputs).toEqual([{ name: 'door', node: 'outer/inner/prompt-2', field: 'text' }]);
    const applied = applyInputs(g, { door: 'The keeper opens the door.' });
    expect(applied.problems).toEqual([]);
    const f = flat(applied.graph);
    expect(f.nodes.find((n) => n.id === 'outer/inner/prompt-2')!.params.text).toBe(
      'The keeper opens the door.',
    );
    // A definition written with the bare value name (older files) reaches the same field.
    const bare = structuredClone(g);
    (bare.sequences![1] as { inputs: { field?: string }[] }).inputs.at(-1)!.field = 'door';
    expect(flat(bare).inputs).toEqual(flat(g).inputs);
  });

  it('an input on a value the instance does not have is a problem naming the input and the values', () => {
    const made = makeSequence(chain(), ['prompt-2', 'shot-2'], 'Inner');
    (made.graph.sequences![0] as { inputs: unknown[] }).inputs.push({
      name: 'door',
      node: 'prompt-2',
      field: 'text',
    });
    const g = { ...made.graph, inputs: [{ name: 'gone', node: 'inner', field: 'values.gone' }] } as Graph;
    expect(flattenSequences(g).problems).toEqual([
      expect.objectContaining({
        code: 'input.field',
        nodeId: 'inner',
        field: 'values.gone',
        message: expect.stringMatching(/input "gone".*its values are door/),
      }),
    ]);
  });
});

describe('a film input on a library sequence’s value', () => {
  it('is typed from the file the engine read, its media named as the film sees them', () => {
    const lib = {
      id: 'still',
      nodes: [{ id: 'img', type: 'image', params: { file: 'media/a.png' } }],
      inputs: [{ name: 'photo', node: 'img', field: 'file' }],
      outputs: [{ name: 'image', node: 'img', port: 'image' }],
    };
    const g = film(null, { sequence: 'lib/still.sequence.json' }, {
      version: 2,
      inputs: [{ name: 'photo', node: 'inst', field: 'values.photo' }],
    } as Partial<Graph>);
    g.sequences = [];
    expect(inputProblems(g)).toEqual([
      expect.objectContaining({ nodeId: 'inst', message: expect.stringContaining('was not read') }),
    ]);
    const library: SequenceLibrary = new Map([['lib/still.sequence.json', { ok: true, value: lib }]]);
    expect(inputProblems(g, library)).toEqual([]);
    expect(listInputs(g, library)).toMatchObject([
      { name: 'photo', type: 'image', value: 'lib/media/a.png' },
    ]);
    const applied = applyInputs(g, { photo: 'media/b.png' }, library);
    expect(applied.problems).toEqual([]);
    expect(flat(applied.graph, library).nodes[0]!.params.file).toBe('media/b.png');
  });
});

describe('an instance’s ports', () => {
  it('are its wire inputs and outputs, typed by the inner port they reach, through nested instances', () => {
    const inner = makeSequence(chain(), ['prompt-2', 'shot-2'], 'Inner');
    const outer = makeSequence(inner.graph, ['inner', 'shot-1'], 'Outer');
    const defs = outer.graph.sequences as (DefPorts & { id: string })[];
    const lookup = (ref: string) => defs.find((d) => d.id === ref)!;
    const ports = sequencePorts(lookup('outer'), lookup);
    expect(ports.inputs.map((p) => [p.name, p.type, p.multi])).toEqual([
      ['shot-1.prompt', 'text', undefined],
    ]);
    expect(ports.outputs.map((p) => [p.name, p.type])).toEqual([
      ['inner.shot-2.last_frame', 'image'],
      ['shot-1.video', 'video'],
      ['inner.shot-2.video', 'video'],
    ]);
    // Without the nested definition, the ports that lead into it are unknown, never guessed.
    expect(sequencePorts(lookup('outer'), () => undefined).outputs.map((p) => p.name)).toEqual([
      'shot-1.video',
    ]);
  });
});

describe('hostile sequences', () => {
  const problemsOf = (g: Graph, library?: SequenceLibrary) => flattenSequences(g, library).problems;

  it('an unknown id names the instance and lists the film’s sequences', () => {
    expect(problemsOf(film(beat, { sequence: 'nope' }))).toEqual([
      expect.objectContaining({
        nodeId: 'inst',
        field: 'sequence',
        message: expect.stringContaining('"nope"'),
      }),
    ]);
    expect(problemsOf(film(beat, { sequence: 'nope' }))[0]!.message).toContain('its sequences are beat');
  });

  it('a sequence that contains itself, directly or through another, is a cycle', () => {
    const a = { id: 'a', nodes: [{ id: 'x', type: 'sequence', params: { sequence: 'b' } }] };
    const b = { id: 'b', nodes: [{ id: 'y', type: 'sequence', params: { sequence: 'a' } }] };
    const p = problemsOf(film(a, { sequence: 'a' }, { sequences: [a, b] }));
    expect(p).toEqual([
      expect.objectContaining({
        code: 'sequence.cycle',
        nodeId: 'y',
        message: expect.stringContaining('a → b → a'),
      }),
    ]);
  });

  it('nesting deeper than the limit is refused, not followed', () => {
    const defs = Array.from({ length: MAX_SEQUENCE_DEPTH + 2 }, (_, i) => ({
      id: `d${i}`,
      nodes: [{ id: 'n', type: 'sequence', params: { sequence: `d${i + 1}` } }],
    }));
    const p = problemsOf(film(null, { sequence: 'd0' }, { sequences: defs }));
    expect(p[0]).toMatchObject({ code: 'sequence.depth', field: 'sequence' });
  });

  it('an exponential definition is stopped at the node limit', () => {
    // Ten instances of the level below, eight levels deep: 10^8 nodes if followed.
    const defs = Array.from({ length: 8 }, (_, i) => ({
      id: `d${i}`,
      nodes:
        i === 7
          ? [{ id: 'p', type: 'prompt', params: {} }]
          : Array.from({ length: 10 }, (_, j) => ({
              id: `n${j}`,
              type: 'sequence',
              params: { sequence: `d${i + 1}` },
            })),
    }));
    const p = problemsOf(film(null, { sequence: 'd0' }, { sequences: defs }));
    expect(p).toEqual([expect.objectContaining({ code: 'sequence.too-large', field: 'sequence' })]);
  });

  it('a malformed definition, bad values and bad wires name the field', () => {
    expect(problemsOf(film({ id: 'beat', nodes: 'no' }))[0]).toMatchObject({
      nodeId: 'inst',
      field: 'sequence',
      message: expect.stringContaining('sequence "beat", nodes'),
    });
    expect(
      problemsOf(film({ ...beat, inputs: [{ name: 'both', node: 'p', port: 'a', field: 'b' }] }))[0]!.message,
    ).toContain('either a "port"');
    expect(
      problemsOf(film({ ...beat, inputs: [{ name: 'x', node: 'ghost', field: 'text' }] }))[0],
    ).toMatchObject({
      field: 'inputs.x',
      message: expect.stringContaining('no node "ghost"'),
    });
    expect(problemsOf(film(beat, { sequence: 'beat', values: { colour: 'red' } }))[0]).toMatchObject({
      field: 'values.colour',
      message: expect.stringContaining('its value inputs are line'),
    });
    expect(problemsOf(film(beat, { sequence: '' }))[0]).toMatchObject({ field: 'sequence' });
    const wired = film(beat, { sequence: 'beat' });
    wired.nodes.push({ id: 'cut', type: 'final_cut', params: {} });
    wired.edges.push({ source: 'inst', sourcePort: 'nothing', target: 'cut', targetPort: 'clips' });
    expect(problemsOf(wired)[0]).toMatchObject({
      nodeId: 'inst',
      field: 'outputs.nothing',
      message: expect.stringContaining('its outputs are clip'),
    });
    const dup = { ...beat, nodes: [...beat.nodes, beat.nodes[0]] };
    expect(problemsOf(film(dup))[0]!.message).toContain('two nodes with the same id');
  });

  it('a library file that could not be read carries the reader’s message', () => {
    const g = film(null, { sequence: 'lib/x.sequence.json' });
    expect(problemsOf(g)[0]).toMatchObject({
      code: 'sequence.missing',
      message: expect.stringContaining('not read'),
    });
    const lib: SequenceLibrary = new Map([
      ['lib/x.sequence.json', { ok: false, message: '"lib/x.sequence.json" leaves the project' }],
    ]);
    expect(problemsOf(g, lib)[0]!.message).toBe('"lib/x.sequence.json" leaves the project');
  });

  it('makeSequence refuses an empty or unknown selection', () => {
    expect(() => makeSequence(chain(), [], 'x')).toThrow('select at least one node');
    expect(() => makeSequence(chain(), ['ghost'], 'x')).toThrow('node "ghost"');
  });
});
