// Where a project keeps its state: beside the graph file, so moving or copying the folder keeps
// the cache, the journal and the run history with it.
import path from 'node:path';

export const STATE_DIR = '.shotgraph';

export interface ProjectPaths {
  graphPath: string;
  graphDir: string;
  stateDir: string;
  cacheDir: string;
  runsDir: string;
}

export function projectPaths(graphPath: string): ProjectPaths {
  const abs = path.resolve(graphPath);
  const graphDir = path.dirname(abs);
  const stateDir = path.join(graphDir, STATE_DIR);
  return {
    graphPath: abs,
    graphDir,
    stateDir,
    cacheDir: path.join(stateDir, 'cache'),
    runsDir: path.join(stateDir, 'runs'),
  };
}

/** Default final-cut file: `<graph file name>.mp4` beside the graph. */
export function defaultOutput(graphPath: string): string {
  const abs = path.resolve(graphPath);
  return path.join(path.dirname(abs), path.basename(abs).replace(/\.json$/i, '') + '.mp4');
}
