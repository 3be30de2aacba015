// The final cut's sound is decoded once (issue 17): the samples decoded to measure the clips'
// loudness are what the join encodes, read on its stdin, instead of the join decoding every clip
// again. The film's sound is the same AAC, packet for packet, as when the join decodes the clips
// itself. Real clips, real ffmpeg, counted through a wrapper named by FFMPEG_PATH.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfprobe } from '../../electron/media/ffmpeg';
import { renderFinalCut, type CutTimeline } from '../../electron/media/final-cut';
import { forgetMediaFacts } from '../../electron/media/media-facts';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { loudnessLufs, makeClip } from '../helpers/media';
import { countedFfmpegSuite } from '../helpers/tool-calls';

const suite = countedFfmpegSuite('shotgraph-decoded-join-');
const joins = () => suite.calls().filter((c) => c.includes('-c:v copy'));

const timeline = (clips: string[], params: Record<string, unknown> = {}): CutTimeline => ({
  nodeId: 'cut',
  clipIds: clips.map((_, i) => `clip${i}`),
  params: finalCutParams.parse(params),
});

/** Every packet of the film's sound: time, length, size, flags and a hash of its bytes. */
async function soundPackets(file: string): Promise<string[]> {
  const out = await runFfprobe([
    ...['-select_streams', 'a:0', '-show_packets', '-show_data_hash', 'sha256'],
    ...['-show_entries', 'packet=pts,dts,duration,size,flags,data_hash', '-of', 'csv=p=0', file],
  ]);
  return out.trim().split('\n');
}

async function clips(n: number, seconds: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(suite.dir(), `clip-${n}-${i}.mp4`);
    // Each clip a different tone, one much louder: the gain and the seams both show in the packets.
    const toneHz = 200 + 150 * i;
    await makeClip(file, { width: 160, height: 96, seconds, toneHz, encoder: houseEncoderArgs() });
    files.push(file);
  }
  return files;
}

describe('the final cut’s sound, decoded once', () => {
  it('is encoded from the samples measuring decoded, the same AAC packets as decoding the clips again', async () => {
    const files = await clips(5, 2);
    const tl = timeline(files, { loudness: { enabled: true, target_lufs: -16 } });

    const before = joins().length;
    const once = path.join(suite.dir(), 'once.mp4');
    const first = await renderFinalCut(files, once, { timeline: tl });
    expect(first.mode).toBe('copy');
    const [join1] = joins().slice(before);
    // The join reads the decoded sound on stdin; no clip is an input of it but the picture list.
    expect(join1).toContain('pipe:0');
    for (const f of files) expect(join1).not.toContain(f);

    // Cut again: the figures are remembered, the samples were handed over, so this join decodes the clips.
    const again = path.join(suite.dir(), 'again.mp4');
    const second = await renderFinalCut(files, again, { timeline: tl });
    const [join2] = joins().slice(before + 1);
    expect(join2).not.toContain('pipe:0');
    for (const f of files) expect(join2).toContain(f);

    expect(second.loudness?.gainDb).toBe(first.loudness?.gainDb);
    expect(Math.abs(first.loudness!.gainDb)).toBeGreaterThan(0.5); // a gain that changes the samples
    const [a, b] = [await soundPackets(once), await soundPackets(again)];
    expect(a.length).toBeGreaterThan(5 * 2 * 46); // ~47 AAC packets a second
    expect(a).toEqual(b);
    expect(Math.abs((await loudnessLufs(once)) - -16)).toBeLessThanOrEqual(0.5);
  });

  it('two cuts of the same clips at once: one takes the decoded sound, the other decodes the clips, the same AAC', async () => {
    const files = await clips(3, 1);
    const tl = timeline(files, { loudness: { enabled: true, target_lufs: -18 } });
    const before = joins().length;
    const outs = [path.join(suite.dir(), 'twin-a.mp4'), path.join(suite.dir(), 'twin-b.mp4')];
    // Both start their join for decoded sound while the clips are measured (once, for both); only one gets it.
    await Promise.all(outs.map((out) => renderFinalCut(files, out, { timeline: tl })));
    const started = joins().slice(before);
    expect(started.filter((j) => j.includes('pipe:0'))).toHaveLength(2);
    const decoding = started.filter((j) => !j.includes('pipe:0'));
    expect(decoding).toHaveLength(1); // the one stopped is started again on the clips
    for (const f of files) expect(decoding[0]).toContain(f);
    const [a, b] = [await soundPackets(outs[0]!), await soundPackets(outs[1]!)];
    expect(a.length).toBeGreaterThan(3 * 46);
    expect(a).toEqual(b);
  });

  it('cancelled once its join has started, stops and writes no film', async () => {
    const files = await clips(4, 2);
    const out = path.join(suite.dir(), 'cancelled.mp4');
    const stop = new AbortController();
    const before = joins().length;
    const tl = timeline(files, { loudness: { enabled: true } });
    const cut = renderFinalCut(files, out, { timeline: tl, signal: stop.signal });
    cut.catch(() => undefined);
    // The join starts while the clips are measured: cancel as soon as it has.
    while (joins().length === before) await new Promise((r) => setTimeout(r, 5));
    expect(joins().slice(before)[0]).toContain('pipe:3');
    stop.abort();
    await expect(cut).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
  });

  it('decodes the clips in the join where their sound was not kept: gains of its own, no loudness', async () => {
    const files = await clips(3, 1);
    for (const params of [
      { loudness: { enabled: false } },
      // Per-clip gain: the kept samples are before it, so the join makes the mix itself.
      { loudness: { enabled: true }, clips: { clip1: { gain_db: -6 } } },
    ]) {
      forgetMediaFacts();
      const before = joins().length;
      await renderFinalCut(files, path.join(suite.dir(), 'plain.mp4'), { timeline: timeline(files, params) });
      const [join] = joins().slice(before);
      expect(join).not.toContain('pipe:0');
      for (const f of files) expect(join).toContain(f);
    }
    // What the cut with a gain did not use was let go with it, not kept for later: the same film
    // without the gain (its figures remembered, so nothing is measured) decodes its clips again.
    const before = joins().length;
    const tl = timeline(files, { loudness: { enabled: true } });
    await renderFinalCut(files, path.join(suite.dir(), 'plain.mp4'), { timeline: tl });
    expect(joins().slice(before)[0]).not.toContain('pipe:0');
  });
});
