// Text → Graph: every refusal is a Problem with a clear message, and old files migrate forward.
import { describe, expect, it } from 'vitest';
import { migrate, MigrationError, MIGRATIONS } from '../../shared/graph/migrate';
import { MAX_GRAPH_BYTES, parseGraphText, parseGraphValue } from '../../shared/graph/parse';
import { GRAPH_VERSION } from '../../shared/graph/schema';

const v1 = {
  format: 'shotgraph',
  version: 1,
  name: 'Film',
  nodes: [
    { id: 'p1', type: 'prompt', params: { text: 'dusk' } },
    { id: 's1', type: 'shot', params: {} },
  ],
  edges: [{ source: 'p1', sourcePort: 'text', target: 's1', targetPort: 'prompt' }],
};

describe('parseGraphText', () => {
  it('parses a v1 file and fills defaults', () => {
    const r = parseGraphText(JSON.stringify({ ...v1, name: undefined }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.graph.name).toBe('Untitled film');
      expect(r.graph.nodes[0]!.params).toEqual({ text: 'dusk' });
    }
  });

  it('refuses a file from a newer version with a clear message, naming both versions', () => {
    const r = parseGraphText(JSON.stringify({ ...v1, version: GRAPH_VERSION + 1 }));
    expect(r).toMatchObject({ ok: false, problems: [{ code: 'file.version', field: 'version' }] });
    if (!r.ok) {
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]!.message).toContain(`version ${GRAPH_VERSION + 1}`);
      expect(r.problems[0]!.message).toContain(`up to version ${GRAPH_VERSION}`);
      expect(r.problems[0]!.message).toMatch(/newer Shotgraph/);
    }
  });

  it.each([
    ['missing', undefined],
    ['a string', '1'],
    ['a fraction', 1.5],
    ['negative', -1],
  ])('refuses a version that is %s', (_label, version) => {
    const r = parseGraphText(JSON.stringify({ ...v1, version }));
    expect(r).toMatchObject({ ok: false, problems: [{ code: 'file.version', field: 'version' }] });
    if (!r.ok) expect(r.problems[0]!.message).toContain('whole number');
  });

  it('refuses malformed JSON, non-objects and foreign formats', () => {
    expect(parseGraphText('{ "format": ')).toMatchObject({ ok: false, problems: [{ code: 'file.json' }] });
    for (const value of [[], 'shotgraph', null, 42]) {
      expect(parseGraphValue(value)).toMatchObject({ ok: false, problems: [{ code: 'file.shape' }] });
    }
    expect(parseGraphText(JSON.stringify({ ...v1, format: 'tldraw' }))).toMatchObject({
      ok: false,
      problems: [{ code: 'file.format', field: 'format' }],
    });
  });

  it('refuses text larger than the limit before parsing it', () => {
    const r = parseGraphText(' '.repeat(MAX_GRAPH_BYTES + 1));
    expect(r).toMatchObject({ ok: false, problems: [{ code: 'file.too-large' }] });
  });

  it('names schema problems by node id and field, all at once', () => {
    const r = parseGraphValue({
      ...v1,
      nodes: [
        { id: 'bad id', type: 'prompt', params: {} },
        { id: 'ok', type: '', params: {} },
      ],
      edges: [{ source: 'ok', sourcePort: 'text', target: 's1' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => [p.nodeId, p.field])).toEqual([
        ['bad id', 'id'],
        ['ok', 'type'],
        ['s1', 'edges[0].targetPort'],
      ]);
      expect(r.problems[2]!.message).toBe(
        'edge ok.text → s1.?: "targetPort" is missing; an edge needs source, sourcePort, target and targetPort',
      );
    }
  });

  it('keeps fields it does not know, on the graph and on nodes', () => {
    const r = parseGraphValue({
      ...v1,
      futureField: { a: 1 },
      nodes: [{ ...v1.nodes[0], color: 'red' }],
      edges: [],
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect((r.graph as Record<string, unknown>).futureField).toEqual({ a: 1 });
      expect((r.graph.nodes[0] as Record<string, unknown>).color).toBe('red');
    }
  });
});

describe('migrate', () => {
  it('lifts a v0 draft with `links` to `edges` (and on to the current version)', () => {
    const { edges, ...rest } = v1;
    const v0 = { ...rest, version: 0, links: edges };
    expect(MIGRATIONS[0]!(v0).version).toBe(1);
    const migrated = migrate(v0);
    expect(migrated.version).toBe(GRAPH_VERSION);
    expect(migrated.edges).toEqual(edges);
    expect(migrated).not.toHaveProperty('links');
    const r = parseGraphValue(v0);
    expect(r.ok && r.graph.edges).toEqual(edges);
  });

  it('gives a v0 file without links an empty edge list', () => {
    expect(migrate({ format: 'shotgraph', version: 0, nodes: [] }).edges).toEqual([]);
  });

  it('has a migration for every version below the current one', () => {
    for (let v = 0; v < GRAPH_VERSION; v++) expect(MIGRATIONS[v]).toBeTypeOf('function');
  });

  it('lifts a v1 file to v2 unchanged but for its version: it opens with no inputs', () => {
    expect(GRAPH_VERSION).toBe(2);
    expect(migrate({ ...v1 })).toEqual({ ...v1, version: 2 });
    const r = parseGraphValue(v1);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.graph.version).toBe(2);
      expect(r.graph.inputs).toBeUndefined();
      expect(r.graph.edges).toEqual(v1.edges);
    }
  });

  it('reads an "inputs" key written into a v1 file by hand as inputs', () => {
    const inputs = [{ name: 'mood', node: 'p1', field: 'text' }];
    const r = parseGraphValue({ ...v1, inputs });
    expect(r.ok && r.graph.inputs).toEqual(inputs);
  });

  it('reads a v2 file with inputs, and names a bad declaration by its input name', () => {
    const inputs = [{ name: 'mood', node: 'p1', field: 'text', default: 'dusk' }];
    const r = parseGraphValue({ ...v1, version: 2, inputs });
    expect(r.ok && r.graph.inputs).toEqual(inputs);
    const bad = parseGraphValue({ ...v1, version: 2, inputs: [{ name: 'mood', node: 'p1', field: 'a=b' }] });
    expect(bad).toMatchObject({
      ok: false,
      problems: [{ code: 'schema', nodeId: 'p1', field: 'inputs[0].field' }],
    });
    if (!bad.ok) expect(bad.problems[0]!.message).toMatch(/^input "mood": must be a param name/);
    const badName = parseGraphValue({
      ...v1,
      version: 2,
      inputs: [{ name: 'a=b', node: 'p1', field: 'text' }],
    });
    expect(badName).toMatchObject({ ok: false, problems: [{ field: 'inputs[0].name' }] });
  });

  it('leaves a current file alone and throws MigrationError for a newer one', () => {
    const v2 = { ...v1, version: 2 };
    expect(migrate({ ...v2 })).toEqual(v2);
    expect(() => migrate({ ...v1, version: 99 })).toThrow(MigrationError);
  });
});
