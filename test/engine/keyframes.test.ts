// Issue 14 items 1, 2 and 4 against the mock Ark gateway: keyframes made by Seedream (counted,
// cached, never paid twice), approval gates that hold back every shot create until a take is
// approved, and the faults Seedream can answer with inside a 200.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveTake } from '../../electron/engine/approve';
import { runBatch } from '../../electron/engine/batch';
import { runGraph, type RunReport } from '../../electron/engine/run';
import { setActiveTake } from '../../electron/engine/takes';
import { probeMedia } from '../../electron/media/probe';
import type { Graph } from '../../shared/graph/schema';
import { copySamples } from '../helpers/cli';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import type { ImageFault } from '../mocks/seedream';

const KEY = 'ark-keyframes-test-3c9e1a7b5d2f4e6a8b0c';

function envFor(gw: MockGateway): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$/.test(k)));
  return {
    ...clean,
    ARK_BASE_URL: gw.url,
    ARK_API_KEY: KEY,
    SHOTGRAPH_POLL_MS: '30,100',
    SHOTGRAPH_RETRY_MS: '20,100',
  };
}

function edit(file: string, change: (g: Graph) => void): void {
  const g = JSON.parse(readFileSync(file, 'utf8')) as Graph;
  change(g);
  writeFileSync(file, JSON.stringify(g, null, 2));
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Graph;
const counts = (gw: MockGateway) => {
  const s = gw.stats();
  return { shots: s.creates, imageRequests: s.imageRequests as number, images: s.imagesGenerated as number };
};

describe('keyframes and approval gates through the mock Ark gateway', () => {
  let gw: MockGateway;
  let env: NodeJS.ProcessEnv;
  let file: string;
  const run = (): Promise<RunReport> => runGraph({ graphPath: file, provider: 'ark', env });

  beforeAll(async () => {
    gw = await startMockGateway({ kind: 'ark', queuedMs: 30, runningMs: 60, apiKey: KEY });
    env = envFor(gw);
    file = path.join(copySamples('shotgraph-keyframes-'), 'keyframes-film.json');
    edit(file, (g) => {
      for (const id of ['kf-open', 'kf-close']) g.nodes.find((n) => n.id === id)!.needsApproval = true;
    });
  });
  afterAll(() => gw?.close());

  it('with both keyframes gated: the keyframes are made (2 requests, 3 images) and 0 shot creates', async () => {
    const r = await run();
    expect(counts(gw)).toEqual({ shots: 0, imageRequests: 2, images: 3 });
    // Stopped at the gates is its own outcome, not a failure, and names each gate and its command.
    expect(r.status).toBe('awaiting-approval');
    expect(r.awaiting).toEqual([
      {
        gate: 'kf-open',
        take: 1,
        held: ['shot-1', 'shot-2', 'cut'],
        approve: 'shotgraph approve keyframes-film.json kf-open --take 1',
      },
      {
        gate: 'kf-close',
        take: 1,
        held: ['shot-3', 'shot-4'],
        approve: 'shotgraph approve keyframes-film.json kf-close --take 1',
      },
    ]);
    const notice = r.events.find((e) => e.type === 'run-notice' && e.code === 'run.awaiting-approval');
    expect(notice && 'message' in notice ? notice.message : '').toMatch(/"kf-open", "kf-close".*5 nodes/);
    const skipped = r.events.filter((e) => e.type === 'node-skipped').map((e) => e.nodeId);
    expect(skipped.sort()).toEqual(['cut', 'shot-1', 'shot-2', 'shot-3', 'shot-4']);
    // Billed per image made: 3 × $0.03.
    expect(r.costUsd).toBeCloseTo(0.09, 4);
    // Each frame is a real JPEG of the asked size, checked by ffprobe.
    const frames = Object.values(r.nodes['kf-close']!.outputs ?? {});
    expect(frames).toHaveLength(2);
    for (const f of frames) expect((await probeMedia(f)).video).toMatchObject({ width: 2560, height: 1440 });
    const body = (gw.stats().imageBodies as Record<string, unknown>[]).find(
      (b) => b.sequential_image_generation === 'auto',
    );
    expect(body).toMatchObject({
      model: 'seedream-4-0-250828',
      size: '2560x1440',
      sequential_image_generation_options: { max_images: 2 },
      response_format: 'b64_json',
      watermark: false,
    });
  });

  it('a batch of the gated film waits too: its own outcome, each row naming the gates', async () => {
    const outDir = path.join(path.dirname(file), 'films');
    const b = await runBatch({ graphPath: file, rows: [{}], outDir, provider: 'ark', env });
    expect(counts(gw)).toEqual({ shots: 0, imageRequests: 2, images: 3 });
    expect(b.status).toBe('awaiting-approval');
    expect(b.rows.map((r) => r.status)).toEqual(['awaiting-approval']);
    expect(b.rows[0]!.problems.map((p) => [p.code, p.nodeId])).toEqual([
      ['run.awaiting-approval', 'kf-open'],
      ['run.awaiting-approval', 'kf-close'],
    ]);
    expect(b.rows[0]!.problems[0]!.message).toMatch(
      /^row 1: waiting for approval of "kf-open" \(take 1\); held back: shot-1, shot-2, cut\. Approve it \(shotgraph approve keyframes-film\.json kf-open --take 1\)/,
    );
  });

  it('the estimate holds the keyframes (cached: $0) and nothing behind a gate', async () => {
    const again = await run();
    expect(counts(gw)).toEqual({ shots: 0, imageRequests: 2, images: 3 });
    expect(again.estimatedCostUsd).toBe(0);
  });

  it('approve refuses a take never made, then opens one gate: exactly its 2 shots are created', async () => {
    await expect(approveTake(file, 'kf-open', 2)).rejects.toThrow(/take 2 was never made; made: 1/);
    await expect(approveTake(file, 'shot-1')).rejects.toThrow(/no approval gate/);
    expect(await approveTake(file, 'kf-open')).toBe(1);
    expect(read(file).nodes.find((n) => n.id === 'kf-open')!.approved).toEqual({ take: 1 });
    const r = await run();
    expect(counts(gw)).toEqual({ shots: 2, imageRequests: 2, images: 3 });
    expect(r.status).toBe('awaiting-approval');
    expect(r.awaiting?.map((g) => g.gate)).toEqual(['kf-close']);
    expect(r.nodes['shot-1']!.status).toBe('succeeded');
    expect(r.nodes['shot-3']!.status).toBe('skipped');
  });

  it('approving the other gate creates exactly the 2 shots behind it and the film', async () => {
    await approveTake(file, 'kf-close');
    const r = await run();
    const errors = Object.entries(r.nodes).filter(([, n]) => n.error);
    expect(r.status, JSON.stringify(errors)).toBe('succeeded');
    expect(counts(gw)).toEqual({ shots: 4, imageRequests: 2, images: 3 });
    expect((await probeMedia(r.output!)).durationSec).toBeCloseTo(16, 0);
    expect(r.awaiting).toBeUndefined();
    // After the last node the run says it measures continuity, then ends with the report.
    const tail = r.events.slice(-2);
    expect(tail.map((e) => e.type)).toEqual(['run-phase', 'run-end']);
    expect(tail[0]).toMatchObject({
      phase: 'measuring-continuity',
      message: 'Measuring continuity (1 seam)…',
    });
    // Shot 1 starts on the keyframe: Ark was sent it as the first frame.
    const shot1 = gw.stats().log.find((l) => l.route === 'create' && l.path.endsWith('/tasks'));
    expect(JSON.stringify(shot1?.body)).toMatch(/"role":"first_frame"/);
  });

  it('a new take of a keyframe clears its approval: 1 image request, 0 shot creates', async () => {
    await setActiveTake(file, 'kf-open', 'new');
    expect(read(file).nodes.find((n) => n.id === 'kf-open')!.approved).toBeUndefined();
    const r = await run();
    expect(counts(gw)).toEqual({ shots: 4, imageRequests: 3, images: 4 });
    expect(r.nodes['shot-1']!.status).toBe('skipped');
  });
});

/** A graph of one keyframe (a set of `count`), in its own folder. */
function keyframeOnly(count: number, format: 'url' | 'b64_json'): string {
  const dir = copySamples('shotgraph-kf-faults-');
  const file = path.join(dir, 'kf.json');
  const g: Graph = {
    format: 'shotgraph',
    version: 2,
    name: 'kf',
    nodes: [
      { id: 'p', type: 'prompt', params: { text: `A set of ${count} frames of a lighthouse in fog.` } },
      { id: 'kf', type: 'keyframe', params: { size: '1280x720', count, response_format: format } },
    ],
    edges: [{ source: 'p', sourcePort: 'text', target: 'kf', targetPort: 'prompt' }],
  };
  writeFileSync(file, JSON.stringify(g, null, 2));
  return file;
}

describe('Seedream faults: nothing damaged is cached, nothing received is paid for twice', () => {
  // Each case: a set of 2 where one frame is lost inside the 200. The frame that came is kept (it is
  // paid for); the next run asks only for the missing one, with the kept frame as its reference.
  const cases: {
    name: string;
    faults: ImageFault[];
    format: 'url' | 'b64_json';
    message: RegExp;
    /** Images billed by the first answer. */
    billed: number;
    missing: number;
  }[] = [
    {
      name: 'a per-image error inside a 200',
      faults: [{ request: 1, frame: 2, kind: 'error' }],
      format: 'b64_json',
      message:
        /made 1 of the 2 frames asked for \(1 image was billed\): frame 2: OutputImageSensitiveContentDetected.*Frame 1 is kept \(paid for\): the next run asks only for frame 2/,
      billed: 1,
      missing: 2,
    },
    {
      name: 'garbage base64',
      faults: [{ request: 1, frame: 1, kind: 'garbage' }],
      format: 'b64_json',
      message: /frame 1 came as damaged base64.*Frame 2 is kept.*asks only for frame 1/,
      billed: 2,
      missing: 1,
    },
    {
      name: 'a cut-short JPEG',
      faults: [{ request: 1, frame: 2, kind: 'truncated' }],
      format: 'b64_json',
      message: /frame 2 is damaged \(.*cut short.*asks only for frame 2/,
      billed: 2,
      missing: 2,
    },
    {
      name: 'a link to a broken JPEG',
      faults: [{ request: 1, frame: 1, kind: 'truncated' }],
      format: 'url',
      message: /frame 1 is damaged.*asks only for frame 1/,
      billed: 2,
      missing: 1,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the good frame is kept, nothing is cached, the next run asks only for frame ${c.missing}`, async () => {
      const gw = await startMockGateway({ kind: 'ark', apiKey: KEY, imageFaults: c.faults });
      try {
        const file = keyframeOnly(2, c.format);
        const env = envFor(gw);
        const first = await runGraph({ graphPath: file, provider: 'ark', env });
        expect(first.status).toBe('failed');
        expect(first.nodes.kf!.error).toMatch(c.message);
        expect(counts(gw)).toEqual({ shots: 0, imageRequests: 1, images: c.billed });
        // What was billed is spent, failed or not: $0.03 an image.
        expect(first.costUsd).toBeCloseTo(0.03 * c.billed, 4);
        const cacheDir = path.join(path.dirname(file), '.shotgraph', 'cache');
        expect(readdirSync(cacheDir).filter((d) => !d.startsWith('.'))).toEqual([]);
        const second = await runGraph({ graphPath: file, provider: 'ark', env });
        expect(second.status, second.nodes.kf!.error).toBe('succeeded');
        // One more image, never the whole set again.
        expect(counts(gw)).toEqual({ shots: 0, imageRequests: 2, images: c.billed + 1 });
        expect(second.costUsd).toBeCloseTo(0.03, 4);
        const topUp = (gw.stats().imageBodies as Record<string, unknown>[])[1]!;
        expect(topUp.sequential_image_generation).toBe('disabled');
        expect(topUp.prompt).toMatch(
          new RegExp(
            `Frame ${c.missing} of a set of 2\\. The last reference image is a frame of this set already made`,
          ),
        );
        expect(String(topUp.image)).toMatch(/^data:image\/jpeg;base64,/);
        const frames = Object.values(second.nodes.kf!.outputs ?? {});
        expect(frames).toHaveLength(2);
        for (const f of frames)
          expect((await probeMedia(f)).video).toMatchObject({ width: 1280, height: 720 });
        // The kept frames are gone once the set is cached, and a third run is all cache.
        expect(readdirSync(path.join(path.dirname(file), '.shotgraph', 'receipts'))).toEqual([]);
        const third = await runGraph({ graphPath: file, provider: 'ark', env });
        expect(third.nodes.kf!.status).toBe('cached');
        expect(counts(gw).imageRequests).toBe(2);
      } finally {
        await gw.close();
      }
    });
  }

  it('a set of 3 answered with 1 frame: a rerun asks for exactly the 2 missing, frame 1 is the one paid for', async () => {
    const gw = await startMockGateway({
      kind: 'ark',
      apiKey: KEY,
      imageFaults: [
        { request: 1, frame: 2, kind: 'error', code: 'InternalServiceError' },
        { request: 1, frame: 3, kind: 'error', code: 'InternalServiceError' },
      ],
    });
    try {
      const file = keyframeOnly(3, 'b64_json');
      const env = envFor(gw);
      const first = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(first.nodes.kf!.error).toMatch(
        /made 1 of the 3 frames asked for \(1 image was billed\): frame 2: InternalServiceError.*; frame 3: InternalServiceError.*Frame 1 is kept \(paid for\): the next run asks only for frames 2, 3/,
      );
      const kept = readFileSync(
        path.join(
          path.dirname(file),
          '.shotgraph',
          'receipts',
          readdirSync(path.join(path.dirname(file), '.shotgraph', 'receipts')).find((n) =>
            n.endsWith('.frames'),
          )!,
          'frame-1.jpg',
        ),
      );
      const second = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(second.status, second.nodes.kf!.error).toBe('succeeded');
      expect(counts(gw)).toEqual({ shots: 0, imageRequests: 2, images: 3 });
      const topUp = (gw.stats().imageBodies as Record<string, unknown>[])[1]!;
      expect(topUp).toMatchObject({
        sequential_image_generation: 'auto',
        sequential_image_generation_options: { max_images: 2 },
      });
      expect(topUp.prompt).toMatch(/Frames 2, 3 of a set of 3\./);
      // Frame 1 of the cached set is the frame the first answer brought, byte for byte.
      expect(readFileSync(second.nodes.kf!.outputs!.image!).equals(kept)).toBe(true);
      expect(Object.keys(second.nodes.kf!.outputs!).sort()).toEqual(['frame_2', 'frame_3', 'image']);
    } finally {
      await gw.close();
    }
  });

  it('a kept frame damaged on disk since is not trusted: the next run asks for it again', async () => {
    const gw = await startMockGateway({
      kind: 'ark',
      apiKey: KEY,
      imageFaults: [{ request: 1, frame: 2, kind: 'error' }],
    });
    try {
      const file = keyframeOnly(2, 'b64_json');
      const env = envFor(gw);
      await runGraph({ graphPath: file, provider: 'ark', env });
      const receipts = path.join(path.dirname(file), '.shotgraph', 'receipts');
      const frames = path.join(
        receipts,
        readdirSync(receipts).find((n) => n.endsWith('.frames'))!,
      );
      const kept = path.join(frames, 'frame-1.jpg');
      writeFileSync(kept, readFileSync(kept).subarray(0, 200));
      const second = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(second.status, second.nodes.kf!.error).toBe('succeeded');
      // Both frames asked for as one set, with no damaged reference sent along.
      expect(counts(gw)).toEqual({ shots: 0, imageRequests: 2, images: 3 });
      const again = (gw.stats().imageBodies as Record<string, unknown>[])[1]!;
      expect(again).toMatchObject({ sequential_image_generation_options: { max_images: 2 } });
      expect(again.image).toBeUndefined();
    } finally {
      await gw.close();
    }
  });

  it('a lost answer is never asked for again blindly; the answer kept from a failed download is reused free', async () => {
    const gw = await startMockGateway({
      kind: 'ark',
      apiKey: KEY,
      faults: { script: [{ route: 'create', kind: 'reset_after_create', match: 'images' }] },
    });
    try {
      const file = keyframeOnly(1, 'b64_json');
      const env = envFor(gw);
      const lost = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(lost.nodes.kf!.error).toMatch(/may have reached Ark and been billed/);
      expect(counts(gw).imageRequests).toBe(1);
      const refused = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(refused.nodes.kf!.error).toMatch(/answer was lost.*new take of "kf"/);
      expect(counts(gw).imageRequests).toBe(1);
      // A new take is a new request, paid knowingly.
      expect(await setActiveTake(file, 'kf', 'new')).toBe(2);
      const fresh = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(fresh.status).toBe('succeeded');
      expect(counts(gw).imageRequests).toBe(2);
    } finally {
      await gw.close();
    }
  });

  it('links that fail to download keep the answer: the next run fetches them without a new request', async () => {
    const gw = await startMockGateway({
      kind: 'ark',
      apiKey: KEY,
      faults: { script: [{ route: 'download', kind: 'reset', match: 'frame-1', times: 100 }] },
    });
    try {
      const file = keyframeOnly(1, 'url');
      const env = { ...envFor(gw) };
      const first = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(first.nodes.kf!.error).toMatch(/could not be downloaded.*without paying/);
      const receipts = path.join(path.dirname(file), '.shotgraph', 'receipts');
      expect(readdirSync(receipts)).toHaveLength(1);
      gw.setFaults({});
      const second = await runGraph({ graphPath: file, provider: 'ark', env });
      expect(second.status).toBe('succeeded');
      expect(counts(gw).imageRequests).toBe(1);
      expect(existsSync(receipts) ? readdirSync(receipts) : []).toEqual([]);
    } finally {
      await gw.close();
    }
  });
});
