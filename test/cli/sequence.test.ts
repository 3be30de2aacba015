// Issue 13 §4 through the CLI against the mock Ark gateway: three rendered shots turned into a
// sequence render with 0 creates and the very same film, kept in the film or in a library file;
// a library file outside the project, or a broken one, is refused before any create.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../electron/engine/run-report';
import type { Graph } from '../../shared/graph/schema';
import { createFromTemplate, listTemplates, saveAsTemplate } from '../../electron/engine/templates';
import { makeSequenceFor, withInstanceInputs } from '../../electron/services/sequences';
import { makeSequence } from '../../shared/graph/sequence';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { arkMockEnv, copySamples, runCli } from '../helpers/cli';

const KEY = 'ark-sequence-test-3f8a1c9e5b7d2046';
let gw: MockGateway;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 30, runningMs: 80, apiKey: KEY });
  env = arkMockEnv(gw.url, KEY);
});
afterAll(() => gw?.close());

const creates = () => gw.stats().creates;
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Graph;
const write = (file: string, g: unknown) => writeFileSync(file, JSON.stringify(g, null, 2));

/** Renders on the mock Ark with `extra` arguments (e.g. --set); the run report, exit code and stderr. */
async function render(
  file: string,
  out: string,
  extra: string[] = [],
): Promise<RunReport & { code: number | null; stderr: string }> {
  const reportFile = path.join(path.dirname(file), `r-${Math.random().toString(36).slice(2)}.json`);
  const res = await runCli(
    ['render', file, '--provider', 'ark', ...extra, '--out', out, '--report', reportFile],
    { env },
  );
  return Object.assign(JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport, {
    code: res.code,
    stderr: res.stderr,
  });
}

describe('turning rendered shots into a sequence never pays again (mock Ark)', () => {
  let dir: string;
  let file: string;
  let film: string;
  const SHOTS = ['prompt-1', 'prompt-2', 'prompt-3', 'shot-1', 'shot-2', 'shot-3'];

  beforeAll(async () => {
    dir = copySamples('shotgraph-sequence-');
    file = path.join(dir, 'three-shot-chain.json');
    const g = read(file);
    for (const n of g.nodes)
      if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4 });
    write(file, g);
    const before = creates();
    const first = await render(file, path.join(dir, 'film-a.mp4'));
    expect(first.status, first.stderr).toBe('succeeded');
    expect(creates() - before).toBe(3);
    film = sha(path.join(dir, 'film-a.mp4'));
  });

  it('three shots made into a sequence in the film: 0 creates, the same film', async () => {
    const seqFile = path.join(dir, 'as-sequence.json');
    write(seqFile, makeSequence(read(file), SHOTS, 'Lighthouse').graph);
    const validate = await runCli(['validate', seqFile], { env });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('valid (7 nodes)');
    const before = creates();
    const r = await render(seqFile, path.join(dir, 'film-b.mp4'));
    expect(r.status, r.stderr).toBe('succeeded');
    expect(creates()).toBe(before);
    expect(r.submissions).toBe(0);
    expect(r.nodes['lighthouse/shot-2']?.cached).toBe(true);
    expect(sha(path.join(dir, 'film-b.mp4'))).toBe(film);
  });

  it('the same sequence from a library file beside its own media: 0 creates, the same film', async () => {
    const made = makeSequence(read(file), SHOTS, 'Lighthouse');
    const def = made.graph.sequences![0] as { id: string };
    mkdirSync(path.join(dir, 'library'), { recursive: true });
    write(path.join(dir, 'library', 'lighthouse.sequence.json'), def);
    const g = { ...made.graph, sequences: [] };
    g.nodes.find((n) => n.id === made.instanceId)!.params.sequence = 'library/lighthouse.sequence.json';
    const libFile = path.join(dir, 'from-library.json');
    write(libFile, g);
    const before = creates();
    const r = await render(libFile, path.join(dir, 'film-c.mp4'));
    expect(r.status, r.stderr).toBe('succeeded');
    expect(creates()).toBe(before);
    expect(sha(path.join(dir, 'film-c.mp4'))).toBe(film);
  });

  it('a frozen shot keeps what it kept once it sits in a sequence', async () => {
    const frozenFile = path.join(dir, 'frozen.json');
    const g = read(file);
    const shot3 = g.nodes.find((n) => n.id === 'shot-3')!;
    shot3.frozen = true;
    g.nodes.find((n) => n.id === 'prompt-3')!.params.text = 'A different close-up, never to be made.';
    write(frozenFile, g);
    const before = creates();
    const plain = await render(frozenFile, path.join(dir, 'film-e.mp4'));
    expect(plain.status, plain.stderr).toBe('succeeded');
    expect(creates()).toBe(before);
    write(frozenFile, makeSequence(g, SHOTS, 'Lighthouse').graph);
    const grouped = await render(frozenFile, path.join(dir, 'film-f.mp4'));
    expect(grouped.status, grouped.stderr).toBe('succeeded');
    expect(creates()).toBe(before);
    expect(sha(path.join(dir, 'film-f.mp4'))).toBe(film);
  });

  it('a value input set on the instance re-makes the shot it reaches and the ones after it', async () => {
    const made = makeSequence(read(file), SHOTS, 'Lighthouse');
    const def = made.graph.sequences![0] as { inputs: unknown[] };
    def.inputs.push({ name: 'door', node: 'prompt-2', field: 'text' });
    made.graph.nodes.find((n) => n.id === made.instanceId)!.params.values = {
      door: 'The keeper opens the door and waves at a passing boat.',
    };
    const valueFile = path.join(dir, 'with-value.json');
    write(valueFile, made.graph);
    const before = creates();
    const r = await render(valueFile, path.join(dir, 'film-d.mp4'));
    expect(r.status, r.stderr).toBe('succeeded');
    expect(creates() - before).toBe(2);
    expect(r.nodes['lighthouse/shot-1']?.cached).toBe(true);
    // The mock returns one clip whatever the prompt, so the cut is re-made but not told apart by bytes.
    expect(r.nodes['final-cut']?.cached).toBe(false);
  });

  it('Make sequence keeps a film input on a moved prompt: --set of it re-makes 2 shots, as before grouping', async () => {
    const g = { ...read(file), inputs: [{ name: 'door', node: 'prompt-2', field: 'text' }] } as Graph;
    // The editor's Make sequence, through the host's own functions.
    const made = withInstanceInputs(g, SHOTS, makeSequenceFor(g, SHOTS, 'Lighthouse'));
    expect(made.graph.inputs).toEqual([{ name: 'door', node: 'lighthouse', field: 'values.door' }]);
    const inputFile = path.join(dir, 'with-input.json');
    write(inputFile, made.graph);
    const listed = await runCli(['inputs', inputFile], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/door\s+text/);
    const validate = await runCli(['validate', inputFile], { env });
    expect(validate.code, validate.stderr).toBe(0);
    const before = creates();
    const r = await render(inputFile, path.join(dir, 'film-g.mp4'), [
      '--set',
      'door=The keeper opens the door and lets the cat in.',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(creates() - before).toBe(2);
    expect(r.nodes['lighthouse/shot-1']?.cached).toBe(true);
    expect(r.nodes['lighthouse/shot-2']?.cached).toBe(false);
    // The film file itself is unchanged: the value was the run's, not the film's.
    expect(read(inputFile).nodes.find((n) => n.id === 'lighthouse')!.params.values).toEqual({});
  });

  it('a film input on a library sequence’s value: listed, typed by the file, and --set re-makes 2 shots', async () => {
    const made = makeSequence(read(file), SHOTS, 'Lighthouse');
    const def = made.graph.sequences![0] as { inputs: unknown[] };
    def.inputs.push({ name: 'door', node: 'prompt-2', field: 'text' });
    mkdirSync(path.join(dir, 'library'), { recursive: true });
    write(path.join(dir, 'library', 'keeper.sequence.json'), def);
    const g = {
      ...made.graph,
      sequences: [],
      inputs: [{ name: 'door', node: made.instanceId, field: 'values.door' }],
    } as Graph;
    g.nodes.find((n) => n.id === made.instanceId)!.params.sequence = 'library/keeper.sequence.json';
    const libFile = path.join(dir, 'library-input.json');
    write(libFile, g);
    const listed = await runCli(['inputs', libFile, '--json'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const prompt2 = read(file).nodes.find((n) => n.id === 'prompt-2')!.params.text;
    expect(JSON.parse(listed.stdout)).toMatchObject({
      inputs: [{ name: 'door', type: 'text', value: prompt2 }],
      problems: [],
    });
    const wrong = await runCli(['estimate', libFile, '--set', 'nobody=x'], { env });
    expect(wrong.code).toBe(1);
    const before = creates();
    const r = await render(libFile, path.join(dir, 'film-h.mp4'), [
      '--set',
      'door=The keeper opens the door to a stranger.',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(creates() - before).toBe(2);
    expect(r.nodes['lighthouse/shot-1']?.cached).toBe(true);
  });

  it('a template whose input sets a library sequence’s value lists it typed, not broken', async () => {
    const made = makeSequence(read(file), SHOTS, 'Lighthouse');
    const def = made.graph.sequences![0] as { inputs: unknown[] };
    def.inputs.push({ name: 'door', node: 'prompt-2', field: 'text' });
    const tpl = path.join(dir, 'my-templates', 'keeper');
    mkdirSync(path.join(tpl, 'library'), { recursive: true });
    write(path.join(tpl, 'library', 'keeper.sequence.json'), def);
    const g = {
      ...made.graph,
      sequences: [],
      inputs: [{ name: 'door', node: made.instanceId, field: 'values.door' }],
    } as Graph;
    g.nodes.find((n) => n.id === made.instanceId)!.params.sequence = 'library/keeper.sequence.json';
    write(path.join(tpl, 'film.json'), g);
    write(path.join(tpl, 'template.json'), { title: 'Keeper' });
    const listed = await listTemplates({ builtinDir: path.join(dir, 'none'), userDir: path.dirname(tpl) });
    const keeper = listed.find((t) => t.name === 'keeper');
    expect(keeper?.problems).toBeUndefined();
    expect(keeper?.inputs).toMatchObject([{ name: 'door', type: 'text' }]);
  });

  it('Save as template and a new project from it carry the sequences’ library files and media', async () => {
    // A film sequence holding a still, and a library sequence (in its own folder) holding another.
    const project = path.join(dir, 'tpl-src');
    mkdirSync(path.join(project, 'media'), { recursive: true });
    mkdirSync(path.join(project, 'library'), { recursive: true });
    for (const f of ['harbour-dawn.png', 'set-design.png'])
      writeFileSync(path.join(project, 'media', f), readFileSync(path.join(dir, 'media', f)));
    const still = (id: string, file: string) => ({ id, type: 'image', params: { file } });
    const lib = {
      id: 'set',
      nodes: [still('img', '../media/set-design.png')],
      outputs: [{ name: 'image', node: 'img', port: 'image' }],
    };
    write(path.join(project, 'library', 'set.sequence.json'), lib);
    const g = {
      format: 'shotgraph',
      version: 2,
      name: 'Stills',
      nodes: [
        { id: 'own', type: 'sequence', params: { sequence: 'harbour' } },
        { id: 'shared', type: 'sequence', params: { sequence: 'library/set.sequence.json' } },
        { id: 'p', type: 'prompt', params: { text: 'The harbour at dawn, then the set.' } },
        { id: 's', type: 'shot', params: { provider: 'animatic', duration: 4 } },
      ],
      edges: [
        { source: 'p', sourcePort: 'text', target: 's', targetPort: 'prompt' },
        { source: 'own', sourcePort: 'image', target: 's', targetPort: 'reference_images', order: 0 },
        { source: 'shared', sourcePort: 'image', target: 's', targetPort: 'reference_images', order: 1 },
      ],
      sequences: [
        {
          id: 'harbour',
          nodes: [still('img', 'media/harbour-dawn.png')],
          outputs: [{ name: 'image', node: 'img', port: 'image' }],
        },
      ],
    };
    write(path.join(project, 'film.json'), g);
    const ok = await runCli(['validate', path.join(project, 'film.json')], { env });
    expect(ok.code, ok.stderr).toBe(0);
    const userDir = path.join(dir, 'tpl-user');
    const opts = { userDir, builtinDir: path.join(dir, 'none') };
    await saveAsTemplate(path.join(project, 'film.json'), 'stills', opts);
    for (const f of ['library/set.sequence.json', 'media/set-design.png', 'media/harbour-dawn.png'])
      expect(existsSync(path.join(userDir, 'stills', f)), f).toBe(true);
    const made = await createFromTemplate('stills', path.join(dir, 'from-stills'), opts);
    const res = await runCli(['validate', made.graphPath], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(sha(path.join(dir, 'from-stills', 'media', 'set-design.png'))).toBe(
      sha(path.join(project, 'media', 'set-design.png')),
    );
    // A library file that cannot be read refuses the template, naming the instance: the copy would not open.
    writeFileSync(path.join(project, 'library', 'set.sequence.json'), '{"id": ');
    await expect(saveAsTemplate(path.join(project, 'film.json'), 'stills-2', opts)).rejects.toThrow(
      /set\.sequence\.json/,
    );
  });

  it('a library file outside the project or a broken one is refused, naming the node, with 0 creates', async () => {
    const made = makeSequence(read(file), SHOTS, 'Lighthouse');
    const g = { ...made.graph, sequences: [] };
    const instance = g.nodes.find((n) => n.id === made.instanceId)!;
    const before = creates();

    instance.params.sequence = '../elsewhere/x.sequence.json';
    const outside = path.join(dir, 'outside.json');
    write(outside, g);
    let res = await runCli(['render', outside, '--provider', 'ark'], { env });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/node "lighthouse", field "sequence": .*\.\.\/elsewhere\/x\.sequence\.json/);

    writeFileSync(path.join(dir, 'broken.sequence.json'), '{"id": "x", "nodes": [');
    instance.params.sequence = 'broken.sequence.json';
    write(outside, g);
    res = await runCli(['validate', outside], { env });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'node "lighthouse", field "sequence": "broken.sequence.json" is not a readable sequence file',
    );
    res = await runCli(['estimate', outside, '--provider', 'ark'], { env });
    expect(res.code).toBe(1);
    expect(creates()).toBe(before);
  });
});
