// The start gallery's commands: templates from the host, a new film from one, Save as template.
import { create } from 'zustand';
import type { TemplateView } from '../../shared/contract';
import { selectDirty, useDocument } from '../stores/document';
import { toast, useUi } from '../stores/ui';
import { host } from '../transport';
import { ensureSaved, openFilm, reportProblem, saveFilm } from './files';

export const useTemplates = create<{ list: TemplateView[]; loaded: boolean }>(() => ({
  list: [],
  loaded: false,
}));

export async function loadTemplates(): Promise<void> {
  try {
    const { templates } = await host.call('templates.list', {});
    useTemplates.setState({ list: templates, loaded: true });
  } catch (e) {
    useTemplates.setState({ loaded: true });
    reportProblem('Could not list the templates', e);
  }
}

export function showGallery(open = true): void {
  useUi.setState({ gallery: open });
  if (open) void loadTemplates();
}

/** A new project folder from a template, opened at once. */
export async function newFromTemplate(t: TemplateView): Promise<boolean> {
  const folder = window.prompt(`Folder for your new film "${t.title}"`, `films/${t.name}`)?.trim();
  if (!folder) return false;
  try {
    const { path } = await host.call('templates.create', { name: t.name, folder });
    const opened = await openFilm(path);
    if (opened) {
      useUi.setState({ gallery: false });
      toast(`New film from "${t.title}" in ${folder}`, 'success');
    }
    return opened;
  } catch (e) {
    reportProblem(`Could not make a film from "${t.title}"`, e);
    return false;
  }
}

/** The film (saved first) becomes one of the user's templates. */
export async function saveAsTemplate(): Promise<void> {
  const path = await ensureSaved('a template is made from the saved film');
  if (!path) return;
  if (selectDirty(useDocument.getState()) && !(await saveFilm())) return;
  const name = window.prompt('Name of the template', useDocument.getState().name)?.trim();
  if (!name) return;
  try {
    await host.call('templates.save', { path, name });
    toast(`Saved as the template "${name}"`, 'success');
    void loadTemplates();
  } catch (e) {
    reportProblem('Could not save as a template', e);
  }
}
