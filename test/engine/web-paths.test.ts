// Web mode's operations and the project-path rule: `run.start` never writes outside its root folder
// (a graph's output is refused for what it is, naming node and field) and reports the real output
// path; `graph.save` refuses a graph larger than the command line would open. Driven through the
// host's dispatch, exactly as the WebSocket hands it frames.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { createHost, type Host } from '../../electron/services/host';
import { memoryKeyStore } from '../../electron/services/keys';
import { createWorkspace } from '../../electron/services/workspace';
import type { HostMessage, RunReportSummary } from '../../shared/contract';
import { MAX_GRAPH_BYTES } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import { makeCorpusMedia, MEDIA_DIR } from '../corpus/make-media';

let tmp: string;
let root: string;
let host: Host;

beforeAll(async () => {
  await makeCorpusMedia();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-web-paths-'));
  root = path.join(tmp, 'root');
  await mkdir(path.join(root, 'films'), { recursive: true });
  await cp(MEDIA_DIR, path.join(root, 'films', 'media'), { recursive: true });
  await writeFile(path.join(tmp, 'sentinel.mp4'), 'outside the root: must stay as it is');
  const workspace = createWorkspace({
    root,
    stateDir: path.join(root, '.shotgraph', 'editor'),
    relative: true,
  });
  // No gateway key: shots render with the offline animatic.
  for (const k of Object.keys(process.env)) if (/_API_KEY$/.test(k)) delete process.env[k];
  host = createHost({ workspace, keys: memoryKeyStore(), version: 'test' });
});
afterAll(async () => {
  host?.close();
  await rm(tmp, { recursive: true, force: true });
});

function film(output?: string): Graph {
  return {
    format: 'shotgraph',
    version: 2,
    name: 'Harbour',
    nodes: [
      { id: 'p1', type: 'prompt', params: { text: 'A harbour at dawn' } },
      { id: 's1', type: 'shot', params: { duration: 4, ratio: '16:9', resolution: '480p' } },
      { id: 'cut', type: 'final_cut', params: output ? { output } : {} },
    ],
    edges: [
      { source: 'p1', sourcePort: 'text', target: 's1', targetPort: 'prompt' },
      { source: 's1', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 0 },
    ],
  };
}

/** run.start, then the run's report as the editor receives it. */
async function runFilm(graph: Graph): Promise<RunReportSummary> {
  let settle!: (r: RunReportSummary) => void;
  const report = new Promise<RunReportSummary>((resolve) => (settle = resolve));
  const session = {
    send: (m: HostMessage) => {
      if (m.kind === 'run-report') settle(m.report);
    },
  };
  const started = await host.dispatch('run.start', { path: 'films/harbour.json', graph }, session);
  expect(started.ok, JSON.stringify(started)).toBe(true);
  return report;
}

describe('web mode and the project-path rule', () => {
  it.each(['../../sentinel.mp4', '/tmp/escape-from-web-mode.mp4', '../outside.mp4'])(
    'run.start refuses the output %s and writes nothing outside the root',
    async (output) => {
      const before = await readdir(tmp);
      const report = await runFilm(film(output));
      expect(report.status).toBe('invalid');
      expect(report.problems).toContainEqual(
        expect.objectContaining({ code: 'output.outside', nodeId: 'cut', field: 'output' }),
      );
      expect(await readdir(tmp)).toEqual(before);
      expect(existsSync('/tmp/escape-from-web-mode.mp4')).toBe(false);
    },
  );

  it('run.start writes an output inside the project and reports its real path', async () => {
    const report = await runFilm(film('cuts/harbour-cut.mp4'));
    expect(report.status, JSON.stringify(report.problems)).toBe('succeeded');
    expect(report.output).toBe('films/cuts/harbour-cut.mp4');
    const info = await probeMedia(path.join(root, 'films', 'cuts', 'harbour-cut.mp4'));
    expect(info.video?.codec).toBe('h264');
    expect(info.durationSec).toBeGreaterThan(3.5);
  }, 300_000);

  it('graph.save refuses a graph larger than the command line opens, and writes nothing', async () => {
    const graph = film();
    graph.nodes[0]!.params.text = 'x'.repeat(MAX_GRAPH_BYTES + 1);
    const saved = await host.dispatch('graph.save', { path: 'films/huge.json', graph }, { send: () => {} });
    expect(saved.ok).toBe(false);
    expect(!saved.ok && saved.error.code).toBe('graph.too-large');
    expect(!saved.ok && saved.error.message).toContain('at most 20 MiB');
    expect(existsSync(path.join(root, 'films', 'huge.json'))).toBe(false);
    const small = await host.dispatch(
      'graph.save',
      { path: 'films/small.json', graph: film() },
      { send: () => {} },
    );
    expect(small.ok).toBe(true);
  });
});
