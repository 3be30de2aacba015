// The broken-graph corpus through the real `shotgraph` command: `validate` and `render` must both
// exit 1, name the node and field on stderr, and render nothing. Each case runs in its own copy
// so a stray cache folder or film would be seen, not mixed up with another case's.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { BROKEN_FILES, copyCase, EXPECTATIONS, VALID_FILES, type Expectation } from '../corpus/corpus';
import { makeCorpusMedia } from '../corpus/make-media';

let tmp: string;
beforeAll(async () => {
  await makeCorpusMedia();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-corpus-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The CLI's `node "<id>", field "<field>":` prefix for a problem (graph-level problems say "graph"). */
function where(want: Expectation): string {
  const parts = [want.nodeId ? `node "${want.nodeId}"` : 'graph', want.field ? `field "${want.field}"` : ''];
  return parts.filter(Boolean).join(', ') + ':';
}

/** Every .mp4 under dir except the corpus media: a rendered clip or film would show up here. */
function renderedVideos(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.mp4') && !f.startsWith(`media${path.sep}`),
  );
}

// No provider key (spawn drops undefined values): a refusal must come from validation, never a gateway.
const env = { ARK_API_KEY: undefined };

describe('shotgraph CLI on the broken-graph corpus', () => {
  // One `validate` over every case (one process instead of one per file), split per graph.
  const reports = new Map<string, string>();
  let batch: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    const paths = await Promise.all(
      BROKEN_FILES.map((file) => copyCase(file, path.join(tmp, 'validate', file.replace(/\.json$/, '')))),
    );
    batch = await runCli(['validate', ...paths], { cwd: tmp, env });
    const sections = batch.stderr.split(/^(?=\S.*: \d+ problems?; nothing was rendered)/m);
    BROKEN_FILES.forEach((file, i) =>
      reports.set(file, sections.find((s) => s.startsWith(`${paths[i]}:`)) ?? ''),
    );
  });

  it('validate exits 1 and reports every broken graph', () => {
    expect(batch.code).toBe(1);
    expect(batch.stderr).toContain(`${BROKEN_FILES.length} of ${BROKEN_FILES.length} graphs have problems.`);
  });

  it.each(BROKEN_FILES)('%s: validate and render both refuse it, naming node and field', async (file) => {
    const want = EXPECTATIONS[file]!;
    const report = reports.get(file)!;
    expect(report, batch.stderr).toContain(where(want));
    expect(report).toContain(want.mentions);

    const dir = path.join(tmp, file.replace(/\.json$/, ''));
    const graphPath = await copyCase(file, dir);
    const out = path.join(dir, 'x.mp4');
    const render = await runCli(['render', graphPath, '--out', out], { cwd: dir, env });
    expect(render.code, render.stderr).toBe(1);
    expect(render.stderr).toContain(where(want));
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(dir, '.shotgraph', 'cache'))).toBe(false);
    expect(renderedVideos(dir)).toEqual([]);
  });

  it('validate exits 0 on the valid graphs', async () => {
    const paths = await Promise.all(
      VALID_FILES.map((file) => copyCase(file, path.join(tmp, 'valid', file.replace(/\.json$/, '')))),
    );
    const validate = await runCli(['validate', ...paths], { cwd: tmp, env });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout.match(/: valid \(/g)).toHaveLength(VALID_FILES.length);
  });
});
