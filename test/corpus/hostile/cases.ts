// The hostile corpus as the tests see it (issue 10): graph files that try to leave the project, read
// special files, hand private addresses to a gateway, overflow numbers, nest deeply or use prototype
// names, plus special files made at run time (FIFOs, sockets, device links, a sparse 20 MiB graph).
// Each case is copied into its own folder beside an "outside" folder of sentinel files.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, link, mkdir, open, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { MAX_GRAPH_BYTES } from '../../../shared/graph/parse';
import type { Expectation } from '../corpus';
import { CORPUS_DIR, MEDIA_DIR } from '../make-media';

export const HOSTILE_DIR = path.join(CORPUS_DIR, 'hostile');

/** What to make in the project (or, with {{OUTSIDE}}, in the sentinel folder) before the run. */
export type Setup =
  | { symlink: string; target: string }
  | { hardlink: string; target: string }
  | { fifo: string }
  | { socket: string }
  | { dir: string };

export interface HostileCase extends Expectation {
  setup?: Setup[];
  /** Extra command-line flags (e.g. --allow-outside, to reach the check behind the boundary). */
  args?: string[];
}

export const HOSTILE: Record<string, HostileCase> = JSON.parse(
  readFileSync(path.join(HOSTILE_DIR, 'expectations.json'), 'utf8'),
) as Record<string, HostileCase>;

/** Graphs made at run time: too big, too deep or not a file at all, so they cannot live in git. */
export const MADE: Record<string, HostileCase & { make: (file: string) => Promise<void> }> = {
  'graph-is-fifo.json': {
    code: 'file.not-file',
    mentions: 'not a regular file',
    make: async (file) => void execFileSync('mkfifo', [file]),
  },
  'graph-links-to-dev-zero.json': {
    code: 'file.not-file',
    mentions: 'not a regular file',
    make: (file) => symlink('/dev/zero', file),
  },
  'graph-is-folder.json': {
    code: 'file.directory',
    mentions: 'is a folder',
    make: (file) => mkdir(file),
  },
  'graph-sparse-20-mib.json': {
    code: 'file.too-large',
    mentions: 'at most 20 MiB',
    make: async (file) => {
      const handle = await open(file, 'w');
      await handle.truncate(MAX_GRAPH_BYTES + 1); // sparse: never read, so its bytes do not matter
      await handle.close();
    },
  },
  'graph-deep-nesting.json': {
    code: 'param',
    nodeId: 'img1',
    field: 'file',
    mentions: 'expected string',
    make: async (file) => {
      const deep = '['.repeat(200_000) + ']'.repeat(200_000);
      const text = readFileSync(path.join(HOSTILE_DIR, 'name-con.json'), 'utf8').replace(
        '"media/CON.png"',
        deep,
      );
      await writeFile(file, text.replace('"name": "Hostile"', `"name": "Hostile", "extra": ${deep}`));
    },
  },
  'graph-5001-nodes.json': {
    code: 'schema',
    field: 'nodes',
    mentions: '5000',
    make: async (file) => {
      const nodes = Array.from({ length: 5001 }, (_, i) => ({ id: `p${i}`, type: 'prompt', params: {} }));
      await writeFile(file, JSON.stringify({ format: 'shotgraph', version: 1, nodes, edges: [] }));
    },
  },
};

export const HOSTILE_FILES = readdirSync(HOSTILE_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'expectations.json')
  .sort();

export interface CaseFolders {
  root: string;
  project: string;
  outside: string;
  graphPath: string;
}

/**
 * Lays out one case: `root/project` (the graph, the corpus media, the case's special files) and
 * `root/outside` (sentinels a hostile graph would read or overwrite). Returns sockets to close.
 */
export async function layOutCase(
  file: string,
  root: string,
  port: number,
): Promise<CaseFolders & { servers: net.Server[] }> {
  const project = path.join(root, 'project');
  const outside = path.join(root, 'outside');
  const graphPath = path.join(project, file);
  await mkdir(outside, { recursive: true });
  await cp(MEDIA_DIR, path.join(project, 'media'), { recursive: true });
  await writeFile(path.join(outside, 'sentinel.mp4'), 'a file outside the project that must stay as it is');
  await cp(path.join(MEDIA_DIR, 'still-320.png'), path.join(outside, 'secret.png'));
  const fill = (s: string) =>
    s
      .replaceAll('{{OUTSIDE}}', outside)
      .replaceAll('{{PORT}}', String(port))
      .replaceAll('{{GRAPH}}', graphPath);
  const made = MADE[file];
  if (made) await made.make(graphPath);
  else await writeFile(graphPath, fill(readFileSync(path.join(HOSTILE_DIR, file), 'utf8')));
  const servers: net.Server[] = [];
  const at = (p: string) => (path.isAbsolute(fill(p)) ? fill(p) : path.join(project, p));
  for (const step of HOSTILE[file]?.setup ?? []) {
    if ('symlink' in step) await symlink(fill(step.target), at(step.symlink));
    else if ('hardlink' in step) await link(fill(step.target), at(step.hardlink));
    else if ('fifo' in step) execFileSync('mkfifo', [at(step.fifo)]);
    else if ('dir' in step) await mkdir(at(step.dir), { recursive: true });
    else {
      const server = net.createServer((s) => s.destroy());
      await new Promise<void>((resolve) => server.listen(at(step.socket), resolve));
      servers.push(server);
    }
  }
  return { root, project, outside, graphPath, servers };
}
