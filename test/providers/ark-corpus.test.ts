// Issue 3 acceptance: every broken graph in the corpus, rendered with the Ark provider against the
// mock, is refused before any call reaches the gateway — not a create, not a list, nothing.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { BROKEN_FILES, copyCase } from '../corpus/corpus';
import { makeCorpusMedia } from '../corpus/make-media';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { tempDir, TEST_KEY } from './helpers';

let gw: MockGateway;
let tmp: string;
beforeAll(async () => {
  await makeCorpusMedia();
  gw = await startMockGateway({ kind: 'ark', apiKey: TEST_KEY });
  tmp = await tempDir('shotgraph-ark-corpus-');
});
afterAll(async () => {
  await gw?.close();
  await rm(tmp, { recursive: true, force: true });
});

const env = () => ({ ...process.env, ARK_BASE_URL: gw.url, ARK_API_KEY: TEST_KEY });

describe('broken graphs never reach the gateway', () => {
  // The engine entry the CLI calls, in-process: cheap enough to run the whole corpus.
  it.each(BROKEN_FILES)('%s: refused with 0 calls', async (file) => {
    const graphPath = await copyCase(file, path.join(tmp, file.replace(/\.json$/, '')));
    const before = gw.stats().requests;
    const report = await runGraph({
      graphPath,
      provider: 'ark',
      env: env(),
      out: path.join(tmp, `${file}.mp4`),
    });
    expect(report.status).toBe('invalid');
    expect(report.submissions).toBe(0);
    expect(gw.stats().requests).toBe(before);
  });

  // And through the real command for a few of them, as a user would meet it.
  it.each(['cycle.json', 'mode-mixed.json', 'media-missing.json'])(
    '%s: the CLI exits 1 with 0 calls',
    async (file) => {
      const graphPath = await copyCase(file, path.join(tmp, `cli-${file.replace(/\.json$/, '')}`));
      const before = gw.stats().requests;
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            path.resolve(import.meta.dirname, '../../bin/shotgraph.js'),
            'render',
            graphPath,
            '--provider',
            'ark',
          ],
          {
            env: env(),
            stdio: 'ignore',
          },
        );
        child.on('error', reject);
        child.on('close', resolve);
      });
      expect(code).toBe(1);
      expect(gw.stats().requests).toBe(before);
      expect(gw.stats().creates).toBe(0);
    },
  );
});
