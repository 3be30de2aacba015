// Every CLI suite spawns bin/shotgraph.js, which builds its bundle (dist-cli/) on the first start after
// a source changed. Built here once, before any test file runs: on a fresh clone the first spawns of
// two workers would otherwise each build one, inside some test's time and timeout.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface CliBundle {
  freshBundle(): string | undefined;
  buildBundle(): Promise<string>;
}

export default async function setup(): Promise<void> {
  const file = path.resolve(import.meta.dirname, '../../bin/cli-bundle.js');
  const bundle = (await import(pathToFileURL(file).href)) as CliBundle;
  // A tree where no bundle can be built runs the sources through tsx, as users' would.
  if (!bundle.freshBundle()) await bundle.buildBundle().catch(() => undefined);
}
