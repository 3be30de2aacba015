// `npm start` where the Electron binary cannot be had must say so, name `npm run web`, and fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');

it('explains that the desktop window cannot start and points to web mode', () => {
  // Electron's own override variable makes the binary "missing" even where it is installed.
  const nowhere = mkdtempSync(path.join(os.tmpdir(), 'no-electron-'));
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/start.js')], {
    cwd: REPO,
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: nowhere },
    encoding: 'utf8',
  });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/desktop window cannot start on this machine/);
  expect(r.stderr).toMatch(/npm run web/);
});
