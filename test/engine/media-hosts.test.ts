// The run-time half of the media URL policy: just before a gateway gets a graph's media URL, its host
// is looked up for real (getaddrinfo, /etc/hosts) and refused when it resolves to a private,
// loopback or metadata address. Names are made to resolve by running the command in a private mount
// namespace whose /etc/hosts says so (unshare), so no DNS server and no network are involved.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeGraph } from '../../shared/graph/serialize';
import type { Graph } from '../../shared/graph/schema';
import { CLI, REPO } from '../helpers/cli';
import { startMockGateway, type MockGateway } from '../mocks/gateway';

const HOSTS = [
  '127.0.0.1 localhost',
  '10.1.2.3 private.example.test',
  '169.254.169.254 meta.example.test',
  '127.0.0.2 loop.example.test',
  '::1 six.example.test',
  '93.184.216.34 public.example.test',
  '93.184.216.35 mixed.example.test',
  '192.168.7.7 mixed.example.test',
].join('\n');

let tmp: string;
let hostsFile: string;
/** How to run a command with our /etc/hosts, or undefined where namespaces are not available. */
let unshare: string[] | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-media-hosts-'));
  hostsFile = path.join(tmp, 'hosts');
  await writeFile(hostsFile, HOSTS + '\n');
  for (const flags of [['-m'], ['-r', '-m']]) {
    try {
      const probe = [
        'unshare',
        ...flags,
        'sh',
        '-c',
        `mount --bind "$0" /etc/hosts && getent hosts private.example.test`,
        hostsFile,
      ];
      if (
        execFileSync(probe[0]!, probe.slice(1), {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).includes('10.1.2.3')
      ) {
        unshare = [
          'unshare',
          ...flags,
          'sh',
          '-c',
          'mount --bind "$0" /etc/hosts && shift && exec "$@"',
          hostsFile,
          '_',
        ];
        break;
      }
    } catch {
      // try the next form
    }
  }
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [cmd, ...rest] = [...unshare!, process.execPath, ...args];
    const child = spawn(cmd!, rest, {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hosts of graph media URLs, resolved just before a gateway gets them', () => {
  it('refuses hosts that resolve to non-public addresses and lets public ones through', async (ctx) => {
    if (!unshare) return ctx.skip(); // no mount namespaces here: nothing can be made to resolve
    const script = path.join(tmp, 'check.mts');
    await writeFile(
      script,
      [
        `import { resolvedHostProblems } from ${JSON.stringify(path.join(REPO, 'electron/engine/media-hosts.ts'))};`,
        `const hosts = ['private', 'meta', 'loop', 'six', 'public', 'mixed'].map((h) => h + '.example.test').concat('nothing.example.invalid');`,
        `const uses = hosts.map((h) => ({ nodeId: h.split('.')[0], field: 'file', url: 'https://' + h + '/still.png' }));`,
        `const trusted = { SHOTGRAPH_TRUSTED_MEDIA_ORIGINS: 'https://loop.example.test' };`,
        `console.log(JSON.stringify({ plain: await resolvedHostProblems(uses, {}), trusted: await resolvedHostProblems(uses, trusted) }));`,
      ].join('\n'),
    );
    const r = await run(['--import', 'tsx', script]);
    expect(r.code, r.stderr).toBe(0);
    const { plain, trusted } = JSON.parse(r.stdout) as Record<string, { nodeId: string; message: string }[]>;
    const said = Object.fromEntries(plain!.map((p) => [p.nodeId, p.message]));
    expect(Object.keys(said).sort()).toEqual(['loop', 'meta', 'mixed', 'nothing', 'private', 'six']);
    expect(said.private).toContain('resolves to 10.1.2.3, a private address');
    expect(said.meta).toContain('169.254.169.254, a cloud metadata address');
    expect(said.loop).toContain('127.0.0.2, a loopback address');
    expect(said.six).toContain('::1, a loopback address');
    expect(said.mixed).toContain('192.168.7.7, a private address'); // one bad address is enough
    expect(said.nothing).toContain('cannot be resolved');
    expect(trusted!.map((p) => p.nodeId)).not.toContain('loop'); // the user's own trusted origin
  });

  describe('through `shotgraph render` on the mock Ark gateway', () => {
    let gw: MockGateway;
    const key = `ark-test-${randomBytes(16).toString('hex')}`;
    beforeAll(async () => {
      gw = await startMockGateway({ kind: 'ark', queuedMs: 50, runningMs: 300, apiKey: key });
    });
    afterAll(() => gw?.close());

    async function project(url: string): Promise<string> {
      const dir = await mkdtemp(path.join(tmp, 'film-'));
      const graph: Graph = {
        format: 'shotgraph',
        version: 2,
        name: 'Harbour',
        nodes: [
          { id: 'p1', type: 'prompt', params: { text: 'A harbour at dawn' } },
          { id: 'img1', type: 'image', params: { file: url } },
          { id: 's1', type: 'shot', params: { duration: 4, ratio: '16:9', resolution: '480p' } },
          { id: 'cut', type: 'final_cut', params: {} },
        ],
        edges: [
          { source: 'p1', sourcePort: 'text', target: 's1', targetPort: 'prompt' },
          { source: 'img1', sourcePort: 'image', target: 's1', targetPort: 'first_frame' },
          { source: 's1', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 0 },
        ],
      };
      await writeFile(path.join(dir, 'film.json'), serializeGraph(graph));
      return path.join(dir, 'film.json');
    }

    const render = (graphPath: string) =>
      run([CLI, 'render', graphPath, '--provider', 'ark'], {
        ARK_API_KEY: key,
        ARK_BASE_URL: gw.url,
        SHOTGRAPH_POLL_MS: '40,200',
        SHOTGRAPH_TRUSTED_MEDIA_ORIGINS: '',
      });

    it('refuses a host resolving to a private address before any paid call, naming node and field', async (ctx) => {
      if (!unshare) return ctx.skip();
      const before = gw.stats().creates;
      const r = await render(await project('https://private.example.test/still.png'));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('node "img1", field "file":');
      expect(r.stderr).toContain('10.1.2.3, a private address');
      expect(gw.stats().creates - before).toBe(0);
    });

    it('hands a host resolving to a public address to the gateway', async (ctx) => {
      if (!unshare) return ctx.skip();
      const before = gw.stats().creates;
      const r = await render(await project('https://public.example.test/still.png'));
      expect(r.code, r.stderr).toBe(0);
      expect(gw.stats().creates - before).toBe(1);
    });
  });
});
