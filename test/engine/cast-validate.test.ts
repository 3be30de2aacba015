// The cast's files are hostile input like any media node's: checked on disk before anything runs,
// each problem naming the member's field, and a film with a problem in its cast is never run.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { validateGraph } from '../../electron/engine/validate';
import { parseGraphText } from '../../shared/graph/parse';
import { copySamples } from '../helpers/cli';

function load(dir: string) {
  const parsed = parseGraphText(readFileSync(path.join(dir, 'cast-film.json'), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.graph;
}

describe('the cast on disk', () => {
  it('a garbage image and a missing voice are named by member and field', async () => {
    const dir = copySamples('shotgraph-cast-validate-');
    writeFileSync(path.join(dir, 'media/character-sheet.png'), 'not a png at all');
    const graph = load(dir);
    graph.cast![1]!.voice = 'media/harbour-sounds.wav';
    const problems = await validateGraph(graph, dir);
    const cast = problems.filter((p) => p.field?.startsWith('cast['));
    expect(cast.map((p) => p.field).sort()).toEqual(['cast[0].images[0]', 'cast[1].voice']);
    const image = cast.find((p) => p.field === 'cast[0].images[0]')!;
    expect(image.nodeId).toBeUndefined();
    expect(image.message).toMatch(/^@Mira: "media\/character-sheet\.png" is not a decodable image/);
    expect(cast.find((p) => p.field === 'cast[1].voice')!.message).toMatch(/^@Harbour: /);
  });

  it('a run of a film whose prompt names someone not in the cast is refused before any shot', async () => {
    const dir = copySamples('shotgraph-cast-refused-');
    const graph = load(dir);
    graph.nodes.find((n) => n.id === 'prompt-5')!.params.text = 'Close-up: @Mirra smiles.';
    const report = await runGraph({
      graphPath: path.join(dir, 'cast-film.json'),
      graph,
      provider: 'animatic',
      env: {},
    });
    expect(report.status).toBe('invalid');
    expect(report.submissions).toBe(0);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'cast.unknown', nodeId: 'shot-5', field: 'prompt' }),
    );
  });
});
