// A font proved once by a trial render is not proved again by the next process (font-verdicts.ts):
// the second `slateFonts` with the same cache folder starts no ffmpeg. A font file that changed, a
// damaged cache file, or a trial that failed are proved (or tried) again. Each step imports the
// font module afresh, as a new `shotgraph render` process would.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FontSet } from '../../electron/media/fonts';
import { tempDir } from '../helpers/media';
import { countInProcess } from '../helpers/tool-calls';

const DEJAVU = '/usr/share/fonts/truetype/dejavu';
const FACES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
let dir: string;
let counted: ReturnType<typeof countInProcess>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await tempDir('shotgraph-font-verdicts-');
  // The user's own font (SHOTGRAPH_FONT), with its bold beside it, in a folder this test may touch.
  for (const face of FACES) copyFileSync(path.join(DEJAVU, face), path.join(dir, face));
  counted = countInProcess(dir, 'ffmpeg');
  env = {
    ...process.env,
    SHOTGRAPH_FONT: path.join(dir, FACES[0]!),
    SHOTGRAPH_CACHE_DIR: path.join(dir, 'cache'),
  };
});
afterAll(async () => {
  counted?.restore();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const trials = () => counted.calls().filter((c) => c.includes('text=Ag')).length;

/** slateFonts as a new process sees it, and the trial renders it started. */
async function freshSlateFonts(
  over: NodeJS.ProcessEnv = {},
): Promise<{ fonts: FontSet | null; trials: number }> {
  vi.resetModules();
  const { slateFonts } = await import('../../electron/media/fonts');
  const before = trials();
  const fonts = await slateFonts({ ...env, ...over });
  return { fonts, trials: trials() - before };
}

describe.skipIf(!FACES.every((f) => existsSync(path.join(DEJAVU, f))))('font verdicts', () => {
  it('a second process draws with the same fonts and starts no trial', async () => {
    const first = await freshSlateFonts();
    expect(first.fonts?.text).toEqual({ file: path.join(dir, FACES[0]!) });
    expect(first.fonts?.bold).toEqual({ file: path.join(dir, FACES[1]!) });
    expect(first.trials).toBe(2); // the caption font, then bold and mono together
    const second = await freshSlateFonts();
    expect(second.fonts).toEqual(first.fonts);
    expect(second.trials).toBe(0);
  });

  it('a font file that changed is proved again', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, FACES[0]!), later, later);
    const before = counted.calls().length;
    const again = await freshSlateFonts();
    // The caption font is tried again; bold and mono together are the same files as before.
    expect(again.trials).toBe(1);
    expect(counted.calls().slice(before).join('\n')).toContain(`fontfile=${path.join(dir, FACES[0]!)}:`);
    expect((await freshSlateFonts()).trials).toBe(0);
  });

  it('a damaged cache file is ignored and written anew', async () => {
    const file = path.join(dir, 'cache', 'font-checks.json');
    const damages = ['{"drew": [', '{"drew": [1, null, "../../etc"]}', 'x'.repeat(70 * 1024), 'fifo', 'zero'];
    for (const damage of damages) {
      rmSync(file, { force: true });
      if (damage === 'fifo') execFileSync('mkfifo', [file]);
      else if (damage === 'zero') symlinkSync('/dev/zero', file);
      else writeFileSync(file, damage);
      const run = await freshSlateFonts();
      expect(run.fonts?.text).toEqual({ file: path.join(dir, FACES[0]!) });
      expect(run.trials).toBe(2);
      expect(JSON.parse(readFileSync(file, 'utf8')).drew).toHaveLength(2);
    }
  });

  it('a trial that fails is tried again next time, never kept', async () => {
    // An ffmpeg without drawtext (some builds have none): every trial fails, so no text is drawn.
    const log = path.join(dir, 'no-drawtext.log');
    const noDrawtext = path.join(dir, 'ffmpeg-no-drawtext');
    writeFileSync(
      noDrawtext,
      `#!/bin/sh\necho "$@" >> "${log}"\ncase "$*" in *drawtext*) echo "No such filter: 'drawtext'" >&2; exit 1;; esac\nexec "${counted.wrapper}" "$@"\n`,
    );
    chmodSync(noDrawtext, 0o755);
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = noDrawtext;
    try {
      for (let i = 1; i <= 2; i++) {
        vi.resetModules();
        const { slateFonts } = await import('../../electron/media/fonts');
        expect(await slateFonts(env)).toBeNull();
        const tried = readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l.includes('text=Ag'));
        // The user's font, the system's DejaVu, then fontconfig's "Sans": all tried, in each process.
        expect(tried).toHaveLength(3 * i);
      }
    } finally {
      process.env.FFMPEG_PATH = saved;
    }
  });
});
