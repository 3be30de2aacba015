// The suite's own per-user cache folder (SHOTGRAPH_CACHE_DIR: font verdicts), shared by every test
// process and the CLIs they start, so a run of the tests writes nothing into the developer's home.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shotgraph-user-cache-'));
  process.env.SHOTGRAPH_CACHE_DIR = dir;
  return () => rm(dir, { recursive: true, force: true });
}
