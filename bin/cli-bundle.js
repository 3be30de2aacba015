// The `shotgraph` command's bundle: electron/cli.ts and everything it imports from this repository,
// compiled once by esbuild into dist-cli/<build>/, so a start costs loading JavaScript instead of
// compiling TypeScript. Packages are loaded from node_modules (except zod, see BUNDLED_PACKAGES)
// and every command is a separate chunk, loaded only when that command runs.
//
// A bundle records every source file it was built from (size and mtime); `freshBundle` answers it
// only while all of them are unchanged, so an edited, added-to or checked-out tree is never run from
// old code. Builds go to a new folder and are published by an atomic rename of current.json, so
// two processes building at once both end up running a complete bundle.
//
// `node bin/cli-bundle.js` builds it (npm's `prepare` runs this at install; it never fails the install).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'electron/cli.ts';
/** Files outside the import graph that change what esbuild produces. */
const ALSO_WATCHED = ['package.json', 'tsconfig.json', 'bin/cli-bundle.js'];
/**
 * Packages compiled into the bundle: zod is on every command's path and is ~100 small ES modules,
 * whose one-by-one loading cost more than the rest of the start. Its files are inputs like ours, so
 * an upgrade rebuilds the bundle. Every other package is loaded from node_modules when needed.
 */
const BUNDLED_PACKAGES = ['zod'];
/**
 * zod's error messages in 40-odd languages, reachable through `z.locales` only: the command never
 * switches language, so only English is bundled (they were a third of the code every start parsed).
 */
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;
/**
 * Earlier builds kept beside the current one: a long-running `shotgraph web` loads command chunks
 * from the build it started with. Beyond the newest KEEP_BUILDS, or once a day old, they go.
 */
const KEEP_BUILDS = 10;
const KEEP_OLD_MS = 24 * 3600_000;

const distDir = (root) => path.join(root, 'dist-cli');
const currentFile = (root) => path.join(distDir(root), 'current.json');

/** The entry file of a bundle built from exactly the sources on disk, or undefined. */
export function freshBundle(root = ROOT) {
  try {
    const current = JSON.parse(readFileSync(currentFile(root), 'utf8'));
    for (const [file, [size, mtimeMs]] of Object.entries(current.inputs)) {
      const s = statSync(path.join(root, file));
      if (s.size !== size || s.mtimeMs !== mtimeMs) return undefined;
    }
    const entry = path.join(distDir(root), current.entry);
    return statSync(entry).isFile() ? entry : undefined;
  } catch {
    // No bundle yet, a source removed, or a manifest that is not ours: build a new one.
    return undefined;
  }
}

/** Builds a bundle of the sources on disk and makes it current; returns its entry file. */
export async function buildBundle(root = ROOT) {
  const { build } = await import('esbuild');
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const outdir = path.join(distDir(root), id);
  mkdirSync(distDir(root), { recursive: true });
  // An input whose mtime is not older than a stamp written just before the build may have been
  // read before or after an edit: it is recorded with an impossible size, so the next start builds
  // again. The stamp's time comes from the same file system, so its clock and granularity match.
  const stamp = path.join(distDir(root), `.${id}.stamp`);
  writeFileSync(stamp, '');
  const startedAt = statSync(stamp).mtimeMs;
  rmSync(stamp, { force: true });
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: { shotgraph: ENTRY },
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      // Smaller code is parsed faster at every start; names are kept for errors and stack traces.
      minify: true,
      keepNames: true,
      plugins: [packagesOutside(BUNDLED_PACKAGES), englishOnly(), ownLocation(root, outdir)],
      banner: { js: "import { fileURLToPath as __sgPath } from 'node:url';" },
    });
    const inputs = [...Object.keys(result.metafile.inputs), ...ALSO_WATCHED];
    const manifest = {
      entry: path.posix.join(id, 'shotgraph.js'),
      builtAt: new Date().toISOString(),
      inputs: Object.fromEntries(inputs.map((f) => [f, recorded(root, f, startedAt)])),
    };
    const tmp = `${currentFile(root)}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(manifest, null, 1));
    renameSync(tmp, currentFile(root));
    removeOldBuilds(root, id);
    return path.join(outdir, 'shotgraph.js');
  } catch (e) {
    rmSync(outdir, { recursive: true, force: true });
    throw e;
  }
}

/** Leaves bare imports (packages, node: builtins) to Node, except the packages named. */
function packagesOutside(bundled) {
  return {
    name: 'packages-outside',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/', 2).join('/') : args.path.split('/')[0];
        return bundled.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** zod's locale index with English alone (see ZOD_LOCALES). */
function englishOnly() {
  return {
    name: 'zod-english-only',
    setup(b) {
      b.onLoad({ filter: ZOD_LOCALES }, () => ({
        contents: 'export { default as en } from "./en.js";',
        loader: 'js',
      }));
    },
  };
}

/**
 * Bundled code runs from dist-cli/<build>/, but a module that finds files beside itself
 * (`new URL('..', import.meta.url)`, createRequire) must keep seeing its own source location.
 */
function ownLocation(root, outdir) {
  return {
    name: 'own-location',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.')) return undefined;
        const rel = (p) => JSON.stringify(path.relative(outdir, p).split(path.sep).join('/'));
        const url = `new URL(${rel(args.path)}, import.meta.url)`;
        const dirUrl = `new URL(${rel(path.dirname(args.path))} + '/', import.meta.url)`;
        const contents = source
          .replaceAll('import.meta.url', `${url}.href`)
          .replaceAll('import.meta.filename', `__sgPath(${url})`)
          .replaceAll('import.meta.dirname', `__sgPath(${dirUrl}).replace(/[\\\\/]$/, '')`);
        return { contents, loader: 'ts', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/** [size, mtimeMs] of an input as freshBundle will compare it; [-1, -1] forces a rebuild. */
function recorded(root, file, startedAt) {
  try {
    const s = statSync(path.join(root, file));
    return s.mtimeMs >= startedAt ? [-1, -1] : [s.size, s.mtimeMs];
  } catch {
    return [-1, -1];
  }
}

function removeOldBuilds(root, keep) {
  const now = Date.now();
  const builds = [];
  for (const name of readdirSync(distDir(root))) {
    if (name === keep || name === 'current.json' || name.startsWith('.') || name.endsWith('.tmp')) continue;
    const dir = path.join(distDir(root), name);
    try {
      builds.push({ dir, at: statSync(dir).mtimeMs });
    } catch {
      // Removed meanwhile by another process.
    }
  }
  builds.sort((x, y) => y.at - x.at);
  builds.forEach(({ dir, at }, i) => {
    if (i >= KEEP_BUILDS || now - at > KEEP_OLD_MS) rmSync(dir, { recursive: true, force: true });
  });
}

// `node bin/cli-bundle.js`: build now (npm `prepare`). A missing esbuild (a production install)
// or a read-only folder is not an error: the command then runs from source through tsx.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const entry = await buildBundle(ROOT);
    console.log(`shotgraph: command bundle built (${path.relative(ROOT, entry)})`);
  } catch (e) {
    console.warn(`shotgraph: no command bundle (${e?.message ?? e}); the command will run from source`);
  }
}
