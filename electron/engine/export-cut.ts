// A final cut exported beyond MP4, from the clips already rendered: an OpenTimelineIO file and/or a
// storyboard sheet (PNG, or PDF by extension). Renders nothing and calls no gateway. One function
// for `shotgraph export` and the editor's Export menu, so both write the same files.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Graph } from '../../shared/graph/schema';
import type { Problem } from '../../shared/problems';
import { timelineOf } from '../../shared/timeline';
import { tempBeside } from '../media/atomic-output';
import { writeOtio } from '../media/export-otio';
import { pngToPdf } from '../media/storyboard-pdf';
import { renderStoryboardSheet } from '../media/storyboard-sheet';
import { cachedCutClips } from './cut-clips';
import { preparePlan } from './plan';

export interface ExportRequest {
  graphPath: string;
  /** The graph as the editor has it; default: the file at graphPath. */
  graph?: Graph;
  provider?: string;
  allowOutside?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Final cut node to export; default: the first. */
  node?: string;
  otio?: string;
  /** `.pdf` writes a PDF, anything else a PNG. */
  storyboard?: string;
  signal?: AbortSignal;
}

export type ExportResult = { ok: true; written: string[] } | { ok: false; problems: Problem[] };

export async function exportCut(req: ExportRequest): Promise<ExportResult> {
  const planned = await preparePlan({
    graphPath: req.graphPath,
    ...(req.graph ? { graph: req.graph } : {}),
    ...(req.provider ? { provider: req.provider } : {}),
    ...(req.env ? { env: req.env } : {}),
    allowOutside: req.allowOutside ?? false,
  });
  if (!planned.ok) return planned;
  const { plan } = planned;
  const cuts = plan.graph.nodes.filter((n) => n.type === 'final_cut');
  const cut = req.node ? cuts.find((n) => n.id === req.node) : cuts[0];
  if (!cut) {
    const which = req.node ? `no final cut node "${req.node}"` : 'no final cut node';
    const known = cuts.length ? `; final cuts: ${cuts.map((n) => n.id).join(', ')}` : '';
    return {
      ok: false,
      problems: [{ code: 'export.no-cut', message: `there is ${which} to export${known}` }],
    };
  }
  const clips = await cachedCutClips(plan, cut.id, req.signal);
  if (!clips.ok) return clips;
  const timeline = timelineOf(
    plan.graph,
    cut.id,
    Object.fromEntries(clips.clips.map((c) => [c.nodeId, c.seconds])),
  );
  if (timeline.problems.length) return { ok: false, problems: timeline.problems };
  const title = cut.label ?? plan.graph.name;
  const files = clips.clips.map((c) => c.file);
  const written: string[] = [];
  if (req.otio) {
    const out = path.resolve(req.otio);
    await writeOtio(
      out,
      title,
      timeline,
      files.map((file) => ({ file })),
    );
    written.push(out);
  }
  if (req.storyboard) {
    const out = path.resolve(req.storyboard);
    const opts = {
      title,
      ...(req.env ? { env: req.env } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    };
    if (/\.pdf$/i.test(out)) {
      const png = tempBeside(out) + '.png';
      try {
        await renderStoryboardSheet(timeline, files, png, opts);
        await pngToPdf(png, out);
      } finally {
        await rm(png, { force: true });
      }
    } else await renderStoryboardSheet(timeline, files, out, opts);
    written.push(out);
  }
  return { ok: true, written };
}
