// The capability matrix, the checks built on it and prompt-reference translation: pure functions,
// checked against docs/gateways.md §2 and against the sample graphs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGraphValue } from '../../shared/graph/parse';
import type { Graph } from '../../shared/graph/schema';
import {
  CAPABILITIES,
  capabilityRows,
  defaultShotDuration,
  gatewayModelId,
  GATEWAYS,
  modelCapabilities,
} from '../../shared/seedance/capabilities';
import { estimateCost } from '../../shared/seedance/pricing';
import { findPromptRefs, translatePromptRefs } from '../../shared/seedance/prompt-refs';
import {
  capabilityProblems,
  shotCapabilityProblems,
  type ShotSpec,
} from '../../shared/validate/capabilities';

const REPO = path.resolve(import.meta.dirname, '../..');

function spec(overrides: Partial<ShotSpec> = {}, inputs: Partial<ShotSpec['inputs']> = {}): ShotSpec {
  return {
    nodeId: 's1',
    model: 'seedance-2.0',
    duration: 5,
    ratio: '16:9',
    resolution: '720p',
    generateAudio: true,
    seed: -1,
    watermark: false,
    prompt: 'A lighthouse at dawn',
    ...overrides,
    inputs: {
      first_frame: [],
      last_frame: [],
      reference_images: [],
      reference_videos: [],
      reference_audios: [],
      ...inputs,
    },
  };
}
const url = (n = 1) => ({ local: false, source: `https://cdn.example.com/${n}.png` });
const file = (n = 1) => ({ local: true, source: `"img${n}" (media/${n}.png)` });
const messages = (gateway: string, s: ShotSpec) => shotCapabilityProblems(gateway, s).map((p) => p.message);

function loadGraph(file: string): Graph {
  const parsed = parseGraphValue(JSON.parse(readFileSync(path.join(REPO, 'graphs', file), 'utf8')));
  if (!parsed.ok) throw new Error('sample graph does not parse');
  return parsed.graph;
}

describe('the capability matrix', () => {
  it('maps both friendly names to a known model on every gateway, and lets raw ids pass', () => {
    for (const g of GATEWAYS) {
      for (const friendly of ['seedance-2.0', 'seedance-2.0-fast']) {
        expect(CAPABILITIES[g].models[gatewayModelId(g, friendly)], `${g} ${friendly}`).toBeDefined();
      }
      expect(gatewayModelId(g, 'some-raw-model-id')).toBe('some-raw-model-id');
    }
    expect(gatewayModelId('seed2', 'seedance-2.0-fast')).toBe('seedance_2.0_fast');
    expect(gatewayModelId('apiframe', 'seedance-2.0')).toBe('seedance-2');
    expect(gatewayModelId('xingchao', 'seedance-2.0')).toBe('seedance_2_0_pro');
    expect(gatewayModelId('inference', 'seedance-2.0-fast')).toBe('bytedance/seedance-2-0-fast');
  });

  it('knows what §2 says each gateway cannot do', () => {
    expect(modelCapabilities('seed2', 'seedance-2.0')).toMatchObject({
      firstFrame: 'prompt',
      lastFrame: false,
    });
    expect(modelCapabilities('xingchao', 'seedance_2_0')).toMatchObject({
      firstFrame: false,
      minReferenceVideos: 1,
    });
    expect(modelCapabilities('xingchao', 'seedance_2_0_fast_pro')).toMatchObject({
      firstFrame: 'role',
      minReferenceVideos: 0,
    });
    expect(modelCapabilities('inference', 'bytedance/seedance-2-0@v7').references).toEqual({
      image: 3,
      video: 1,
      audio: 1,
    });
    expect(modelCapabilities('apiframe', 'seedance-2.0-fast').resolutions).toEqual(['480p', '720p']);
    for (const g of ['seed2', 'apiframe', 'xingchao'] as const)
      expect(modelCapabilities(g, 'seedance-2.0').localFiles).toEqual({
        image: false,
        video: false,
        audio: false,
      });
    expect(modelCapabilities('inference', 'seedance-2.0').localFiles).toEqual({
      image: true,
      video: false,
      audio: true,
    });
    for (const g of GATEWAYS) expect(modelCapabilities(g, 'seedance-2.0').returnsLastFrame).toBe(g === 'ark');
    // An unknown raw id keeps its name and the gateway's default caps; a fast one its resolutions.
    expect(modelCapabilities('apiframe', 'seedance-2-turbo-fast')).toMatchObject({
      id: 'seedance-2-turbo-fast',
      resolutions: ['480p', '720p'],
    });
  });

  it('has one row per gateway and model for the editor', () => {
    const rows = capabilityRows();
    expect(rows.length).toBe(GATEWAYS.reduce((n, g) => n + Object.keys(CAPABILITIES[g].models).length, 0));
    expect(rows.find((r) => r.gateway === 'inference' && r.model === 'bytedance/seedance-2-0')).toMatchObject(
      {
        referenceImages: 3,
        referenceVideos: '1',
        localFiles: 'image, audio',
        durations: '4–15 s or auto',
      },
    );
    expect(rows.find((r) => r.model === 'seedance_2_0')).toMatchObject({
      firstFrame: 'no',
      referenceVideos: '1–3',
    });
    expect(rows.find((r) => r.model === 'seedance_2.0')).toMatchObject({
      lastFrame: false,
      resolutions: '720p (fixed)',
    });
  });
});

describe('capability problems name the gateway and the limit', () => {
  it('seed2.io: no last frame, no adaptive ratio, no auto duration, fixed resolution, no seed', () => {
    const m = messages(
      'seed2',
      spec(
        { ratio: 'adaptive', duration: 'auto', resolution: '1080p', seed: 7, watermark: true },
        { first_frame: [url()], last_frame: [url(2)] },
      ),
    );
    expect(m).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^seed2\.io has no last-frame input; remove the last frame, or render this shot on ark, apiframe, xingchao or inference/,
        ),
        expect.stringMatching(/^seed2\.io has no adaptive ratio; choose one of 16:9, 4:3/),
        expect.stringMatching(/^seed2\.io has no automatic duration; choose 4–15 s/),
        expect.stringMatching(
          /^seed2\.io has no resolution setting: its videos come at 720p; set the shot's resolution to 720p/,
        ),
        expect.stringMatching(/^seed2\.io takes no seed/),
        expect.stringMatching(/^seed2\.io cannot add a watermark/),
      ]),
    );
    expect(m).toHaveLength(6);
  });

  it('inference.sh: at most 3 reference images, 1 video, 1 audio', () => {
    const m = messages(
      'inference',
      spec({}, { reference_images: [url(1), url(2), url(3), url(4)], reference_videos: [url(5), url(6)] }),
    );
    expect(m[0]).toMatch(
      /^inference\.sh takes at most 3 reference images; 4 are wired\. Wire at most 3, or render this shot on ark, seed2, apiframe or xingchao/,
    );
    expect(m[1]).toMatch(/^inference\.sh takes at most 1 reference video; 2 are wired/);
    expect(messages('inference', spec({}, { reference_images: [url(1), url(2), url(3)] }))).toEqual([]);
  });

  it("xingchaoyiqing's seedance_2_0: a reference video is required, frames are refused", () => {
    expect(messages('xingchao', spec({ model: 'seedance_2_0' }))).toEqual([
      "xingchaoyiqing's seedance_2_0 needs at least one reference video; wire one, or use model seedance_2_0_pro or seedance_2_0_fast_pro, which also render text-only and first-frame shots",
    ]);
    const framed = messages(
      'xingchao',
      spec({ model: 'seedance_2_0_fast' }, { first_frame: [url()], reference_videos: [url(2)] }),
    );
    expect(framed[0]).toMatch(
      /^xingchaoyiqing's seedance_2_0_fast has no first-frame input \(it only takes references/,
    );
    // The friendly name maps to the pro model, which takes text alone.
    expect(messages('xingchao', spec())).toEqual([]);
  });

  it('URL-only gateways refuse local files and say how to give a URL; inference.sh inlines images, not videos', () => {
    for (const g of ['seed2', 'apiframe', 'xingchao']) {
      const [m] = messages(
        g,
        spec(
          { duration: defaultShotDuration(g) },
          { first_frame: [{ local: true, fromShot: true, source: 'the last frame of shot "shot-1"' }] },
        ),
      );
      expect(m).toMatch(
        new RegExp(`^${CAPABILITIES[g as 'seed2'].label.replace('.', '\\.')} takes images only as URLs`),
      );
      expect(m).toContain('the first frame is the last frame of shot "shot-1", a file on this machine');
      expect(m).toContain('render this shot on ark or inference instead');
      expect(m).toContain('https URL');
      const [r] = messages(
        g,
        spec({ duration: defaultShotDuration(g) }, { reference_images: [file(1), url(2)] }),
      );
      expect(r).toContain('reference image 1 is "img1" (media/1.png)');
      expect(r).toContain('upload it where an https link reaches it');
    }
    expect(messages('inference', spec({}, { first_frame: [file()] }))).toEqual([]);
    const [v] = messages(
      'inference',
      spec(
        {},
        {
          reference_images: [file()],
          reference_videos: [{ local: true, source: '"move" (media/move.mp4)' }],
        },
      ),
    );
    expect(v).toMatch(
      /^inference\.sh takes videos only as URLs \(local image and audio files are fine\), but the reference video is "move"/,
    );
    expect(
      messages(
        'ark',
        spec({}, { reference_videos: [{ local: true, source: 'x' }], reference_images: [file()] }),
      ),
    ).toHaveLength(1);
  });

  it('asset:// ids pass on Ark, Apiframe and xingchaoyiqing and are refused, naming the gateway, elsewhere', () => {
    const asset = { local: false, asset: true, source: 'asset://asset-1' };
    const s = spec({}, { reference_images: [asset] });
    for (const g of ['ark', 'apiframe', 'xingchao'])
      expect(messages(g, s).filter((m) => m.includes('asset'))).toEqual([]);
    expect(messages('seed2', s)).toContainEqual(
      expect.stringMatching(
        /^seed2\.io takes no asset:\/\/ ids, but the reference image is asset:\/\/asset-1; .*render this shot on ark, apiframe or xingchao instead/,
      ),
    );
    expect(messages('inference', s)).toContainEqual(
      expect.stringMatching(/^inference\.sh takes no asset:\/\/ ids/),
    );
  });

  it('seed2.io and xingchaoyiqing need a prompt', () => {
    expect(messages('seed2', spec({ prompt: ' ' }, { reference_images: [url()] }))).toEqual([
      'seed2.io needs a prompt for every shot; wire a prompt node into this shot',
    ]);
    expect(messages('inference', spec({ prompt: '' }, { first_frame: [file()] }))).toEqual([]);
  });

  it('a prompt that names media the shot does not have is refused on every gateway', () => {
    for (const g of GATEWAYS) {
      const problems = shotCapabilityProblems(
        g,
        spec({ prompt: 'image 1 meets image 3' }, { reference_images: [url(1), url(2)] }),
      );
      expect(problems.map((p) => p.code)).toContain('prompt.reference');
      expect(problems.find((p) => p.code === 'prompt.reference')?.message).toBe(
        'the prompt names image 3, but only 2 images are wired into this shot (images are numbered in port order: first frame, last frame, then reference images)',
      );
    }
  });

  it('on the sample graphs: the last-frame chain is refused on URL-only gateways and fine on ark and inference', () => {
    const chain = loadGraph('three-shot-chain.json');
    for (const g of ['ark', 'inference']) expect(capabilityProblems(chain, () => g)).toEqual([]);
    for (const g of ['seed2', 'apiframe', 'xingchao']) {
      // Apiframe also refuses the chain's 5 s shots (its listed durations): that is asserted elsewhere.
      const problems = capabilityProblems(chain, (n) => (n.type === 'shot' ? g : undefined)).filter(
        (p) => p.code !== 'capability.duration',
      );
      expect(problems.map((p) => [p.code, p.nodeId, p.field])).toEqual([
        ['capability.local-file', 'shot-2', 'first_frame'],
        ['capability.local-file', 'shot-3', 'first_frame'],
      ]);
      expect(problems[0]!.message).toContain(
        'or set SHOTGRAPH_MEDIA_HOST to a bucket URL Shotgraph can upload to',
      );
      // With a media host configured the frames are uploaded, so the chain is fine.
      expect(
        capabilityProblems(chain, (n) => (n.type === 'shot' ? g : undefined), { mediaHost: true }).filter(
          (p) => p.code !== 'capability.duration',
        ),
      ).toEqual([]);
    }
    const refs = loadGraph('reference-driven.json');
    const onInference = capabilityProblems(refs, () => 'inference');
    expect(onInference.map((p) => [p.nodeId, p.field])).toEqual([
      ['hero-shot', 'reference_videos'], // a local clip: URLs only
    ]);
    // inference.sh does not upload through the media host: its limit stays, with no hint about it.
    const hosted = capabilityProblems(refs, () => 'inference', { mediaHost: true });
    expect(hosted.map((p) => [p.nodeId, p.field])).toEqual([['hero-shot', 'reference_videos']]);
    expect(hosted[0]!.message).not.toContain('SHOTGRAPH_MEDIA_HOST');
  });
});

describe('prompt references', () => {
  const text = 'The creature from image 1 crosses Image 2 like video 1, [audio 1] as music; @image3 waves.';

  it('are found by kind and number, not inside other words or seed2 tokens', () => {
    expect(findPromptRefs(text).map((r) => `${r.kind}${r.n}`)).toEqual([
      'image1',
      'image2',
      'video1',
      'audio1',
      'image3',
    ]);
    expect(findPromptRefs('a subimage 2 and @image_file_1 and 1080p video')).toEqual([]);
  });

  it('are spelled per gateway: Ark keeps them, seed2.io numbers files, the others read "image 1"', () => {
    expect(translatePromptRefs(text, 'ark')).toBe(text);
    expect(translatePromptRefs(text, 'seed2')).toBe(
      'The creature from @image_file_1 crosses @image_file_2 like @video_file_1, [@audio_file_1] as music; @image_file_3 waves.',
    );
    for (const g of ['apiframe', 'xingchao', 'inference'])
      expect(translatePromptRefs(text, g)).toBe(
        'The creature from image 1 crosses image 2 like video 1, [audio 1] as music; image 3 waves.',
      );
    expect(translatePromptRefs('图片1作为首帧', 'seed2')).toBe('@image_file_1作为首帧');
    expect(translatePromptRefs('图片1作为首帧', 'inference')).toBe('图片1作为首帧');
  });
});

describe('published prices for a 5 s shot', () => {
  const base = { resolution: '720p', ratio: '16:9', duration: 5, hasVideoInput: false } as const;

  it('seed2.io fast: 2,900 credits = $0.29; with a reference video, double', () => {
    expect(estimateCost({ ...base, provider: 'seed2', model: 'seedance-2.0-fast' })).toMatchObject({
      credits: 2900,
      usd: 0.29,
    });
    expect(
      estimateCost({ ...base, provider: 'seed2', model: 'seedance-2.0-fast', hasVideoInput: true }).credits,
    ).toBe(5800);
  });

  it('inference.sh: BytePlus tokens, 108,900 × $7.00/M', () => {
    const e = estimateCost({ ...base, provider: 'inference', model: 'bytedance/seedance-2-0' });
    expect(e.tokens).toBe(108900);
    expect(e.usd).toBeCloseTo(0.7623, 6);
  });

  it('Apiframe and xingchaoyiqing publish none, and the estimate says so', () => {
    for (const provider of ['apiframe', 'xingchao']) {
      const e = estimateCost({ ...base, provider, model: 'seedance-2.0' });
      expect(e).toMatchObject({ known: false, usd: 0 });
      expect(e.basis).toContain('no published price');
    }
  });
});
