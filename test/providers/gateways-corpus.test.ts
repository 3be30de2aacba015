// Issue 7 acceptance: on every third-party gateway, each broken graph of the corpus and each shot the
// gateway cannot render is refused with a clear message before any call reaches the gateway.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGraph } from '../../electron/engine/run';
import { serializeGraph } from '../../shared/graph/serialize';
import type { Graph } from '../../shared/graph/schema';
import { CAPABILITIES } from '../../shared/seedance/capabilities';
import { BROKEN_FILES, copyCase, EXPECTATIONS } from '../corpus/corpus';
import { makeCorpusMedia, MEDIA_DIR } from '../corpus/make-media';
import { runCli } from '../helpers/cli';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { GATEWAY_KEYS, THIRD_PARTY, type ThirdParty } from './gateways-harness';
import { tempDir } from './helpers';

const REPO = path.resolve(import.meta.dirname, '../..');
const mocks = {} as Record<ThirdParty, MockGateway>;
let tmp: string;

beforeAll(async () => {
  await makeCorpusMedia();
  for (const name of THIRD_PARTY)
    mocks[name] = await startMockGateway({ kind: name, apiKey: GATEWAY_KEYS[name] });
  tmp = await tempDir('shotgraph-gateways-corpus-');
});
afterAll(async () => {
  for (const m of Object.values(mocks)) await m.close();
  await rm(tmp, { recursive: true, force: true });
});

function env(name: ThirdParty): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_TOKEN$/.test(k)));
  const caps = CAPABILITIES[name];
  return { ...clean, [caps.baseUrlEnv]: mocks[name].url, [caps.keyEnv]: GATEWAY_KEYS[name] };
}

const URL_IMG = (n: number) => `https://cdn.example.com/still-${n}.png`;
type Input = { port: string; kind: 'image' | 'video' | 'audio'; file: string };

/** One shot with the given params and inputs (media nodes by URL or by corpus file), wired to a final cut. */
function oneShot(
  params: Record<string, unknown>,
  inputs: Input[] = [],
  prompt = 'A lighthouse at dawn',
): Graph {
  const nodes: Graph['nodes'] = [
    { id: 'p1', type: 'prompt', params: { text: prompt } },
    { id: 's1', type: 'shot', params: { duration: 5, resolution: '720p', ratio: '16:9', ...params } },
    { id: 'cut', type: 'final_cut', params: {} },
  ];
  const edges: Graph['edges'] = [
    ...(prompt ? [{ source: 'p1', sourcePort: 'text', target: 's1', targetPort: 'prompt' }] : []),
    { source: 's1', sourcePort: 'video', target: 'cut', targetPort: 'clips', order: 0 },
  ];
  inputs.forEach((inp, i) => {
    nodes.push({ id: `m${i + 1}`, type: inp.kind, params: { file: inp.file } });
    edges.push({ source: `m${i + 1}`, sourcePort: inp.kind, target: 's1', targetPort: inp.port });
  });
  return { format: 'shotgraph', version: 2, name: 'violation', nodes, edges };
}

async function writeCase(dir: string, graph: Graph): Promise<string> {
  await mkdir(dir, { recursive: true });
  await cp(MEDIA_DIR, path.join(dir, 'media'), { recursive: true });
  const file = path.join(dir, 'graph.json');
  await writeFile(file, serializeGraph(graph));
  return file;
}

const img = (port: string, n = 1): Input => ({ port, kind: 'image', file: URL_IMG(n) });
const localImg = (port: string): Input => ({ port, kind: 'image', file: 'media/still-320.png' });

/** Per gateway: a shot it cannot render, and what the refusal must say. */
const VIOLATIONS: Record<ThirdParty, [string, Graph, { code: string; field: string; says: string }][]> = {
  seed2: [
    [
      'a last frame',
      oneShot({}, [img('first_frame'), img('last_frame', 2)]),
      { code: 'capability.last-frame', field: 'last_frame', says: 'seed2.io has no last-frame input' },
    ],
    [
      'an adaptive ratio',
      oneShot({ ratio: 'adaptive' }),
      { code: 'capability.ratio', field: 'ratio', says: 'seed2.io has no adaptive ratio' },
    ],
    [
      'auto duration',
      oneShot({ duration: 'auto' }),
      { code: 'capability.duration', field: 'duration', says: 'seed2.io has no automatic duration' },
    ],
    [
      '1080p',
      oneShot({ resolution: '1080p' }),
      { code: 'capability.resolution', field: 'resolution', says: 'seed2.io has no resolution setting' },
    ],
    [
      'a seed',
      oneShot({ seed: 42 }),
      { code: 'capability.seed', field: 'seed', says: 'seed2.io takes no seed' },
    ],
    [
      'audio off',
      oneShot({ generate_audio: false }),
      { code: 'capability.audio', field: 'generate_audio', says: 'seed2.io has no generate_audio setting' },
    ],
    [
      'a local image',
      oneShot({}, [localImg('first_frame')]),
      { code: 'capability.local-file', field: 'first_frame', says: 'seed2.io takes images only as URLs' },
    ],
    [
      'no prompt',
      oneShot({}, [img('reference_images')], ''),
      { code: 'capability.prompt', field: 'prompt', says: 'seed2.io needs a prompt' },
    ],
  ],
  apiframe: [
    [
      'a local image',
      oneShot({}, [localImg('reference_images')]),
      {
        code: 'capability.local-file',
        field: 'reference_images',
        says: 'Apiframe takes images only as URLs',
      },
    ],
    [
      'a watermark',
      oneShot({ watermark: true }),
      { code: 'capability.watermark', field: 'watermark', says: 'Apiframe cannot add a watermark' },
    ],
    [
      'auto duration',
      oneShot({ duration: 'auto' }),
      { code: 'capability.duration', field: 'duration', says: 'Apiframe has no automatic duration' },
    ],
  ],
  xingchao: [
    [
      'a text-only shot on seedance_2_0',
      oneShot({ model: 'seedance_2_0' }),
      {
        code: 'capability.reference-video-required',
        field: 'reference_videos',
        says: "xingchaoyiqing's seedance_2_0 needs at least one reference video",
      },
    ],
    [
      'a first frame on seedance_2_0_fast',
      oneShot({ model: 'seedance_2_0_fast' }, [
        img('first_frame'),
        { port: 'reference_videos', kind: 'video', file: 'https://cdn.example.com/move.mp4' },
      ]),
      {
        code: 'capability.first-frame',
        field: 'first_frame',
        says: "xingchaoyiqing's seedance_2_0_fast has no first-frame input",
      },
    ],
    [
      '1080p',
      oneShot({ resolution: '1080p' }),
      {
        code: 'capability.resolution',
        field: 'resolution',
        says: 'xingchaoyiqing has no resolution setting',
      },
    ],
    [
      'a local image',
      oneShot({}, [localImg('first_frame')]),
      {
        code: 'capability.local-file',
        field: 'first_frame',
        says: 'xingchaoyiqing takes images only as URLs',
      },
    ],
  ],
  inference: [
    [
      '4 reference images',
      oneShot(
        {},
        [1, 2, 3, 4].map((n) => img('reference_images', n)),
      ),
      {
        code: 'capability.references',
        field: 'reference_images',
        says: 'inference.sh takes at most 3 reference images; 4 are wired',
      },
    ],
    [
      '2 reference videos',
      oneShot(
        {},
        [1, 2].map((n) => ({
          port: 'reference_videos',
          kind: 'video' as const,
          file: `https://cdn.example.com/v${n}.mp4`,
        })),
      ),
      {
        code: 'capability.references',
        field: 'reference_videos',
        says: 'inference.sh takes at most 1 reference video; 2 are wired',
      },
    ],
    [
      'a local reference video',
      oneShot({}, [{ port: 'reference_videos', kind: 'video', file: 'media/clip-3s.mp4' }]),
      {
        code: 'capability.local-file',
        field: 'reference_videos',
        says: 'inference.sh takes videos only as URLs',
      },
    ],
  ],
};

describe.each(THIRD_PARTY)('%s: broken graphs and unsupported shots never reach the gateway', (name) => {
  it.each(BROKEN_FILES)('corpus %s: refused naming node and field, 0 calls', async (file) => {
    const graphPath = await copyCase(file, path.join(tmp, name, file.replace(/\.json$/, '')));
    const before = mocks[name].stats().requests;
    const report = await runGraph({
      graphPath,
      provider: name,
      env: env(name),
      out: path.join(tmp, `${name}-${file}.mp4`),
    });
    expect(report.status).toBe('invalid');
    expect(report.submissions).toBe(0);
    const want = EXPECTATIONS[file]!;
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: want.code,
        ...(want.nodeId ? { nodeId: want.nodeId } : {}),
        ...(want.field ? { field: want.field } : {}),
        message: expect.stringContaining(want.mentions),
      }),
    );
    expect(mocks[name].stats().requests).toBe(before);
  });

  it.each(VIOLATIONS[name].map(([what, graph, want]) => [what, graph, want] as const))(
    'refuses %s before any call, saying which limit',
    async (what, graph, want) => {
      const graphPath = await writeCase(
        path.join(tmp, name, `violation-${what.replace(/\W+/g, '-')}`),
        graph,
      );
      const before = mocks[name].stats().requests;
      const report = await runGraph({ graphPath, provider: name, env: env(name) });
      expect(report.status).toBe('invalid');
      expect(report.submissions).toBe(0);
      expect(report.problems).toContainEqual(
        expect.objectContaining({
          code: want.code,
          nodeId: 's1',
          field: want.field,
          message: expect.stringContaining(want.says),
        }),
      );
      expect(mocks[name].stats().requests).toBe(before);
    },
  );

  it('the CLI refuses a violation too: exit 1, the message on stderr, 0 creates', async () => {
    const [, graph, want] = VIOLATIONS[name][0]!;
    const graphPath = await writeCase(path.join(tmp, name, 'cli'), graph);
    const res = await runCli(
      ['render', graphPath, '--provider', name, '--out', path.join(tmp, `${name}-cli.mp4`)],
      {
        env: env(name),
      },
    );
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain(`node "s1", field "${want.field}": ${want.says}`);
    expect(res.stderr).toContain('nothing was rendered or paid for');
    expect(mocks[name].stats().creates).toBe(0);
    expect(res.stderr + res.stdout).not.toContain(GATEWAY_KEYS[name]);
  });
});

describe('the three-shot chain on gateways that take media only as URLs', () => {
  it.each(['seed2', 'apiframe', 'xingchao'] as const)(
    '%s: refused before shot 1 is paid for, naming each chained first frame',
    async (name) => {
      const dir = path.join(tmp, `chain-${name}`);
      await cp(path.join(REPO, 'graphs'), dir, {
        recursive: true,
        filter: (src) => !src.includes('.shotgraph'),
      });
      const res = await runCli(['render', path.join(dir, 'three-shot-chain.json'), '--provider', name], {
        env: env(name),
      });
      expect(res.code, res.stderr).toBe(1);
      const label = CAPABILITIES[name].label;
      for (const shot of ['shot-2', 'shot-3']) {
        expect(res.stderr).toContain(
          `node "${shot}", field "first_frame": ${label} takes images only as URLs`,
        );
      }
      expect(res.stderr).toContain(
        'the first frame is the last frame of shot "shot-1", a file on this machine',
      );
      expect(res.stderr).toContain('render this shot on ark or inference instead');
      expect(mocks[name].stats().requests).toBe(0); // nothing in this file ever reached a gateway
    },
  );
});
