// Exports beyond MP4: an OpenTimelineIO file an NLE can import, and a storyboard sheet (PNG, PDF).
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOtio } from '../../electron/media/export-otio';
import { pdfOfPng } from '../../electron/media/storyboard-pdf';
import { renderStoryboardSheet, sheetLayout, SHEET } from '../../electron/media/storyboard-sheet';
import type { Graph } from '../../shared/graph/schema';
import { timelineOf, type Timeline } from '../../shared/timeline';
import { lumaRange, makeClip, size, tempDir } from '../helpers/media';

let dir: string;
let files: string[];

/** Four 5 s clips; shots 1–2 in scene "Harbour", 3–4 in "Lighthouse"; crossfade and dip to black. */
function graph(): Graph {
  const shot = (id: string, scene: string, text: string) => [
    { id: `${id}-p`, type: 'prompt', params: { text } },
    { id, type: 'shot', label: `Label of ${id}`, scene, params: { duration: 5 } },
  ];
  return {
    format: 'shotgraph',
    version: 2,
    name: 'Export test',
    nodes: [
      ...shot(
        's1',
        'Harbour',
        'Boats rock at their moorings while gulls circle overhead in the grey morning light.',
      ),
      ...shot('s2', 'Harbour', 'A fisherman coils rope.'),
      ...shot('s3', 'Lighthouse', 'The lamp turns.'),
      ...shot('s4', 'Lighthouse', 'Fog rolls in.'),
      {
        id: 'cut',
        type: 'final_cut',
        params: {
          clips: { s1: { trim_in: 0.5 } },
          transitions: { s2: { type: 'crossfade', duration: 1 }, s3: { type: 'fade_black', duration: 0.5 } },
        },
      },
    ],
    edges: [
      ...['s1', 's2', 's3', 's4'].map((id) => ({
        source: `${id}-p`,
        sourcePort: 'text',
        target: id,
        targetPort: 'prompt',
      })),
      ...['s1', 's2', 's3', 's4'].map((id, i) => ({
        source: id,
        sourcePort: 'video',
        target: 'cut',
        targetPort: 'clips',
        order: i,
      })),
    ],
  } as Graph;
}

let timeline: Timeline;

beforeAll(async () => {
  dir = await tempDir('shotgraph-export-');
  const patterns = ['testsrc2', 'mandelbrot', 'smptebars', 'testsrc2'] as const;
  files = [];
  for (const [i, pattern] of patterns.entries()) {
    files.push(
      await makeClip(path.join(dir, `s${i + 1}.mp4`), { width: 320, height: 180, seconds: 5, pattern }),
    );
  }
  timeline = timelineOf(graph(), 'cut', { s1: 5, s2: 5, s3: 5, s4: 5 });
  expect(timeline.problems).toEqual([]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('OpenTimelineIO', () => {
  it('is JSON with one video track whose clips and lengths match the cut', async () => {
    const out = path.join(dir, 'film.otio');
    await writeOtio(
      out,
      'Export test',
      timeline,
      files.map((file) => ({ file })),
    );
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.OTIO_SCHEMA).toBe('Timeline.1');
    expect(doc.tracks.OTIO_SCHEMA).toBe('Stack.1');
    expect(doc.tracks.children).toHaveLength(1);
    const track = doc.tracks.children[0];
    expect(track).toMatchObject({ OTIO_SCHEMA: 'Track.1', kind: 'Video' });
    type Item = { OTIO_SCHEMA: string; [k: string]: any };
    const items = track.children as Item[];
    expect(items.map((i) => i.OTIO_SCHEMA)).toEqual([
      'Clip.2',
      'Transition.1',
      'Clip.2',
      'Transition.1',
      'Clip.2',
      'Clip.2',
    ]);
    const clips = items.filter((i) => i.OTIO_SCHEMA === 'Clip.2');
    // The track's length (clips only; transitions overlap) is the film's: 4.5 + 5 + 5 + 5 − 1 − 0.5 s.
    const frames = clips.reduce((a, c) => a + c.source_range.duration.value, 0);
    expect(timeline.duration).toBe(18);
    expect(frames).toBe(18 * 24);
    for (const [i, c] of clips.entries()) {
      expect(c.source_range.duration.rate).toBe(24);
      const ref = c.media_references[c.active_media_reference_key];
      expect(ref.OTIO_SCHEMA).toBe('ExternalReference.1');
      expect(fileURLToPath(ref.target_url)).toBe(files[i]);
      expect(ref.available_range.duration.value).toBe(120);
      // A centred transition plays the clip's media beyond its source range: handles must exist.
      const start = c.source_range.start_time.value;
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start + c.source_range.duration.value).toBeLessThanOrEqual(120);
      expect(c.metadata.shotgraph.node).toBe(`s${i + 1}`);
    }
    expect(clips[0]!.source_range.start_time.value).toBe(12); // trim_in 0.5 s
    expect(items[1]).toMatchObject({
      transition_type: 'SMPTE_Dissolve',
      in_offset: { value: 12 },
      out_offset: { value: 12 },
    });
    expect(items[3]).toMatchObject({ in_offset: { value: 6 }, out_offset: { value: 6 } });
    // Clip 1 ends half the crossfade before its out point; clip 2 starts half of it after its in point.
    expect(clips[0]!.source_range.start_time.value + clips[0]!.source_range.duration.value).toBe(120 - 12);
    expect(clips[1]!.source_range.start_time.value).toBe(12);
  });
});

describe('storyboard sheet', () => {
  it('has one panel per shot, a row per scene, the layout’s size, and no blank panel', async () => {
    const out = path.join(dir, 'board.png');
    const layout = await renderStoryboardSheet(timeline, files, out, { title: 'Export test' });
    expect(layout).toEqual(sheetLayout(timeline));
    expect(await size(out)).toEqual([layout.width, layout.height]);
    expect(layout.posters).toHaveLength(4);
    expect(layout.headings.map((h) => h.text)).toEqual(['Harbour', 'Lighthouse']);
    // Scene 2 starts a new row even though row 1 has a free column.
    expect(layout.posters[2]!.x).toBe(layout.posters[0]!.x);
    expect(layout.posters[2]!.y).toBeGreaterThan(layout.posters[1]!.y);
    for (const r of layout.posters) {
      const poster = await lumaRange(out, 0, r);
      expect(poster.max - poster.min, `poster at ${r.x},${r.y}`).toBeGreaterThan(80);
    }
    // The empty third column of row 1 is plain paper; the prompt under panel 1 is ink on paper.
    const free = {
      x: layout.posters[1]!.x + SHEET.posterWidth + SHEET.gap,
      y: layout.posters[0]!.y,
      w: 200,
      h: 150,
    };
    const paper = await lumaRange(out, 0, free);
    expect(paper.max - paper.min).toBeLessThan(3);
    const caption = {
      x: layout.posters[0]!.x,
      y: layout.posters[0]!.y + SHEET.posterHeight + 60,
      w: 300,
      h: 60,
    };
    expect((await lumaRange(out, 0, caption)).min).toBeLessThan(100);
  });

  it('as a PDF: one page embedding the sheet losslessly', async () => {
    const png = path.join(dir, 'small.png');
    await renderStoryboardSheet(timeline, files, png, { title: 'PDF' });
    const [w, h] = await size(png);
    const pdf = pdfOfPng(await readFile(png));
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    // Every xref offset points at its object.
    const at = text.lastIndexOf('\nxref\n') + 1;
    const xref = text.slice(at);
    const offsets = [...xref.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((o, i) => expect(text.slice(o, o + 12)).toMatch(new RegExp(`^${i + 1} 0 obj`)));
    expect(Number(/startxref\n(\d+)/.exec(text)![1])).toBe(at);
    // The image stream inflates to the PNG's rows: one filter byte plus RGB per pixel.
    const start = text.indexOf('stream\n', text.indexOf('/Subtype /Image')) + 'stream\n'.length;
    const length = Number(/\/Subtype \/Image.*?\/Length (\d+)/s.exec(text)![1]);
    expect(inflateSync(pdf.subarray(start, start + length)).length).toBe(h * (1 + 3 * w));
  });
});
