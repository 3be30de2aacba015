#!/usr/bin/env node
// `npm start`: build the renderer and the main process, then open the desktop app. Where the
// Electron binary is missing (its download is blocked or was skipped) say so plainly and point
// to web mode, which needs no binary.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package exports the path of the binary it downloaded at install time.
    const bin = require('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

// package.json's allowScripts keeps `npm install` from running Electron's download (it must not
// fail an install where GitHub is unreachable), so the first `npm start` fetches the binary.
function downloadElectron() {
  const installer = path.join(root, 'node_modules/electron/install.js');
  if (!existsSync(installer)) return;
  console.error('Shotgraph: downloading the Electron binary (first start only)…');
  const r = spawnSync(process.execPath, [installer], {
    cwd: path.dirname(installer),
    encoding: 'utf8',
    timeout: 300_000,
  });
  const why = (r.stderr || '').split('\n').find((l) => /error/i.test(l));
  if (r.status !== 0) console.error(`Shotgraph: the download failed${why ? `: ${why.trim()}` : ''}`);
}

let electron = electronBinary();
if (!electron) {
  downloadElectron();
  electron = electronBinary();
}
if (!electron) {
  console.error(
    [
      'Shotgraph: the desktop window cannot start on this machine, because the Electron binary is not installed',
      '(its download from GitHub failed).',
      '',
      'Use the editor in your browser instead:',
      '    npm run web',
      '',
      'To get the desktop app, run `npm start` again where GitHub is reachable',
      '(or set ELECTRON_MIRROR to a mirror you can reach).',
    ].join('\n'),
  );
  process.exit(1);
}

for (const [cmd, args] of [
  [process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build']],
  [process.execPath, [path.join(root, 'bin/build-electron.js')]],
]) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const child = spawn(electron, [root], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
