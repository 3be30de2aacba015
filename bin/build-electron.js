#!/usr/bin/env node
// Bundles the desktop app's main process (ESM) and preload (CommonJS, as sandboxed preloads
// must be) into dist-electron/. The renderer is built separately by `vite build`.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'info',
  absWorkingDir: root,
};

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist-electron/main.js',
  format: 'esm',
  // Everything else is bundled, so the packaged app needs no node_modules but these: electron is
  // the runtime, and the binary packages stay real folders (their binaries are unpacked from the
  // asar; electron/media/binaries.ts requires them at run time). test/electron/dist.test.ts checks it.
  external: ['electron', 'ffmpeg-static', '@ffprobe-installer/ffprobe'],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});

await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist-electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
