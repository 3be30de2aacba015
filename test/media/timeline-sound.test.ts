// The timeline's sound: a music bed with fades that ducks under the shots' own sound, and loudness
// normalised to an EBU R128 target, measured afterwards with ffmpeg's ebur128.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { houseEncoderArgs } from '../../electron/media/clip-format';
import { runFfmpeg } from '../../electron/media/ffmpeg';
import { renderFinalCut, type CutTimeline } from '../../electron/media/final-cut';
import { finalCutParams } from '../../shared/nodes/final-cut';
import { durationOf, levelDb, loudnessLufs, makeClip, peakDb, tempDir } from '../helpers/media';

let dir: string;
/** Tone, silence, tone: 4 s house clips, so the pictures are stream-copied and only sound is made. */
let clips: string[];
let music: string;

const MUSIC_HZ = 1000;
const cutWith = (params: Record<string, unknown>, musicFile?: string): CutTimeline => ({
  nodeId: 'cut',
  clipIds: ['a', 'b', 'c'],
  params: finalCutParams.parse(params),
  ...(musicFile ? { musicFile } : {}),
});

beforeAll(async () => {
  dir = await tempDir('shotgraph-timeline-sound-');
  clips = [];
  for (const [i, audio] of ([true, 'silence', true] as const).entries()) {
    clips.push(
      await makeClip(path.join(dir, `clip-${i}.mp4`), {
        width: 320,
        height: 176,
        seconds: 4,
        audio,
        encoder: houseEncoderArgs(),
      }),
    );
  }
  music = path.join(dir, 'music.wav');
  await runFfmpeg([
    ...['-loglevel', 'error', '-f', 'lavfi', '-i', `aevalsrc=0.25*sin(2*PI*${MUSIC_HZ}*t):s=44100:d=20`],
    ...['-c:a', 'pcm_s16le', music],
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('music bed', () => {
  const bed = { file: 'music.wav', gain_db: 0, fade_in: 0.5, fade_out: 0.5, duck_db: 12 };
  const render = async (name: string, duck: boolean) => {
    const out = path.join(dir, name);
    const cut = await renderFinalCut(clips, out, {
      timeline: cutWith({ music: { ...bed, duck }, loudness: { enabled: false } }, music),
    });
    expect(cut.mode).toBe('copy');
    expect(Math.abs((await durationOf(out)) - 12)).toBeLessThan(0.05);
    return out;
  };
  // The music alone, measured in its band: under clip 1 (tone) and under clip 2 (silence).
  const underShots = (f: string) => levelDb(f, 1, 3.5, MUSIC_HZ);
  const alone = (f: string) => levelDb(f, 5, 7.5, MUSIC_HZ);

  it('is present, fades in and out, and ducks under the shots’ own sound', async () => {
    const ducked = await render('ducked.mp4', true);
    const level = await alone(ducked);
    expect(level).toBeGreaterThan(-20); // 0.25 amplitude is −15 dBFS RMS
    expect(level - (await underShots(ducked))).toBeGreaterThan(6);
    expect(level - (await underShots(ducked))).toBeLessThan(14);
    // Back up under the silent clip, down again under the third.
    expect(level - (await levelDb(ducked, 9, 11, MUSIC_HZ))).toBeGreaterThan(6);
    expect(await levelDb(ducked, 0, 0.1, MUSIC_HZ)).toBeLessThan(
      (await levelDb(ducked, 0.4, 0.6, MUSIC_HZ)) - 6,
    );
    expect(await levelDb(ducked, 11.9, 12, MUSIC_HZ)).toBeLessThan(
      (await levelDb(ducked, 11.4, 11.5, MUSIC_HZ)) - 6,
    );
  });

  it('without ducking keeps one level throughout', async () => {
    const flat = await render('flat.mp4', false);
    expect(Math.abs((await alone(flat)) - (await underShots(flat)))).toBeLessThan(1.5);
  });
});

describe('loudness', () => {
  it('normalises the film to −14 LUFS by default (±1 LU, ebur128)', async () => {
    const out = path.join(dir, 'minus14.mp4');
    const cut = await renderFinalCut(clips, out, { timeline: cutWith({}) });
    expect(cut.mode).toBe('copy');
    expect(cut.loudness?.measuredLufs).toBeLessThan(-15); // the tones alone are quieter
    expect(Math.abs((await loudnessLufs(out)) - -14)).toBeLessThanOrEqual(1);
  });

  it('reaches another target (−20 LUFS), with a music bed and crossfades (one filtergraph pass)', async () => {
    const out = path.join(dir, 'minus20.mp4');
    const cut = await renderFinalCut(clips, out, {
      timeline: cutWith(
        {
          transitions: { b: { type: 'crossfade', duration: 1 }, c: { type: 'fade_black', duration: 0.5 } },
          music: { file: 'music.wav' },
          loudness: { enabled: true, target_lufs: -20 },
        },
        music,
      ),
    });
    expect(cut.mode).toBe('filtered');
    expect(Math.abs((await durationOf(out)) - 10.5)).toBeLessThan(0.05);
    expect(Math.abs((await loudnessLufs(out)) - -20)).toBeLessThanOrEqual(1);
  });

  it('limits the peaks when the gain alone would clip, and still lands on target', async () => {
    // A quiet tone with sharp clicks: reaching −14 LUFS by gain alone would put the clicks far over 0 dBFS.
    const clicks = path.join(dir, 'clicks.mp4');
    await runFfmpeg([
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x176:r=24'],
      ...[
        '-f',
        'lavfi',
        '-i',
        "aevalsrc='0.03*sin(2*PI*330*t)+if(lt(mod(t,0.5),0.002),0.9,0)':s=48000:c=stereo",
      ],
      ...houseEncoderArgs(),
      ...['-t', '4', '-f', 'mp4', clicks],
    ]);
    const out = path.join(dir, 'limited.mp4');
    const cut = await renderFinalCut([clicks, clips[1]!, clicks], out, { timeline: cutWith({}) });
    expect(cut.loudness?.limit).toBe(true);
    expect(Math.abs((await loudnessLufs(out)) - -14)).toBeLessThanOrEqual(1);
    expect(await peakDb(out)).toBeLessThan(-0.5);
  });

  it('leaves a silent film silent', async () => {
    const silent = [clips[1]!, clips[1]!, clips[1]!];
    const out = path.join(dir, 'silent.mp4');
    const cut = await renderFinalCut(silent, out, { timeline: cutWith({}) });
    expect(cut.loudness).toBeUndefined();
    expect(await levelDb(out, 0, 12)).toBe(-Infinity);
  });
});
