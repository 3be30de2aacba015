// `shotgraph export`: the final cut's timeline as an OpenTimelineIO file and/or a storyboard sheet
// (PNG, or PDF by extension), from the clips already rendered. Renders nothing, calls no gateway.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { timelineOf } from '../../shared/timeline';
import { cachedCutClips } from '../engine/cut-clips';
import { preparePlan } from '../engine/plan';
import { writeOtio } from '../media/export-otio';
import { pngToPdf } from '../media/storyboard-pdf';
import { renderStoryboardSheet } from '../media/storyboard-sheet';
import { tempBeside } from '../media/atomic-output';
import { printProblems } from './problems';
import { rm } from 'node:fs/promises';

export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      otio: { type: 'string' },
      storyboard: { type: 'string' },
      node: { type: 'string' },
      provider: { type: 'string' },
      'allow-outside': { type: 'boolean', default: false },
    },
  });
  const graphPath = positionals[0];
  if (!graphPath)
    throw Object.assign(new Error('a graph file is required'), { code: 'ERR_PARSE_ARGS_MISSING' });
  if (!values.otio && !values.storyboard) {
    console.error('shotgraph export: say what to write: --otio FILE and/or --storyboard FILE (.png or .pdf)');
    return 2;
  }
  const planned = await preparePlan({
    graphPath,
    allowOutside: values['allow-outside'],
    ...(values.provider ? { provider: values.provider } : {}),
  });
  if (!planned.ok) {
    printProblems(planned.problems, graphPath);
    return 1;
  }
  const { plan } = planned;
  const cuts = plan.graph.nodes.filter((n) => n.type === 'final_cut');
  const cut = values.node ? cuts.find((n) => n.id === values.node) : cuts[0];
  if (!cut) {
    const which = values.node ? `no final cut node "${values.node}"` : 'no final cut node';
    console.error(
      `${graphPath}: there is ${which} to export${cuts.length ? `; final cuts: ${cuts.map((n) => n.id).join(', ')}` : ''}`,
    );
    return 1;
  }
  const clips = await cachedCutClips(plan, cut.id);
  if (!clips.ok) {
    printProblems(clips.problems, graphPath);
    return 1;
  }
  const timeline = timelineOf(
    plan.graph,
    cut.id,
    Object.fromEntries(clips.clips.map((c) => [c.nodeId, c.seconds])),
  );
  if (timeline.problems.length) {
    printProblems(timeline.problems, graphPath);
    return 1;
  }
  const title = cut.label ?? plan.graph.name;
  const files = clips.clips.map((c) => c.file);
  if (values.otio) {
    await writeOtio(
      path.resolve(values.otio),
      title,
      timeline,
      files.map((file) => ({ file })),
    );
    console.log(path.resolve(values.otio));
  }
  if (values.storyboard) {
    const out = path.resolve(values.storyboard);
    if (/\.pdf$/i.test(out)) {
      const png = tempBeside(out) + '.png';
      try {
        await renderStoryboardSheet(timeline, files, png, { title });
        await pngToPdf(png, out);
      } finally {
        await rm(png, { force: true });
      }
    } else await renderStoryboardSheet(timeline, files, out, { title });
    console.log(out);
  }
  return 0;
}
