// The broken-graph corpus as the tests see it: every graph file, what it must yield, and a
// copier that puts one case (with its media) into a fresh folder.
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CORPUS_DIR, MEDIA_DIR } from './make-media';

export interface Expectation {
  code: string;
  nodeId?: string;
  field?: string;
  /** Part of the message that says what is allowed. */
  mentions: string;
}

export const EXPECTATIONS = JSON.parse(
  readFileSync(path.join(CORPUS_DIR, 'expectations.json'), 'utf8'),
) as Record<string, Expectation>;

/** Every graph file in the corpus folder; `valid*.json` are the graphs that must pass. */
export const GRAPH_FILES = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'expectations.json')
  .sort();
export const VALID_FILES = GRAPH_FILES.filter((f) => f.startsWith('valid'));
export const BROKEN_FILES = Object.keys(EXPECTATIONS).sort();

/** Copies one case and the generated media into `dir`; returns the graph's path there. */
export async function copyCase(file: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await cp(path.join(CORPUS_DIR, file), path.join(dir, file));
  await cp(MEDIA_DIR, path.join(dir, 'media'), { recursive: true });
  return path.join(dir, file);
}
