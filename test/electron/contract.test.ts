// Every contract operation, called through the host's dispatch on a real project (a real animatic
// render, real exports): each real answer must parse with the operation's output schema, so the
// schemas the renderer relies on describe what the host really sends. Plus the run bus: a second
// editor attaching mid-run or after the end hears the same run.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host, type Session } from '../../electron/services/host';
import { memoryKeyStore } from '../../electron/services/keys';
import { createWorkspace } from '../../electron/services/workspace';
import { contract, OPERATIONS, type HostMessage, type Operation } from '../../shared/contract';
import type { Graph } from '../../shared/graph/schema';
import { makeSequence } from '../../shared/graph/sequence';

const REPO = path.resolve(import.meta.dirname, '../..');
let root: string;
let host: Host;
const called = new Set<Operation>();

class Editor implements Session {
  messages: HostMessage[] = [];
  send(msg: HostMessage) {
    this.messages.push(msg);
  }
  reportOf(runId: string) {
    return this.messages.find((m) => m.kind === 'run-report' && m.runId === runId);
  }
}
const editor = new Editor();

async function call<O extends Operation>(op: O, input: unknown, session: Session = editor) {
  const r = await host.dispatch(op, input, session);
  if (!r.ok) throw new Error(`${op}: ${JSON.stringify(r.error)}`);
  const parsed = contract[op].output.safeParse(r.output);
  expect(parsed.success, `${op} answered ${JSON.stringify(r.output)}: ${parsed.error?.message}`).toBe(true);
  called.add(op);
  return r.output as never;
}

async function until(cond: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let graph: Graph;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-contract-'));
  cpSync(path.join(REPO, 'graphs/media'), path.join(root, 'media'), { recursive: true });
  graph = JSON.parse(readFileSync(path.join(REPO, 'graphs/three-shot-chain.json'), 'utf8')) as Graph;
  for (const n of graph.nodes)
    if (n.type === 'shot') Object.assign(n.params, { resolution: '480p', duration: 4, provider: 'animatic' });
  writeFileSync(path.join(root, 'chain.json'), JSON.stringify(graph));
  const workspace = createWorkspace({
    root,
    stateDir: path.join(root, '.shotgraph', 'editor'),
    relative: true,
  });
  host = createHost({ workspace, keys: memoryKeyStore(), version: '0.0.0-test' });
});
afterAll(() => {
  host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('every contract operation answers what its schema says', () => {
  it('files, graphs, status, recovery and media', async () => {
    // The editor judges graph URLs with the host's trusted origins, so app.info must carry them.
    process.env.SHOTGRAPH_TRUSTED_MEDIA_ORIGINS = 'http://media.example.test:8080';
    const info = (await call('app.info', {})) as { trustedMediaOrigins: string[] };
    delete process.env.SHOTGRAPH_TRUSTED_MEDIA_ORIGINS;
    expect(info.trustedMediaOrigins).toEqual(['http://media.example.test:8080']);
    await call('files.list', { folder: '' });
    await call('files.createFolder', { parent: '', name: 'sub' });
    await call('graph.open', { path: 'chain.json' });
    await call('graph.save', { path: 'chain.json', graph });
    await call('graph.validate', { path: 'chain.json', graph });
    await call('graph.validate', { path: null, graph });
    const status = (await call('film.status', { path: 'chain.json', graph })) as {
      toRun: string[];
      nodes: Record<string, { state: string }>;
    };
    expect(status.toRun.length).toBe(4);
    await call('film.status', { path: null, graph });
    await call('recent.list', {});
    await call('recovery.save', { path: 'chain.json', graph });
    await call('recovery.list', {});
    await call('recovery.discard', { path: 'chain.json' });
    const png = readFileSync(path.join(REPO, 'graphs/media/harbour-dawn.png'));
    await call('media.import', {
      graphPath: 'chain.json',
      name: 'still.png',
      dataBase64: png.toString('base64'),
    });
    await call('keys.set', { provider: 'seed2', key: `k-${Math.random().toString(36).slice(2)}-test` });
    await call('keys.set', { provider: 'seed2', key: '' });
    await call('app.quitReady', {});
  });

  it('runs, attaches to a run from a second editor, and reads takes and exports', async () => {
    const { runId } = (await call('run.start', { path: 'chain.json', graph })) as { runId: string };
    // A second editor (a reloaded tab) attaches while the run goes on.
    await until(
      () => editor.messages.some((m) => m.kind === 'run-event' && m.event.type === 'node-started'),
      'the first shot to start',
    );
    const late = new Editor();
    const attached = (await call('run.attach', { path: 'chain.json' }, late)) as { runId: string };
    expect(attached.runId).toBe(runId);
    expect(late.messages[0]).toMatchObject({
      kind: 'run-attached',
      runId,
      path: 'chain.json',
      running: true,
    });
    await until(() => !!editor.reportOf(runId), 'the run to end');
    await until(() => !!late.reportOf(runId), 'the late editor to hear the end');
    // Both editors heard the same run: the late one's replay and the live events, in order.
    const events = (e: Editor) =>
      e.messages.flatMap((m) =>
        m.kind === 'run-event' && m.event.type !== 'node-progress' ? [JSON.stringify(m.event)] : [],
      );
    expect(events(late)).toEqual(events(editor));
    expect(editor.reportOf(runId)).toMatchObject({ report: { status: 'succeeded' } });
    // After the end, attaching replays it and ends with its report.
    const after = new Editor();
    expect(await call('run.attach', { runId }, after)).toEqual({ runId, running: false });
    expect(after.messages.at(-1)).toMatchObject({ kind: 'run-report', runId });
    expect(await call('run.attach', { path: 'sub/none.json' }, after)).toEqual({
      runId: null,
      running: false,
    });
    expect(await call('run.cancel', { runId })).toEqual({ cancelled: false });

    const done = (await call('film.status', { path: 'chain.json', graph })) as {
      toRun: string[];
      nodes: Record<string, { outputs: Record<string, string> }>;
    };
    expect(done.toRun).toEqual([]);
    await call('media.poster', { path: done.nodes['shot-1']!.outputs.video });
    await call('takes.list', { path: 'chain.json', nodeId: 'shot-2' });
    await call('takes.new', { path: 'chain.json', nodeId: 'shot-2' });
    await call('takes.setActive', { path: 'chain.json', nodeId: 'shot-2', take: 1 });
    // A gate on shot 2 (as the inspector saves it), then the card's Approve button.
    const saved = JSON.parse(readFileSync(path.join(root, 'chain.json'), 'utf8')) as Graph;
    saved.nodes.find((n) => n.id === 'shot-2')!.needsApproval = true;
    writeFileSync(path.join(root, 'chain.json'), JSON.stringify(saved));
    expect(await call('takes.approve', { path: 'chain.json', nodeId: 'shot-2' })).toEqual({ take: 1 });
    const approved = JSON.parse(readFileSync(path.join(root, 'chain.json'), 'utf8')) as Graph;
    expect(approved.nodes.find((n) => n.id === 'shot-2')!.approved).toEqual({ take: 1 });
    await call('export.otio', { path: 'chain.json', graph });
    await call('export.storyboard', { path: 'chain.json', graph, format: 'png' });
  });

  it('inputs, Run with… values, templates, sequences and a batch (issue 13)', async () => {
    const withInput = {
      ...graph,
      inputs: [{ name: 'keeper', node: 'prompt-3', field: 'text' }],
    } as Graph;
    const keeper = String(graph.nodes.find((n) => n.id === 'prompt-3')!.params.text);
    const listed = (await call('inputs.list', { graph: withInput })) as { inputs: unknown[] };
    expect(listed.inputs).toEqual([
      { name: 'keeper', node: 'prompt-3', field: 'text', type: 'text', default: keeper },
    ]);
    // A changed input makes shot-3 (which reads it) and the cut stale, nothing else.
    const changed = (await call('film.status', {
      path: 'chain.json',
      graph: withInput,
      values: { keeper: 'The keeper waves at a passing boat.' },
    })) as { toRun: string[] };
    expect(changed.toRun.sort()).toEqual(['final-cut', 'shot-3']);
    const unknown = await host.dispatch(
      'run.start',
      { path: 'chain.json', graph: withInput, values: { nobody: 'x' } },
      editor,
    );
    expect(unknown).toMatchObject({ ok: false, error: { message: expect.stringContaining('"nobody"') } });

    process.env.SHOTGRAPH_TEMPLATES_DIR = path.join(root, 'my-templates');
    try {
      writeFileSync(path.join(root, 'chain.json'), JSON.stringify(withInput));
      expect(await call('templates.save', { path: 'chain.json', name: 'Keeper chain' })).toEqual({
        name: 'keeper-chain',
      });
      const { templates } = (await call('templates.list', {})) as { templates: { name: string }[] };
      expect(templates.find((t) => t.name === 'keeper-chain')).toMatchObject({
        title: 'Keeper chain',
        inputs: ['keeper'],
        user: true,
      });
      const made = (await call('templates.create', { name: 'keeper-chain', folder: 'from-template' })) as {
        path: string;
      };
      expect(made.path).toBe('from-template/film.json');
      await call('graph.validate', { path: made.path, graph: withInput });
    } finally {
      delete process.env.SHOTGRAPH_TEMPLATES_DIR;
    }

    const seq = (await call('sequence.make', {
      graph: withInput,
      nodeIds: ['prompt-3', 'shot-3'],
      name: 'Close-up',
    })) as { graph: Graph & { sequences: { inputs: { name: string }[] }[] }; instanceId: string };
    expect(seq.instanceId).toBe('close-up');
    expect(seq.graph.nodes.map((n) => n.id)).not.toContain('shot-3');
    expect(seq.graph.sequences[0]!.inputs.map((i) => i.name)).toEqual(['shot-3.first_frame', 'keeper']);
    // The film input moved with its node: it now sets the instance's value, and still changes shot-3.
    expect(seq.graph.inputs).toEqual([{ name: 'keeper', node: 'close-up', field: 'values.keeper' }]);
    const grouped = (await call('film.status', {
      path: 'chain.json',
      graph: seq.graph,
      values: { keeper: 'The keeper waves at a passing boat.' },
    })) as { toRun: string[] };
    expect(grouped.toRun.sort()).toEqual(['close-up/shot-3', 'final-cut']);

    // A library sequence is read for the editor with its media named as the film names them.
    const lib = {
      ...seq.graph.sequences[0]!,
      nodes: [{ id: 'still', type: 'image', params: { file: '../media/a.png' } }],
    };
    mkdirSync(path.join(root, 'lib'), { recursive: true });
    writeFileSync(path.join(root, 'lib', 'close-up.sequence.json'), JSON.stringify(lib));
    const read = (await call('sequence.read', {
      path: 'chain.json',
      sequence: 'lib/close-up.sequence.json',
    })) as {
      definition: { nodes: { params: { file?: string } }[] };
    };
    expect(read.definition.nodes[0]!.params.file).toBe('media/a.png');
    for (const [ref, message] of <[string, string][]>[
      ['lib/none.sequence.json', 'was not found'],
      ['../outside.sequence.json', 'outside'],
      ['close-up', 'not a sequence file'],
    ])
      expect(
        await host.dispatch('sequence.read', { path: 'chain.json', sequence: ref }, editor),
      ).toMatchObject({ ok: false, error: { message: expect.stringContaining(message) } });

    // One row that changes nothing: every shot is cached, the row's film lands in the out folder.
    const batch = (await call('batch.start', {
      path: 'chain.json',
      graph: withInput,
      csv: `keeper\n"${keeper}"\n`,
      outDir: 'batch-out',
    })) as { batchId: string; rows: { name: string }[] };
    expect(batch.rows.map((r) => r.name)).toEqual(['row-1']);
    await until(() => editor.messages.some((m) => m.kind === 'batch-end'), 'the batch to end');
    expect(editor.messages.find((m) => m.kind === 'batch-row')).toMatchObject({
      report: { status: 'succeeded', submissions: 0, output: 'batch-out/row-1.mp4' },
    });
    expect(await call('batch.cancel', { batchId: batch.batchId })).toEqual({ cancelled: false });
  });

  it('a cancelled run ends cancelled for every editor attached to it', async () => {
    const changed = structuredClone(graph);
    changed.nodes.find((n) => n.id === 'prompt-1')!.params.text = 'Another dusk, another lighthouse.';
    const { runId } = (await call('run.start', { path: 'chain.json', graph: changed })) as { runId: string };
    const other = new Editor();
    await call('run.attach', { runId }, other);
    expect((await call('run.cancel', { runId })) as unknown).toEqual({ cancelled: true });
    await until(() => !!other.reportOf(runId), 'the cancelled run to end');
    expect(other.reportOf(runId)).toMatchObject({ report: { status: 'cancelled' } });
  });

  it('a film whose rendered nodes became a sequence validates clean and has nothing to run', async () => {
    const made = makeSequence(graph, ['prompt-1', 'shot-1'], 'Opening');
    expect(await call('graph.validate', { path: 'chain.json', graph: made.graph })).toEqual({ problems: [] });
    const status = (await call('film.status', { path: 'chain.json', graph: made.graph })) as {
      toRun: string[];
      nodes: Record<string, { state: string }>;
    };
    expect(status.toRun).toEqual([]);
    expect(status.nodes['opening/shot-1']?.state).toBe('cached');
    // A library file outside the project is refused by the host's check, naming the instance.
    const outside = structuredClone(made.graph);
    outside.sequences = [];
    outside.nodes.find((n) => n.id === 'opening')!.params.sequence = '../x.sequence.json';
    const refused = (await call('graph.validate', { path: 'chain.json', graph: outside })) as {
      problems: { nodeId?: string; field?: string }[];
    };
    expect(refused.problems).toEqual([expect.objectContaining({ nodeId: 'opening', field: 'sequence' })]);
  });

  it('called every operation of the contract', () => {
    expect(OPERATIONS.filter((op) => !called.has(op))).toEqual([]);
  });

  it('refuses what is not a gateway as a key name, and unknown operations', async () => {
    for (const provider of ['__proto__', 'constructor', 'animatic', 'ARK_API_KEY']) {
      const r = await host.dispatch('keys.set', { provider, key: 'x' }, editor);
      expect(r).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    }
    expect(await host.dispatch('__proto__', {}, editor)).toMatchObject({
      ok: false,
      error: { code: 'op.unknown' },
    });
  });

  it('never echoes a stored key in an error, whatever the error says', async () => {
    const key = `sk-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    expect(await host.dispatch('keys.set', { provider: 'xingchao', key }, editor)).toMatchObject({
      ok: true,
    });
    const r = await host.dispatch('graph.open', { path: `films/${key}.json` }, editor);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(key);
    expect(JSON.stringify(r)).toContain('***');
    await host.dispatch('keys.set', { provider: 'xingchao', key: '' }, editor);
  });
});
