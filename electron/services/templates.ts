// Templates for the start gallery and Save as template (issue 13): the engine's templates
// (electron/engine/templates.ts) with paths as the editor shows them and the poster inlined, since
// templates live outside the workspace the media route serves.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ContractError, type TemplateView } from '../../shared/contract';
import { ProblemError } from '../../shared/problems';
import * as engine from '../engine/templates';
import type { Workspace } from './workspace';

const POSTER_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};
const MAX_POSTER_BYTES = 512 * 1024;

async function posterUrl(file: string | undefined): Promise<string | null> {
  const type = file && POSTER_TYPES[path.extname(file).toLowerCase()];
  if (!file || !type) return null;
  const st = await fs.stat(file).catch(() => null);
  if (!st?.isFile() || st.size > MAX_POSTER_BYTES) return null;
  return `data:${type};base64,${(await fs.readFile(file)).toString('base64')}`;
}

/** The engine's problems cross the contract as one error naming them all. */
async function asContract<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ProblemError)
      throw new ContractError(e.problems[0]?.code ?? 'template.invalid', e.message, e.problems);
    throw e;
  }
}

export async function listTemplates(): Promise<TemplateView[]> {
  const all = await engine.listTemplates();
  return Promise.all(
    all.map(async (t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      poster: await posterUrl(t.poster),
      inputs: t.inputs.map((i) => i.name),
      user: t.source === 'user',
    })),
  );
}

/** A new project folder from a template; returns the film's path as the editor shows it. */
export function createFromTemplate(ws: Workspace, name: string, folder: string): Promise<string> {
  return asContract(async () => {
    const made = await engine.createFromTemplate(name, ws.resolve(folder));
    return ws.show(made.graphPath);
  });
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);

/** The saved film and its media become the user's template, named after its title. */
export function saveAsTemplate(ws: Workspace, shown: string, title: string): Promise<string> {
  return asContract(async () => {
    const saved = await engine.saveAsTemplate(ws.resolve(shown), slug(title), { title });
    return saved.name;
  });
}
