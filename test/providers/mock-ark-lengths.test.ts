// The Ark mock measures reference media it can reach, as upstream does (docs/gateways.md §3.1): each
// reference video 2–15 s and 15 s in all. Three 10 s clips (30 s) were accepted before issue 15.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { serveFolder, type Bucket } from '../mocks/bucket';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { tempDir, TEST_KEY } from './helpers';

let gw: MockGateway;
let bucket: Bucket;
let dir: string;

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', apiKey: TEST_KEY });
  dir = await tempDir('shotgraph-mock-lengths-');
  await runFfmpeg([
    ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=24:duration=10'],
    ...['-pix_fmt', 'yuv420p', path.join(dir, 'ten.mp4')],
  ]);
  bucket = await serveFolder(dir);
});
afterAll(async () => {
  await bucket?.close();
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

const create = (videos: number) =>
  fetch(`${gw.url}/contents/generations/tasks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'dreamina-seedance-2-0-260128',
      content: [
        { type: 'text', text: 'video 1 then video 2' },
        ...Array.from({ length: videos }, () => ({
          type: 'video_url',
          video_url: { url: bucket.url('ten.mp4') },
          role: 'reference_video',
        })),
      ],
    }),
  });

describe('the Ark mock and reference video lengths', () => {
  it('takes one 10 s reference video and refuses two (20 s in all) with a 400 naming content', async () => {
    expect((await create(1)).status).toBe(200);
    const res = await create(2);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; param: string; message: string } };
    expect(error).toMatchObject({ code: 'InvalidParameter', param: 'content' });
    expect(error.message).toMatch(/last 20\.0 s in all; at most 15 s/);
    expect(gw.stats().creates).toBe(1);
  });
});
