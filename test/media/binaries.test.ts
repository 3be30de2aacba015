// Where ffmpeg and ffprobe come from: each step of FFMPEG_PATH → ffmpeg-static → PATH (and the
// same for ffprobe with @ffprobe-installer/ffprobe) on real files in a temporary folder: fake
// package layouts whose binaries are the machine's real ffmpeg/ffprobe, and a PATH we choose.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, findTool, unpacked } from '../../electron/media/binaries';
import { ffprobePath, resetToolPaths, runFfprobe } from '../../electron/media/ffmpeg';

const posix = process.platform !== 'win32';
let tmp: string;
let realFfmpeg: string;
let realFfprobe: string;

/** The machine's own binaries, found without the code under test. */
function which(tool: string): string {
  return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
}

/** A folder with node_modules/<pkg>/index.js exporting `exported` (a JS expression). */
function fakePackage(root: string, pkg: string, exported: string): string {
  const dir = path.join(root, 'node_modules', pkg);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: pkg, main: 'index.js' }));
  writeFileSync(path.join(dir, 'index.js'), `const path = require('path');\nmodule.exports = ${exported};\n`);
  return dir;
}

/** A runnable copy of a real binary (a symlink keeps the test fast and the binary real). */
function binaryAt(file: string, real: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  symlinkSync(real, file);
  return file;
}

const from = (root: string) => path.join(root, 'index.js');
const version = (bin: string) => execFileSync(bin, ['-version'], { encoding: 'utf8' }).split('\n')[0]!;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-binaries-'));
  realFfmpeg = which('ffmpeg');
  realFfprobe = which('ffprobe');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(posix)('ffmpeg: FFMPEG_PATH → ffmpeg-static → PATH', () => {
  it('takes FFMPEG_PATH first, over a package and PATH that both have one', () => {
    const root = path.join(tmp, 'env-first');
    const pkgBin = binaryAt(path.join(root, 'node_modules/ffmpeg-static/ffmpeg'), realFfmpeg);
    fakePackage(root, 'ffmpeg-static', `path.join(__dirname, 'ffmpeg')`);
    const pathBin = binaryAt(path.join(root, 'bin/ffmpeg'), realFfmpeg);
    const chosen = binaryAt(path.join(root, 'chosen/my-ffmpeg'), realFfmpeg);
    const env = { FFMPEG_PATH: chosen, PATH: path.dirname(pathBin) };
    expect(findTool('ffmpeg', { env, from: from(root) })).toBe(chosen);
    // Without the variable, the package wins over PATH.
    expect(findTool('ffmpeg', { env: { PATH: path.dirname(pathBin) }, from: from(root) })).toBe(pkgBin);
    expect(version(findTool('ffmpeg', { env, from: from(root) }))).toMatch(/^ffmpeg version/);
  });

  it('refuses an FFMPEG_PATH that names no executable file instead of silently using another', () => {
    const root = path.join(tmp, 'env-wrong');
    binaryAt(path.join(root, 'bin/ffmpeg'), realFfmpeg);
    const missing = path.join(root, 'nowhere/ffmpeg');
    const notExecutable = path.join(root, 'plain.txt');
    writeFileSync(notExecutable, 'not a program');
    for (const wrong of [missing, notExecutable, root]) {
      const env = { FFMPEG_PATH: wrong, PATH: path.join(root, 'bin') };
      expect(() => findTool('ffmpeg', { env, from: from(root) })).toThrow(FfmpegNotFoundError);
      expect(() => findTool('ffmpeg', { env, from: from(root) })).toThrow(
        `FFMPEG_PATH is set to "${wrong}", which is not an executable file`,
      );
    }
  });

  it('uses ffmpeg-static when it is installed, and PATH when it is not', () => {
    const withPkg = path.join(tmp, 'pkg');
    const pkgBin = binaryAt(path.join(withPkg, 'node_modules/ffmpeg-static/ffmpeg'), realFfmpeg);
    fakePackage(withPkg, 'ffmpeg-static', `path.join(__dirname, 'ffmpeg')`);
    expect(findTool('ffmpeg', { env: { PATH: '' }, from: from(withPkg) })).toBe(pkgBin);

    const noPkg = path.join(tmp, 'no-pkg');
    const pathBin = binaryAt(path.join(noPkg, 'bin/ffmpeg'), realFfmpeg);
    const env = { PATH: ['', path.join(noPkg, 'empty'), path.dirname(pathBin)].join(':') };
    expect(findTool('ffmpeg', { env, from: from(noPkg) })).toBe(pathBin);
  });

  it('falls through to PATH when the package exists but has no binary (unsupported platform, blocked download)', () => {
    const root = path.join(tmp, 'pkg-empty');
    const pathBin = binaryAt(path.join(root, 'bin/ffmpeg'), realFfmpeg);
    const env = { PATH: path.dirname(pathBin) };
    fakePackage(root, 'ffmpeg-static', 'null'); // what ffmpeg-static exports on an unknown platform
    expect(findTool('ffmpeg', { env, from: from(root) })).toBe(pathBin);
    fakePackage(root, 'ffmpeg-static', `path.join(__dirname, 'ffmpeg')`); // download never happened
    expect(findTool('ffmpeg', { env, from: from(root) })).toBe(pathBin);
  });

  it('skips a PATH entry that exists but cannot be executed', () => {
    const root = path.join(tmp, 'path-noexec');
    const notExec = path.join(root, 'first/ffmpeg');
    mkdirSync(path.dirname(notExec), { recursive: true });
    copyFileSync(path.join(import.meta.dirname, 'binaries.test.ts'), notExec);
    chmodSync(notExec, 0o644);
    const good = binaryAt(path.join(root, 'second/ffmpeg'), realFfmpeg);
    const env = { PATH: [path.dirname(notExec), path.dirname(good)].join(':') };
    expect(findTool('ffmpeg', { env, from: from(root) })).toBe(good);
  });

  it('names all three places when none has ffmpeg', () => {
    const root = path.join(tmp, 'none');
    mkdirSync(path.join(root, 'bin'), { recursive: true });
    let error: unknown;
    try {
      findTool('ffmpeg', { env: { PATH: path.join(root, 'bin') }, from: from(root) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('FFMPEG_PATH is not set');
    expect(message).toContain('ffmpeg-static');
    expect(message).toContain('"ffmpeg" on PATH');
  });
});

describe.runIf(posix)('ffprobe: FFPROBE_PATH → @ffprobe-installer/ffprobe → PATH', () => {
  it('walks the same order with the ffprobe package', () => {
    const root = path.join(tmp, 'probe');
    const pkgBin = binaryAt(
      path.join(root, 'node_modules/@ffprobe-installer/linux-x64/ffprobe'),
      realFfprobe,
    );
    // The real package exports { path, version, url } and resolves a per-platform package.
    fakePackage(
      root,
      '@ffprobe-installer/ffprobe',
      `{ path: path.join(__dirname, '..', 'linux-x64', 'ffprobe'), version: 'test', url: '' }`,
    );
    const pathBin = binaryAt(path.join(root, 'bin/ffprobe'), realFfprobe);
    const chosen = binaryAt(path.join(root, 'chosen/ffprobe'), realFfprobe);
    const PATH = path.dirname(pathBin);
    expect(findTool('ffprobe', { env: { FFPROBE_PATH: chosen, PATH }, from: from(root) })).toBe(chosen);
    expect(findTool('ffprobe', { env: { PATH }, from: from(root) })).toBe(pkgBin);
    expect(findTool('ffprobe', { env: { PATH }, from: from(path.join(tmp, 'elsewhere')) })).toBe(pathBin);
    expect(() => findTool('ffprobe', { env: { PATH: '' }, from: from(path.join(tmp, 'elsewhere')) })).toThrow(
      /FFPROBE_PATH is not set, the @ffprobe-installer\/ffprobe package .* no "ffprobe" on PATH/,
    );
  });

  it('finds the installed @ffprobe-installer/ffprobe package, and that binary probes a real file', async () => {
    const req = createRequire(import.meta.url);
    let installed: string | undefined;
    try {
      installed = (req('@ffprobe-installer/ffprobe') as { path: string }).path;
    } catch {
      installed = undefined; // optional: a platform without a package binary
    }
    const env = { PATH: '' };
    if (installed) expect(findTool('ffprobe', { env })).toBe(installed);
    else expect(() => findTool('ffprobe', { env })).toThrow(FfmpegNotFoundError);

    // The path the engine really uses runs: probe a file ffmpeg writes here.
    const clip = path.join(tmp, 'tone.wav');
    execFileSync(realFfmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-y', clip]);
    resetToolPaths();
    const out = JSON.parse(await runFfprobe(['-print_format', 'json', '-show_format', clip])) as {
      format: { duration: string };
    };
    expect(Number(out.format.duration)).toBeCloseTo(1, 1);
    expect(ffprobePath()).toBe(process.env.FFPROBE_PATH || installed || realFfprobe);
  });
});

describe.runIf(posix)('inside a packaged app', () => {
  it('runs the binary electron-builder unpacked beside app.asar, not the path inside it', () => {
    // In the packaged app the package's own files resolve inside resources/app.asar; asarUnpack
    // puts the executable at the same place under resources/app.asar.unpacked.
    const asar = path.join(tmp, 'Shotgraph/resources/app.asar');
    fakePackage(asar, 'ffmpeg-static', `path.join(__dirname, 'ffmpeg')`);
    const real = binaryAt(
      path.join(tmp, 'Shotgraph/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg'),
      realFfmpeg,
    );
    const found = findTool('ffmpeg', { env: { PATH: '' }, from: path.join(asar, 'dist-electron/main.js') });
    expect(found).toBe(real);
    expect(version(found)).toMatch(/^ffmpeg version/);
  });

  it('maps only the app.asar folder itself', () => {
    expect(unpacked('/opt/Shotgraph/resources/app.asar/node_modules/x/ffmpeg')).toBe(
      '/opt/Shotgraph/resources/app.asar.unpacked/node_modules/x/ffmpeg',
    );
    expect(unpacked('C:\\Shotgraph\\resources\\app.asar\\node_modules\\x\\ffmpeg.exe')).toBe(
      'C:\\Shotgraph\\resources\\app.asar.unpacked\\node_modules\\x\\ffmpeg.exe',
    );
    const already = '/opt/Shotgraph/resources/app.asar.unpacked/node_modules/x/ffmpeg';
    expect(unpacked(already)).toBe(already);
    expect(unpacked('/home/me/my-app.asar/ffmpeg')).toBe('/home/me/my-app.asar/ffmpeg');
  });
});
