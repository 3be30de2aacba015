// Maps the paths the editor sees to real files and back. Web mode shows paths relative to its
// workspace root and refuses anything outside it (a browser tab must not roam the disk); the
// desktop app shows absolute paths under the filesystem root.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../shared/contract';

export interface Workspace {
  readonly root: string;
  /** Where the file browser starts. */
  readonly home: string;
  /** Folder for the editor's own state: recent files, recovery copies. */
  readonly stateDir: string;
  /** Editor path → absolute path, or ContractError('path.outside'). */
  resolve(shown: string, base?: string | null): string;
  /** Absolute path → the path the editor shows. */
  show(absolute: string): string;
  /** Whether an absolute path (e.g. an engine output) lies inside the root. */
  contains(absolute: string): boolean;
}

export function createWorkspace(opts: {
  root: string;
  stateDir: string;
  relative: boolean;
  home?: string;
}): Workspace {
  const root = realOrSelf(path.resolve(opts.root));
  const home = opts.home ? realOrSelf(path.resolve(opts.home)) : root;
  const inside = (abs: string) =>
    abs === root || abs.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  const resolve = (shown: string, base?: string | null): string => {
    if (shown.includes('\0')) throw new ContractError('path.invalid', 'the path contains a NUL byte');
    const parts = shown.split(/[\\/]+/).filter(Boolean);
    const isAbsolute = path.isAbsolute(shown) || /^[a-z]:[\\/]/i.test(shown);
    let abs: string;
    if (isAbsolute) abs = opts.relative ? path.resolve(root, ...parts) : path.resolve(shown);
    else if (base) abs = path.resolve(path.dirname(resolve(base)), ...parts);
    else abs = path.resolve(root, ...parts);
    // Symlinks could lead out of the root, so the real location is what must be inside it.
    const real = realOrSelf(abs);
    if (!inside(abs) || !inside(real)) {
      throw new ContractError(
        'path.outside',
        `"${shown}" is outside the workspace folder ${opts.relative ? '' : root}`.trim(),
      );
    }
    return abs;
  };
  const show = (absolute: string): string =>
    opts.relative ? path.relative(root, absolute).split(path.sep).join('/') : absolute;
  const contains = (absolute: string) =>
    inside(path.resolve(absolute)) && inside(realOrSelf(path.resolve(absolute)));
  return { root, home, stateDir: opts.stateDir, resolve, show, contains };
}

/** realpath of the path, or of its nearest existing ancestor joined with the rest. */
function realOrSelf(abs: string): string {
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(head), ...tail);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return abs;
      tail.unshift(path.basename(head));
      head = parent;
    }
  }
}
