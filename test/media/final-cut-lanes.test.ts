// A final cut whose sound is encoded in lanes (issue 17, electron/media/sound-lanes.ts) against the
// same cut in one pass: the film's MP4 must be laid out the same (pictures byte for byte, the sound's
// packet times and lengths, its edit list and length), the sound within what two encodes of the same
// samples differ by; a film with a limiter takes the single pass. Real clips, real ffmpeg, counted.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg, runFfprobe } from '../../electron/media/ffmpeg';
import { renderFinalCut, type CutTimeline } from '../../electron/media/final-cut';
import { forgetMediaFacts } from '../../electron/media/media-facts';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { audioSamples, loudnessLufs, makeClip } from '../helpers/media';
import { countedFfmpegSuite } from '../helpers/tool-calls';

const suite = countedFfmpegSuite('shotgraph-cut-lanes-');
const lanesRun = (from: number) =>
  suite
    .calls()
    .slice(from)
    .filter((c) => c.includes('-f adts'));
const before = process.env.SHOTGRAPH_SOUND_LANES;
afterEach(() => {
  if (before === undefined) delete process.env.SHOTGRAPH_SOUND_LANES;
  else process.env.SHOTGRAPH_SOUND_LANES = before;
});

const timeline = (clips: string[], params: Record<string, unknown> = {}): CutTimeline => ({
  nodeId: 'cut',
  clipIds: clips.map((_, i) => `clip${i}`),
  params: finalCutParams.parse(params),
});

/** What a stream's packets say of their place: time, length, size of the pictures' and their hash. */
async function packets(file: string, stream: 'v' | 'a', hash: boolean): Promise<string[]> {
  const entries = hash ? 'packet=pts,dts,duration,size,flags,data_hash' : 'packet=pts,dts,duration';
  const out = await runFfprobe([
    ...['-select_streams', `${stream}:0`, '-show_packets', ...(hash ? ['-show_data_hash', 'sha256'] : [])],
    ...['-show_entries', entries, '-of', 'csv=p=0', file],
  ]);
  return out.trim().split('\n');
}

async function streamFacts(file: string): Promise<string> {
  const entries = 'stream=codec_type,start_time,duration,duration_ts,nb_frames';
  return runFfprobe(['-show_entries', entries, '-of', 'csv=p=0', file]);
}

/** Three 15 s clips, each its own tone (made once for the file's tests). */
let tones: Promise<string[]> | undefined;
const toneClips = () => (tones ??= makeTones(3, 15));

async function makeTones(n: number, seconds: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(suite.dir(), `tone-${i}.mp4`);
    await makeClip(file, {
      width: 160,
      height: 96,
      seconds,
      toneHz: 200 + 90 * i,
      encoder: houseEncoderArgs(),
    });
    files.push(file);
  }
  return files;
}

/** The cut of `files` made in one pass, then with its sound in two lanes; the lanes' ffmpeg calls. */
async function bothWays(name: string, files: string[], tl: CutTimeline, o: { remeasure?: boolean } = {}) {
  const [one, two] = [path.join(suite.dir(), `${name}-one.mp4`), path.join(suite.dir(), `${name}-two.mp4`)];
  process.env.SHOTGRAPH_SOUND_LANES = '1';
  const first = await renderFinalCut(files, one, { timeline: tl });
  if (o.remeasure) forgetMediaFacts();
  process.env.SHOTGRAPH_SOUND_LANES = '2';
  const from = suite.calls().length;
  const second = await renderFinalCut(files, two, { timeline: tl });
  return { one, two, lanes: lanesRun(from), cuts: [first, second] };
}

/** Three 15 s clips whose sound is the expression `sound(i)` of t, for clip i. */
async function soundClips(name: string, sound: (i: number) => string): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < 3; i++) {
    const file = path.join(suite.dir(), `${name}-${i}.mp4`);
    await runFfmpeg([
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x96:r=24'],
      ...['-f', 'lavfi', '-i', `aevalsrc=exprs='${sound(i)}':s=48000:d=15`],
      ...houseEncoderArgs(),
      ...['-t', '15', '-f', 'mp4', file],
    ]);
    files.push(file);
  }
  return files;
}

/** Signal-to-noise of `x` against `ref`, dB. */
function snr(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i]! ** 2;
    e += (x[i]! - ref[i]!) ** 2;
  }
  return 10 * Math.log10(s / Math.max(e, 1e-20));
}

describe('a final cut with its sound in lanes', () => {
  it('lays out its 45 s film as the single pass does, the sound within two encodes’ difference', async () => {
    const files = await toneClips();
    const tl = timeline(files, { loudness: { enabled: true, target_lufs: -16 } });
    const one = path.join(suite.dir(), 'one.mp4');
    const two = path.join(suite.dir(), 'two.mp4');
    process.env.SHOTGRAPH_SOUND_LANES = '1';
    let from = suite.calls().length;
    await renderFinalCut(files, one, { timeline: tl });
    expect(lanesRun(from)).toHaveLength(0);

    forgetMediaFacts(); // measured again, so the sound is left decoded for this cut too
    process.env.SHOTGRAPH_SOUND_LANES = '2';
    from = suite.calls().length;
    let last = 0;
    const progress: number[] = [];
    const cut = await renderFinalCut(files, two, {
      timeline: tl,
      onProgress: (f) => {
        expect(f).toBeGreaterThanOrEqual(last);
        progress.push((last = f));
      },
    });
    expect(cut.mode).toBe('copy');
    expect(lanesRun(from)).toHaveLength(2);
    expect(progress.filter((f) => f > 0.2 && f < 1).length).toBeGreaterThan(3); // the lanes report as they go
    expect(progress.at(-1)).toBe(1);

    expect(await streamFacts(two)).toBe(await streamFacts(one));
    expect(await packets(two, 'v', true)).toEqual(await packets(one, 'v', true));
    const [pa, pb] = [await packets(one, 'a', false), await packets(two, 'a', false)];
    expect(pa.length).toBeGreaterThan(45 * 46);
    expect(pb).toEqual(pa);
    const [sa, sb] = [await audioSamples(one), await audioSamples(two)];
    expect(sb.length).toBe(sa.length);
    expect(Math.abs(sa.length - 45 * 48000)).toBeLessThan(1024); // within the last AAC frame
    expect(snr(sb, sa)).toBeGreaterThan(50);
    expect(Math.abs((await loudnessLufs(two)) - -16)).toBeLessThanOrEqual(0.5);
  });

  it('cut again with its clips known, encodes lanes from the clips themselves: the same layout', async () => {
    const files = await toneClips();
    // Per-clip gain and loudness: the lanes take both from the clips' files.
    const tl = timeline(files, {
      loudness: { enabled: true, target_lufs: -18 },
      clips: { clip1: { gain_db: -4 } },
    });
    const { one, two, lanes } = await bothWays('known', files, tl);
    expect(lanes).toHaveLength(2);
    // One lane reads the first clips, the other the last: neither reads them all. The lanes start
    // together, so the order their calls are logged in is not theirs.
    const reading = (file: string) => lanes.filter((l) => l.includes(file));
    expect(reading(files[0]!)).toHaveLength(1);
    expect(reading(files[0]!)[0]).not.toContain(files[2]);
    expect(reading(files[2]!)).toHaveLength(1);
    expect(reading(files[2]!)[0]).not.toContain(files[0]);
    expect(await streamFacts(two)).toBe(await streamFacts(one));
    expect(await packets(two, 'a', false)).toEqual(await packets(one, 'a', false));
    const [sa, sb] = [await audioSamples(one), await audioSamples(two)];
    expect(sb.length).toBe(sa.length);
    expect(snr(sb, sa)).toBeGreaterThan(50);
  });

  it('cancelled once its lanes have started, stops them and writes no film', async () => {
    const files = await toneClips();
    process.env.SHOTGRAPH_SOUND_LANES = '2';
    const out = path.join(suite.dir(), 'cancelled.mp4');
    const stop = new AbortController();
    const from = suite.calls().length;
    const cut = renderFinalCut(files, out, { timeline: timeline(files), signal: stop.signal });
    cut.catch(() => undefined);
    while (lanesRun(from).length < 2) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await expect(cut).rejects.toThrow(/cancel/);
    expect(existsSync(out)).toBe(false);
  });

  it('a film with a music bed ducking under its shots is cut in lanes: the same film', async () => {
    // Shots whose sound comes and goes (the bed ducks and recovers), over a bed that fades.
    const files = await soundClips('spoken', (i) => `0.3*sin(2*PI*${250 + 70 * i}*t)*lt(mod(t,2.6),1.3)`);
    const music = path.join(suite.dir(), 'music.wav');
    await runFfmpeg([
      ...['-loglevel', 'error', '-f', 'lavfi', '-i'],
      "aevalsrc=exprs='0.2*sin(2*PI*523*t)*(0.7+0.3*sin(2*PI*0.4*t))':s=48000:c=stereo:d=50",
      ...['-c:a', 'pcm_s16le', music],
    ]);
    const bed = { file: 'music.wav', gain_db: -3, fade_in: 2, fade_out: 3, duck: true, duck_db: 12 };
    const tl = {
      ...timeline(files, { music: bed, loudness: { enabled: true, target_lufs: -16 } }),
      musicFile: music,
    };
    const { one, two, lanes } = await bothWays('bed', files, tl);
    expect(lanes).toHaveLength(2);
    for (const lane of lanes) expect(lane).toContain(music); // each lane mixes its stretch of the bed
    expect(await streamFacts(two)).toBe(await streamFacts(one));
    expect(await packets(two, 'a', false)).toEqual(await packets(one, 'a', false));
    // The first lane's packets are the single pass's up to the splice; then two encodes differ.
    const [ha, hb] = [await packets(one, 'a', true), await packets(two, 'a', true)];
    expect(ha.findIndex((p, i) => p !== hb[i])).toBeGreaterThan(ha.length / 3);
    const [sa, sb] = [await audioSamples(one), await audioSamples(two)];
    expect(sb.length).toBe(sa.length);
    expect(snr(sb, sa)).toBeGreaterThan(45);
  });

  it('a film that needs its limiter is cut in lanes too, the limiter in each: the same film', async () => {
    // A quiet tone with loud clicks: bringing it to −11 LUFS puts the clicks over the ceiling.
    const files = await soundClips(
      'clicks',
      (i) => `0.03*sin(2*PI*${300 + 40 * i}*t)+0.9*lt(mod(t,0.37),0.001)`,
    );
    const tl = timeline(files, { loudness: { enabled: true, target_lufs: -11 } });
    // Measured again for the lanes, so the sound is left decoded for that cut too.
    const { one, two, lanes, cuts } = await bothWays('limited', files, tl, { remeasure: true });
    expect(cuts.map((c) => c.loudness?.limit)).toEqual([true, true]);
    expect(lanes).toHaveLength(2);
    expect(await streamFacts(two)).toBe(await streamFacts(one));
    expect(await packets(two, 'a', false)).toEqual(await packets(one, 'a', false));
    const [sa, sb] = [await audioSamples(one), await audioSamples(two)];
    expect(sb.length).toBe(sa.length);
    // The first lane's packets are the single pass's, byte for byte, up to the splice: the same
    // samples (the limiter's included) into the same encoder. The second lane's differ as two
    // encodes do; a lane without its limiter would let every click through, far below this.
    const [ha, hb] = [await packets(one, 'a', true), await packets(two, 'a', true)];
    const spliced = ha.findIndex((p, i) => p !== hb[i]);
    expect(spliced).toBeGreaterThan(ha.length / 3);
    expect(snr(sb, sa)).toBeGreaterThan(40); // 45.9 measured: clicks are where two encodes differ most
  });
});
