#!/usr/bin/env node
// The `shotgraph` command. It runs a bundle of the TypeScript sources (bin/cli-bundle.js), built at
// install or on the first start after any source changed, so starting costs no compilation. Where no
// bundle can be built (no esbuild, a read-only install) it runs the sources through tsx instead.
// SHOTGRAPH_CLI=source always runs the sources; SHOTGRAPH_CLI_TRACE=1 says which one ran.
import { pathToFileURL } from 'node:url';
import { buildBundle, freshBundle } from './cli-bundle.js';

const trace = process.env.SHOTGRAPH_CLI_TRACE ? (m) => process.stderr.write(`shotgraph: ${m}\n`) : () => {};

async function bundle() {
  if (process.env.SHOTGRAPH_CLI === 'source') return undefined;
  const fresh = freshBundle();
  if (fresh) {
    trace(`bundle ${fresh}`);
    return fresh;
  }
  try {
    const built = await buildBundle();
    trace(`built bundle ${built}`);
    return built;
  } catch (e) {
    trace(`source (no bundle: ${e?.message ?? e})`);
    return undefined;
  }
}

const entry = await bundle();
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  trace('source through tsx');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/cli.ts');
}
