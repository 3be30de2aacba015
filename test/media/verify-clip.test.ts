// A clip is held to its frames before it is kept: a file cut short with every byte count agreeing,
// a file whose header is garbage, and a file shorter than the gateway said are all refused, by
// reading the real files with the real ffprobe.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool } from '../../electron/media/binaries';
import { resetToolPaths, runFfmpeg } from '../../electron/media/ffmpeg';
import { ClipDamagedError, verifyClip } from '../../electron/media/verify-clip';

let dir: string;
let clip: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-verify-'));
  clip = path.join(dir, 'clip.mp4');
  // As gateways deliver them: 24 fps, H.264 + AAC, the index at the front (so a cut file still "plays").
  await runFfmpeg([
    ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24:duration=5'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=5', '-shortest'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    ...['-movflags', '+faststart', clip],
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function variant(name: string, edit: (bytes: Buffer) => Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, edit(await readFile(clip)));
  return file;
}

describe('verifyClip', () => {
  it('passes a whole clip and reports its frames, length and streams', async () => {
    const facts = await verifyClip(clip, { expectedSec: 5, reportedBy: 'Ark' });
    expect(facts).toMatchObject({ frames: 120, fps: 24, width: 320, height: 180, hasAudio: true });
    expect(facts.durationSec).toBeCloseTo(5, 1);
  });

  it('refuses a clip cut short even when nothing says so but the frames (header intact)', async () => {
    const cut = await variant('cut.mp4', (b) => b.subarray(0, Math.floor(b.length * 0.8)));
    // Without a reported length, the header's own claim is the yardstick.
    const err = await verifyClip(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClipDamagedError);
    expect((err as Error).message).toMatch(
      /holds (\d+) frames, but its own header says 5\.00 s \(120 frames\)/,
    );
    const held = Number(/holds (\d+)/.exec((err as Error).message)![1]);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(118);
    // With one, the message says who reported what.
    const named = await verifyClip(cut, { expectedSec: 5, reportedBy: 'Ark' }).catch((e: unknown) => e);
    expect((named as Error).message).toContain(
      `holds ${held} of the 120 frames Ark reported (5 s at 24 fps)`,
    );
  });

  it('refuses a clip shorter than the gateway reported', async () => {
    const err = await verifyClip(clip, { expectedSec: 8, reportedBy: 'seed2.io' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClipDamagedError);
    expect((err as Error).message).toContain('holds 120 of the 192 frames seed2.io reported');
    // A rounding frame or two is not damage.
    await expect(verifyClip(clip, { expectedSec: 5.04 })).resolves.toMatchObject({ frames: 120 });
  });

  it('refuses garbage where the header should be, and a file that is not a video at all', async () => {
    const garbled = await variant('garbled.mp4', (b) => {
      const out = Buffer.from(b);
      out.fill(0x5a, 0, Math.floor(out.length / 4));
      return out;
    });
    const a = await verifyClip(garbled).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(ClipDamagedError);
    expect((a as Error).message).toMatch(/cannot be read as a video|no video/);
    const html = await variant('page.mp4', () => Buffer.from('<html>Access denied</html>'));
    expect(await verifyClip(html).catch((e: unknown) => e)).toBeInstanceOf(ClipDamagedError);
  });

  it('has a deadline: a read that takes too long is given up on and the child is gone', async () => {
    const big = path.join(dir, 'long.mp4');
    // Fragmented: its headers do not list its samples, so only ffprobe's full read can count them.
    await runFfmpeg([
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24:duration=60'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      ...['-movflags', 'frag_keyframe+empty_moov', big],
    ]);
    const err = await verifyClip(big, { timeoutMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClipDamagedError);
    expect((err as Error).message).toMatch(/took longer than 0 s/);
    // The promise settles only once the child has exited: no ffprobe is left reading the file.
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes(big))).toEqual([]);
  });

  it('a cancelled run is a cancellation, not damage', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await verifyClip(clip, { signal: ac.signal }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
  });

  it('a plain MP4 with every packet in the file is vouched for by its headers: no ffprobe starts', async () => {
    const log = path.join(dir, 'ffprobe-calls.log');
    const wrapper = path.join(dir, 'ffprobe-counting');
    await writeFile(wrapper, `#!/bin/sh\necho x >> "${log}"\nexec "${findTool('ffprobe')}" "$@"\n`);
    await chmod(wrapper, 0o755);
    const saved = process.env.FFPROBE_PATH;
    process.env.FFPROBE_PATH = wrapper;
    resetToolPaths();
    try {
      const facts = await verifyClip(clip, { expectedSec: 5, reportedBy: 'Ark' });
      expect(facts).toMatchObject({ frames: 120, fps: 24, width: 320, height: 180, hasAudio: true });
      expect(existsSync(log)).toBe(false);
      // The same file cut short is not vouched for: ffprobe reads it, and it is refused.
      const cut = await variant('cut-again.mp4', (b) => b.subarray(0, Math.floor(b.length * 0.9)));
      await expect(verifyClip(cut, { expectedSec: 5 })).rejects.toBeInstanceOf(ClipDamagedError);
      expect(existsSync(log)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.FFPROBE_PATH;
      else process.env.FFPROBE_PATH = saved;
      resetToolPaths();
    }
  });
});
