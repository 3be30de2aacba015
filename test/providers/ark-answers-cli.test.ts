// Issue 10 acceptance (items 4 and 5), through the real CLI against the Ark mock on 127.0.0.1, three-
// shot chain: a clip served short with a matching Content-Length still gives a film with every
// frame; a trickling download, status checks that never answer and a full disk each end the run in
// bounded time with a message that says what happened and what to do, and never cost a second create.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockGateway, type MockGateway } from '../mocks/gateway';
import { ArkCli, countFrames } from './ark-cli-harness';
import { TEST_KEY } from './helpers';

let gw: MockGateway;
const cli = new ArkCli(() => gw);

beforeAll(async () => {
  gw = await startMockGateway({ kind: 'ark', queuedMs: 50, runningMs: 150, apiKey: TEST_KEY });
});
afterAll(async () => {
  await gw?.close();
  await cli.close();
});

const creates = () => gw.stats().creates;

/** Renders until done; returns the exit, the report, the seconds it took and the creates it made. */
async function render(dir: string, env: NodeJS.ProcessEnv = {}, wrap?: (cmd: string[]) => string[]) {
  const before = creates();
  const started = Date.now();
  const r = await cli.render(dir, env, wrap).done;
  return { ...r, seconds: (Date.now() - started) / 1000, creates: creates() - before };
}

/** The healthy re-render after a failure: the recorded task is fetched, the film is whole. */
async function finish(dir: string, createdBefore: number) {
  const again = await render(dir);
  expect(again.code, again.stderr).toBe(0);
  expect(createdBefore + again.creates).toBe(3);
  expect(await countFrames(path.join(dir, 'film.mp4'))).toBe(360);
}

describe('every gateway answer may be wrong (CLI, Ark mock)', () => {
  it('a clip served short once, with a matching Content-Length: the film has every frame, exit 0, 3 creates', async () => {
    const dir = await cli.project('Served short.');
    gw.setFaults({ script: [{ route: 'download', kind: 'short', match: 'video.mp4', nth: 2 }] });
    const r = await render(dir);
    const faults = gw.stats().faults;
    gw.setFaults({});
    expect(r.code, r.stderr).toBe(0);
    expect(faults.short).toBeGreaterThanOrEqual(1);
    expect(r.creates).toBe(3);
    expect(await countFrames(path.join(dir, 'film.mp4'))).toBe(360); // 3 × 5 s × 24 fps
    expect((await cli.report(dir)).submissions).toBe(3);
  });

  it('a trickling download ends in bounded time with a clear message; the next run fetches it without paying', async () => {
    const dir = await cli.project('Trickle.');
    gw.setFaults({
      script: [{ route: 'download', kind: 'trickle', match: 'video.mp4', times: Infinity, intervalMs: 100 }],
    });
    const r = await render(dir, {
      SHOTGRAPH_DOWNLOAD_MIN_KIBPS: '64',
      SHOTGRAPH_DOWNLOAD_WINDOW_MS: '500',
      SHOTGRAPH_DOWNLOAD_MAX_MS: '3000',
    });
    gw.setFaults({});
    expect(r.code).toBe(3);
    expect(r.creates).toBe(1);
    expect(r.seconds).toBeLessThan(60); // bounded: 3 s of downloading, the rest is start-up and shot 1
    const err = (await cli.report(dir)).nodes['shot-1']!.error!;
    expect(err).toMatch(/could not download the video of task cgt-\S+ after \d+ attempts/);
    expect(err).toMatch(/below the minimum of 64 KiB\/s|did not finish within 3 s/);
    expect(err).toMatch(/paid for and recorded, so the next run downloads it without paying again/);
    expect(r.stderr).toContain('SHOTGRAPH_DOWNLOAD_MIN_KIBPS');
    console.info(`[answers-cli] trickle: exit 3 after ${r.seconds.toFixed(1)} s: ${err}`);
    await finish(dir, r.creates);
  });

  it('status checks that never answer end the run in bounded time; the next run picks the task up', async () => {
    const dir = await cli.project('Hung status.');
    gw.setFaults({ script: [{ route: 'get', kind: 'hang', times: Infinity }] });
    const r = await render(dir, { SHOTGRAPH_STATUS_TIMEOUT_MS: '300', SHOTGRAPH_UNREACHABLE_MS: '2000' });
    gw.setFaults({});
    expect(r.code).toBe(3);
    expect(r.creates).toBe(1);
    expect(r.seconds).toBeLessThan(60);
    const err = (await cli.report(dir)).nodes['shot-1']!.error!;
    expect(err).toMatch(
      /^Ark did not answer about task cgt-\S+ for 2 s \(each status request gives up after 0\.3 s\)/,
    );
    expect(err).toMatch(/not paid for twice/);
    console.info(`[answers-cli] hung status checks: exit 3 after ${r.seconds.toFixed(1)} s: ${err}`);
    await finish(dir, r.creates);
  });

  // A real full disk: a 64 KiB tmpfs over the project's cache, in a private mount namespace.
  const canMount =
    process.platform === 'linux' &&
    spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { stdio: 'ignore' })
      .status === 0;
  it.skipIf(!canMount)(
    'a full disk during a download says so, naming the folder and the free space; nothing is paid twice',
    async () => {
      const dir = await cli.project('Disk full.');
      const cache = path.join(dir, 'graphs/.shotgraph/cache');
      const r = await render(dir, {}, (cmd) => [
        'unshare',
        '-rm',
        'sh',
        '-c',
        'mkdir -p "$0" && mount -t tmpfs -o size=64k tmpfs "$0" && exec "$@"',
        cache,
        ...cmd,
      ]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.creates).toBe(1);
      const err = (await cli.report(dir)).nodes['shot-1']!.error!;
      expect(err).toMatch(/could not download the video of task cgt-\S+: the disk is full \(ENOSPC\)/);
      expect(err).toContain(`no room to save it in ${cache}${path.sep}`);
      // What the disk had left when the write failed: less than the clip, far less than the tmpfs.
      const free = /\((\d+(?:\.\d)?) (B|KiB) free there\)/.exec(err);
      expect(free, err).not.toBeNull();
      expect(Number(free![1]) * (free![2] === 'KiB' ? 1024 : 1)).toBeLessThan(32 * 1024);
      expect(err).toMatch(/Free some space on that disk, then run again/);
      expect(err).not.toMatch(/network|ARK_BASE_URL/);
      console.info(`[answers-cli] full disk: exit 3 after ${r.seconds.toFixed(1)} s: ${err}`);
      await finish(dir, r.creates); // the same project, with room now: the recorded task is fetched
    },
  );
});
