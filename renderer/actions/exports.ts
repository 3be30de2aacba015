// The Export menu: the final cut as an OpenTimelineIO file or a storyboard sheet, written by the host
// beside the film file from the clips already rendered (as `shotgraph export` does).
import { shownCut } from '../model/film';
import { useDocument } from '../stores/document';
import { toast, useUi } from '../stores/ui';
import { host } from '../transport';
import { currentGraph, ensureSaved, reportProblem } from './files';

export type ExportKind = 'otio' | 'png' | 'pdf';

const WHAT: Record<ExportKind, string> = {
  otio: 'OpenTimelineIO file',
  png: 'storyboard sheet',
  pdf: 'storyboard PDF',
};

export async function exportFilm(kind: ExportKind): Promise<string | null> {
  const path = await ensureSaved('exports are written beside it');
  if (!path) return null;
  const cut = shownCut(useDocument.getState().nodes, useUi.getState().cut);
  if (!cut) {
    toast('Add a Final cut to export: it sets the film’s order', 'error');
    return null;
  }
  const input = { path, graph: currentGraph(), cut };
  try {
    const { file } =
      kind === 'otio'
        ? await host.call('export.otio', input)
        : await host.call('export.storyboard', { ...input, format: kind });
    useUi.setState({ exported: file });
    toast(`Wrote the ${WHAT[kind]}: ${file}`, 'success');
    return file;
  } catch (e) {
    reportProblem(`Could not write the ${WHAT[kind]}`, e);
    return null;
  }
}
