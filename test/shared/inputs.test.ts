// A film's exposed inputs: what each is (from the registry) and how values are put into the graph,
// each refusal naming the input, its node and its field.
import { describe, expect, it } from 'vitest';
import { applyInputs, inputProblems, listInputs, nameInputsInProblems } from '../../shared/graph/inputs';
import { parseGraphValue } from '../../shared/graph/parse';
import type { FilmInputDecl, Graph } from '../../shared/graph/schema';
import { validateStructure } from '../../shared/validate/structure';

function film(inputs: FilmInputDecl[]): Graph {
  const r = parseGraphValue({
    format: 'shotgraph',
    version: 2,
    name: 'Ad',
    inputs,
    nodes: [
      { id: 'p1', type: 'prompt', params: { text: 'a bottle on a rock' } },
      { id: 'img', type: 'image', params: { file: 'media/bottle.png', sha256: 'a'.repeat(64) } },
      { id: 's1', type: 'shot', label: 'Hero', params: { duration: 5, ratio: '16:9' } },
      { id: 'cut', type: 'final_cut', params: {} },
    ],
    edges: [
      { source: 'p1', sourcePort: 'text', target: 's1', targetPort: 'prompt' },
      { source: 'img', sourcePort: 'image', target: 's1', targetPort: 'first_frame' },
      { source: 's1', sourcePort: 'video', target: 'cut', targetPort: 'clips' },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

const ALL: FilmInputDecl[] = [
  { name: 'product', node: 'p1', field: 'text', description: 'What the ad shows' },
  { name: 'photo', node: 'img', field: 'file' },
  { name: 'length', node: 's1', field: 'duration' },
  { name: 'ratio', node: 's1', field: 'ratio', default: '9:16' },
  { name: 'seed', node: 's1', field: 'seed' },
  { name: 'audio', node: 's1', field: 'generate_audio' },
  { name: 'music', node: 'cut', field: 'music.file' },
  { name: 'loudness', node: 'cut', field: 'loudness.target_lufs' },
];

describe('listInputs', () => {
  it('derives type, value, default and allowed values from the node registry', () => {
    const inputs = listInputs(film(ALL));
    const by = Object.fromEntries(inputs.map((i) => [i.name, i]));
    expect(inputs.map((i) => i.name)).toEqual(ALL.map((d) => d.name));
    expect(by.product).toEqual({
      name: 'product',
      description: 'What the ad shows',
      node: 'p1',
      field: 'text',
      type: 'text',
      value: 'a bottle on a rock',
      default: 'a bottle on a rock',
    });
    expect(by.photo).toMatchObject({ type: 'image', value: 'media/bottle.png' });
    expect(by.length).toMatchObject({ type: 'choice', value: 5, nodeLabel: 'Hero' });
    expect(by.length!.allowed).toEqual(['auto', 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(by.ratio).toMatchObject({ type: 'choice', value: '16:9', default: '9:16' });
    expect(by.ratio!.allowed).toContain('21:9');
    expect(by.seed).toMatchObject({ type: 'number', value: -1, min: -1, max: 2147483647, integer: true });
    expect(by.audio).toMatchObject({ type: 'boolean', value: true });
    expect(by.music).toMatchObject({ type: 'audio', node: 'cut', field: 'music.file' });
    expect(by.music).not.toHaveProperty('value');
    expect(by.loudness).toMatchObject({ type: 'number', value: -14, min: -30, max: -5 });
  });

  it('is empty for a film without inputs (a v1 file)', () => {
    expect(listInputs(film([]))).toEqual([]);
    const { inputs: _, ...g } = film([]);
    expect(listInputs(g as Graph)).toEqual([]);
  });
});

describe('applyInputs', () => {
  it('sets each value into its node, typed, and leaves the rest alone', () => {
    const g = film(ALL);
    const { graph, problems } = applyInputs(g, {
      product: 'a red bottle on ice',
      length: '8',
      ratio: '9:16',
      seed: '42',
      audio: 'no',
      music: 'media/track.wav',
      loudness: '-16',
    });
    expect(problems).toEqual([]);
    const params = (id: string) => graph.nodes.find((n) => n.id === id)!.params;
    expect(params('p1')).toEqual({ text: 'a red bottle on ice' });
    expect(params('s1')).toMatchObject({ duration: 8, ratio: '9:16', seed: 42, generate_audio: false });
    expect(params('cut').music).toEqual({ file: 'media/track.wav' });
    expect(params('cut').loudness).toMatchObject({ target_lufs: -16 });
    expect(params('img')).toEqual({ file: 'media/bottle.png', sha256: 'a'.repeat(64) });
    // The input graph is not changed.
    expect(g.nodes.find((n) => n.id === 'p1')!.params).toEqual({ text: 'a bottle on a rock' });
    expect(validateStructure(graph)).toEqual([]);
  });

  it('drops the recorded hash when a media input names another file', () => {
    const { graph, problems } = applyInputs(film(ALL), { photo: 'media/other.png' });
    expect(problems).toEqual([]);
    expect(graph.nodes.find((n) => n.id === 'img')!.params).toEqual({ file: 'media/other.png' });
    const same = applyInputs(film(ALL), { photo: 'media/bottle.png' });
    expect(same.graph.nodes.find((n) => n.id === 'img')!.params.sha256).toBe('a'.repeat(64));
  });

  it('accepts "auto" for a duration, as the shot would', () => {
    const { graph, problems } = applyInputs(film(ALL), { length: 'auto' });
    expect(problems).toEqual([]);
    expect(graph.nodes.find((n) => n.id === 's1')!.params.duration).toBe('auto');
  });

  it.each([
    ['length', '16', /^input "length": must be one of auto, 4–15, not "16"$/],
    ['ratio', '2:1', /^input "ratio": must be one of 16:9, .*adaptive, not "2:1"$/],
    ['seed', 'seven', /^input "seed": must be a whole number from -1 to 2147483647, not "seven"$/],
    ['seed', '1.5', /^input "seed": must be a whole number from -1 to 2147483647, not "1.5"$/],
    ['seed', '99999999999', /^input "seed": must be a whole number from -1 to 2147483647/],
    ['audio', 'maybe', /^input "audio": must be true or false, not "maybe"$/],
    ['loudness', '0', /^input "loudness": must be a number from -30 to -5, not "0"$/],
    ['photo', ' ', /^input "photo": must name a image file$/],
    ['product', 'x'.repeat(9000), /^input "product": .*8000/],
  ])('refuses %s=%.20s, naming the input, node and field', (name, value, message) => {
    const decl = ALL.find((d) => d.name === name)!;
    const { problems } = applyInputs(film(ALL), { [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'input.value', nodeId: decl.node, field: decl.field });
    expect(problems[0]!.message).toMatch(message);
  });

  it('names the inputs there are when asked for one there is not', () => {
    const { problems } = applyInputs(film(ALL.slice(0, 2)), { prodcut: 'x' });
    expect(problems).toEqual([
      {
        code: 'input.unknown',
        field: 'inputs',
        message: `no input named "prodcut"; this film's inputs are product, photo`,
      },
    ]);
    expect(applyInputs(film([]), { a: '1' }).problems[0]!.message).toContain('this film has no inputs');
  });

  it('never echoes a huge value or name back whole', () => {
    const { problems } = applyInputs(film(ALL), { ['n'.repeat(100_000)]: '1', seed: '9'.repeat(100_000) });
    for (const p of problems) expect(p.message.length).toBeLessThan(300);
  });
});

describe('inputProblems (checked with the rest of the graph)', () => {
  const problems = (decls: FilmInputDecl[]) =>
    validateStructure(film(decls)).filter((p) => p.code.startsWith('input.'));

  it('finds nothing wrong with good declarations', () => {
    expect(problems(ALL)).toEqual([]);
    expect(inputProblems(film(ALL))).toEqual([]);
  });

  it.each<[string, FilmInputDecl[], object, RegExp]>([
    [
      'an unknown node',
      [{ name: 'x', node: 'nope', field: 'text' }],
      { code: 'input.node', nodeId: 'nope' },
      /^input "x": no node "nope"/,
    ],
    [
      'an unknown field',
      [{ name: 'x', node: 's1', field: 'colour' }],
      { code: 'input.field', nodeId: 's1', field: 'colour' },
      /^input "x": a shot node has no field "colour"; its fields are provider, model, duration/,
    ],
    [
      'a field that is not one value',
      [{ name: 'x', node: 'cut', field: 'transitions' }],
      { code: 'input.field', field: 'transitions' },
      /not a single value/,
    ],
    [
      'a media hash',
      [{ name: 'x', node: 'img', field: 'sha256' }],
      { code: 'input.field' },
      /expose the file instead/,
    ],
    [
      'two inputs with one name',
      [
        { name: 'x', node: 'p1', field: 'text' },
        { name: 'x', node: 's1', field: 'seed' },
      ],
      { code: 'input.duplicate', nodeId: 's1' },
      /^input "x": two inputs share this name/,
    ],
    [
      'two inputs on one field',
      [
        { name: 'a', node: 'p1', field: 'text' },
        { name: 'b', node: 'p1', field: 'text' },
      ],
      { code: 'input.duplicate', nodeId: 'p1', field: 'text' },
      /^input "b": input "a" already sets this field/,
    ],
    [
      'a default the field refuses',
      [{ name: 'len', node: 's1', field: 'duration', default: 20 }],
      { code: 'input.default', nodeId: 's1', field: 'duration' },
      /^input "len": its default must be one of auto/,
    ],
  ])('reports %s', (_label, decls, shape, message) => {
    const found = problems(decls);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(shape);
    expect(found[0]!.message).toMatch(message);
  });

  it('leaves a broken declaration out of listInputs and does not apply it', () => {
    const g = film([{ name: 'x', node: 's1', field: 'colour' }]);
    expect(listInputs(g)).toEqual([]);
    const { problems: found } = applyInputs(g, { x: 'red' });
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe('input.field');
  });
});

describe('nameInputsInProblems', () => {
  it('adds the input to a later problem about a field it set', () => {
    const g = film(ALL);
    const named = nameInputsInProblems(
      g,
      [
        { code: 'media.missing', nodeId: 'img', field: 'file', message: 'no such file' },
        { code: 'media.missing', nodeId: 'cut', field: 'music', message: 'no such file' },
        { code: 'other', nodeId: 's1', field: 'seed', message: 'unrelated' },
      ],
      ['photo', 'music'],
    );
    expect(named.map((p) => p.message)).toEqual([
      'no such file (input "photo")',
      'no such file (input "music")',
      'unrelated',
    ]);
  });
});
