// `npm run dist`: electron-builder.yml read and validated by electron-builder itself, and a real
// `npm run dist -- --linux dir` whose only stand-in is the Electron binary (GitHub is out of reach
// here, so `electronDist` points at a script): the asar holds the built app and nothing else, and
// the ffmpeg/ffprobe binaries sit unpacked beside it, runnable.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY_PACKAGES } from '../../electron/media/binaries';
import { REPO, run, withBuildLock } from './build-lock';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface BuilderConfig {
  files: { filter: string[] }[];
  asar: boolean;
  asarUnpack: string[];
  extraMetadata: { main: string; homepage?: string };
  npmRebuild?: boolean;
  linux: { target: string[]; maintainer?: string };
  mac: { target: string[] };
  win: { target: string[] };
}

/** electron-builder's own loader and schema check, as `electron-builder` runs them. */
async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(dir: string, file: string | null, extra: null): Promise<unknown>;
    validateConfiguration(config: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>;
  };
  const config = await getConfig(REPO, null, null);
  await validateConfiguration(config, { isEnabled: false, add: () => undefined });
  return config as BuilderConfig;
}

describe('electron-builder.yml', () => {
  let config: BuilderConfig;
  beforeAll(async () => {
    config = await loadConfig();
  });

  it('passes electron-builder’s schema and names AppImage + deb, dmg and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(pkg.scripts.dist).toBe('npm run build && electron-builder');
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
  });

  it('packs the build output and unpacks every binary package from the asar', () => {
    const files = config.files.flatMap((f) => f.filter);
    expect(files).toEqual(expect.arrayContaining(['dist/renderer/**', 'dist-electron/**', 'package.json']));
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.asar).toBe(true);
    for (const name of BINARY_PACKAGES) {
      const folder = `node_modules/${name.startsWith('@') ? name.split('/')[0] : name}/**`;
      expect(config.asarUnpack, name).toContain(folder);
      expect(files, name).toContain(folder);
      // Required at run time by the packaged main process: a production (optional) dependency.
      expect(pkg.optionalDependencies[name] ?? pkg.dependencies[name], name).toBeDefined();
    }
    expect(config.npmRebuild).toBe(false); // nothing native is packed, so there is nothing to rebuild
  });

  it('gives deb the homepage and maintainer it refuses to build without', () => {
    expect(config.extraMetadata.homepage).toMatch(/^https:\/\//);
    expect(config.linux.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
  });
});

describe('npm run dist -- --linux dir (Electron replaced by a script)', () => {
  let tmp: string;
  let built: { renderer: string[]; mainProcess: string[]; main: string };
  let resources: string;
  let asarEntries: string[];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'shotgraph-dist-'));
    const electronDist = path.join(tmp, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const version = (require('electron/package.json') as { version: string }).version;
    writeFileSync(path.join(electronDist, 'version'), `v${version}`);
    const output = path.join(tmp, 'release');
    await withBuildLock(async () => {
      await run('npm', [
        'run',
        'dist',
        '--',
        '--linux',
        'dir',
        `--config.electronDist=${electronDist}`,
        `--config.directories.output=${output}`,
      ]);
      built = {
        renderer: readdirSync(path.join(REPO, 'dist/renderer'), { recursive: true }).map(String),
        mainProcess: readdirSync(path.join(REPO, 'dist-electron')),
        main: readFileSync(path.join(REPO, 'dist-electron/main.js'), 'utf8'),
      };
    });
    resources = path.join(output, 'linux-unpacked', 'resources');
    const asar = require('@electron/asar') as { listPackage(file: string): string[] };
    asarEntries = asar.listPackage(path.join(resources, 'app.asar')).map((e) => e.split(path.sep).join('/'));
  }, 600_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds what electron-builder packs: the renderer, the main process and its preload', () => {
    expect(built.renderer).toContain('index.html');
    expect(built.renderer.some((f) => /^assets[\\/].+\.js$/.test(f))).toBe(true);
    expect(built.mainProcess).toEqual(expect.arrayContaining(['main.js', 'preload.cjs']));
    // main.ts loads these relative to itself.
    const mainSource = readFileSync(path.join(REPO, 'electron/main.ts'), 'utf8');
    expect(mainSource).toContain("'preload.cjs'");
    expect(mainSource).toContain("'..', 'dist', 'renderer'");
  });

  /**
   * Named only inside the AWS SDK's error messages ("register the package by calling
   * [require('@aws-sdk/signature-v4a');]", for SigV4a signing, which the S3 media host never uses):
   * text the pattern below cannot tell from a call.
   */
  const SDK_OPTIONAL = new Set(['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a']);

  it('bundles every library the main process imports: only electron and Node built-ins stay imports', () => {
    const specifiers = new Set<string>();
    for (const m of built.main.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'$]+)["']/g))
      specifiers.add(m[1]!);
    const builtins = new Set(builtinModules);
    const outside = [...specifiers].filter(
      (s) =>
        s !== 'electron' &&
        !s.startsWith('node:') &&
        !builtins.has(s) &&
        !SDK_OPTIONAL.has(s) &&
        /^(@[\w.-]+\/)?[\w.-]+(\/[\w.-]+)*$/.test(s), // a package name, not a string that looks like a call
    );
    expect(outside).toEqual([]);
    expect(specifiers).toContain('electron');
  });

  it('puts the app in app.asar and leaves the CLI’s libraries out', () => {
    for (const f of [
      '/package.json',
      '/dist-electron/main.js',
      '/dist-electron/preload.cjs',
      '/dist/renderer/index.html',
    ])
      expect(asarEntries, f).toContain(f);
    expect(asarEntries.filter((e) => e.endsWith('.map'))).toEqual([]);
    const modules = new Set(
      asarEntries
        .filter((e) => e.startsWith('/node_modules/'))
        .map((e) =>
          e
            .split('/')
            .slice(2, e.split('/')[2]!.startsWith('@') ? 4 : 3)
            .join('/'),
        ),
    );
    const scopes = new Set(BINARY_PACKAGES.map((p) => (p.startsWith('@') ? p.split('/')[0] : p)));
    for (const m of modules) expect(scopes.has(m.startsWith('@') ? m.split('/')[0]! : m), m).toBe(true);
    for (const cliOnly of ['tsx', 'ws', '@aws-sdk/client-s3', 'zod'])
      expect(modules.has(cliOnly), cliOnly).toBe(false);
    const packed = JSON.parse(
      (require('@electron/asar') as { extractFile(a: string, f: string): Buffer })
        .extractFile(path.join(resources, 'app.asar'), 'package.json')
        .toString('utf8'),
    ) as { main: string };
    expect(packed.main).toBe('dist-electron/main.js');
  });

  it('unpacks each installed binary package beside the asar, where it runs', () => {
    let checked = 0;
    for (const name of BINARY_PACKAGES) {
      let local: string | undefined;
      try {
        const exported = require(name) as string | null | { path: string };
        local = typeof exported === 'string' ? exported : (exported?.path ?? undefined);
      } catch {
        local = undefined; // optional and not installed on this machine
      }
      if (!local || !existsSync(local)) continue;
      // Real paths: node_modules may be a link (it is one in the engineers' worktrees).
      const rel = path.relative(realpathSync(path.join(REPO, 'node_modules')), realpathSync(local));
      expect(asarEntries, name).toContain(`/node_modules/${name}/package.json`);
      const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', rel);
      expect(existsSync(unpacked), unpacked).toBe(true);
      expect(execFileSync(unpacked, ['-version'], { encoding: 'utf8' })).toMatch(/version/);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
