// Issue 15 acceptance for the gateways that take the chain directly: the three-shot chain as shipped,
// through the real CLI, on the strict Ark mock (one region's model ids, the table's resolutions) and
// the strict inference.sh mock (no status_text, older numbering: 9 = completed): 3 creates each.
// The URL-only gateways run the same chain through the S3 host: test/providers/s3-media-host.test.ts.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../electron/media/probe';
import { CAPABILITIES } from '../../shared/seedance/capabilities';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { GATEWAY_KEYS } from '../providers/gateways-harness';
import { TEST_KEY } from '../providers/helpers';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/shotgraph.js');

const CASES = [
  { name: 'ark', key: TEST_KEY, mock: { region: 'intl' } },
  { name: 'inference', key: GATEWAY_KEYS.inference, mock: { numbering: 'legacy' } },
] as const;

describe.each(CASES)('the three-shot chain on the strict $name mock', ({ name, key, mock }) => {
  const caps = CAPABILITIES[name];
  let gw: MockGateway | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await gw?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders with exactly 3 creates and a 15 s film', async () => {
    gw = await startMockGateway({ kind: name, queuedMs: 20, runningMs: 60, apiKey: key, ...mock });
    dir = await mkdtemp(path.join(os.tmpdir(), `shotgraph-strict-${name}-`));
    await cp(path.join(REPO, 'graphs'), path.join(dir, 'graphs'), {
      recursive: true,
      filter: (src) => !src.includes('.shotgraph'),
    });
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$|^SHOTGRAPH_|^ARK_|^INFERENCE_/.test(k)),
    );
    const film = path.join(dir, 'film.mp4');
    const child = spawn(
      process.execPath,
      [CLI, 'render', path.join(dir, 'graphs/three-shot-chain.json'), '--provider', name, '--out', film],
      {
        cwd: REPO,
        env: {
          ...clean,
          [caps.baseUrlEnv]: gw.url,
          [caps.keyEnv]: key,
          SHOTGRAPH_POLL_MS: '20,100',
          SHOTGRAPH_RETRY_MS: '20,100',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(0);
    expect(gw.stats().creates).toBe(3);
    expect(out).not.toContain(key);
    const info = await probeMedia(film);
    expect(Math.abs(info.durationSec - 15)).toBeLessThanOrEqual(0.1);
    console.info(`[strict ${name}] creates ${gw.stats().creates}, requests ${gw.stats().requests}`);
  }, 240_000);
});
