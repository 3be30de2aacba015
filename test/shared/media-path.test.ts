// The graph-folder boundary as a pure string rule (symlinks are the engine's job, see
// test/engine/validate.test.ts).
import { describe, expect, it } from 'vitest';
import {
  isRemoteUrl,
  mediaPathIssue,
  mediaPathProblem,
  outputPathIssue,
} from '../../shared/validate/media-path';

describe('mediaPathProblem', () => {
  it.each(['media/a.png', 'a.png', './media/a.png', 'media\\a.png', 'dir.with.dots/a..b.png'])(
    'accepts %s',
    (file) => {
      expect(mediaPathProblem(file, false)).toBeUndefined();
    },
  );

  it.each([
    '../a.png',
    'media/../../a.png',
    '..\\a.png',
    '/etc/passwd',
    '\\\\server\\share\\a.png',
    'C:\\Users\\me\\a.png',
    'c:/a.png',
  ])('refuses %s as outside, and names the consent flag', (file) => {
    const reason = mediaPathProblem(file, false);
    expect(reason).toContain('outside the graph');
    expect(reason).toContain('--allow-outside');
    expect(mediaPathProblem(file, true)).toBeUndefined();
  });

  it('accepts https URLs even without consent', () => {
    expect(isRemoteUrl('https://cdn.example.com/a.png')).toBe(true);
    expect(mediaPathProblem('https://cdn.example.com/a.png', false)).toBeUndefined();
  });

  it('accepts asset:// ids and refuses malformed ones', () => {
    expect(mediaPathProblem('asset://asset-20260514-abc_1.x', false)).toBeUndefined();
    expect(mediaPathProblem('asset://', false)).toMatch(/not an asset id/);
    expect(mediaPathProblem('asset://a/../b', false)).toMatch(/not an asset id/);
    expect(mediaPathProblem('asset://a b', false)).toMatch(/not an asset id/);
  });

  it.each(['file:///etc/passwd', 'data:image/png;base64,AAAA', 'ftp://x/a.png'])(
    'refuses the scheme of %s even with consent',
    (file) => {
      expect(mediaPathProblem(file, true)).toMatch(/unsupported scheme.*https URL/);
    },
  );

  it('refuses NUL bytes', () => {
    expect(mediaPathProblem('a\0.png', true)).toContain('NUL');
  });
});

describe('names every platform can hold', () => {
  it.each([
    ['media/CON.png', 'reserved on Windows'],
    ['media/nul.tar.png', 'reserved on Windows'],
    ['aux/still.png', 'reserved on Windows'],
    ['media/COM1.mp4', 'reserved on Windows'],
    ['media/lpt9.wav', 'reserved on Windows'],
    ['media/still.png.', 'ends in a dot or a space'],
    ['media /still.png', 'ends in a dot or a space'],
    ['media/a:b.png', '":"'],
    ['media/a|b.png', '"|"'],
    ['media/a?.png', '"?"'],
    ['media/a*.png', '"*"'],
    ['media/"a".png', '"""'],
    ['media/<a>.png', '"<"'],
    ['media/bell\u0007.png', 'control character U+0007'],
    ['media/\u001b[31mred.png', 'control character U+001B'],
    ['media/\u202egnp.exe', 'control character U+202E'],
    [`media/${'a'.repeat(252)}.png`, 'at most 255 bytes'],
    [`media/${'é'.repeat(130)}.png`, 'at most 255 bytes'],
    [`${'dir/'.repeat(300)}a.png`, 'at most 1024'],
  ])('refuses %s', (file, words) => {
    const issue = mediaPathIssue(file);
    expect(issue?.code === 'media.name' || issue?.code === 'media.outside').toBe(true);
    expect(issue?.message).toContain(words);
    expect(issue?.message).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it('accepts ordinary names, including non-ASCII ones', () => {
    for (const file of [
      'media/still-320.png',
      'Médias/été 2024/plan_1.png',
      'con-trol/console.png',
      'a.b.c.png',
    ])
      expect(mediaPathIssue(file)).toBeUndefined();
  });
});

describe('outputPathIssue', () => {
  it('accepts an mp4 inside the folder', () => {
    expect(outputPathIssue('films/cut.mp4')).toBeUndefined();
  });

  it.each([
    ['/tmp/film.mp4', 'output.outside'],
    ['../../film.mp4', 'output.outside'],
    ['C:\\film.mp4', 'output.outside'],
    ['https://example.com/film.mp4', 'output.scheme'],
    ['file:///tmp/film.mp4', 'output.scheme'],
    ['film.sh', 'output.format'],
    ['.shotgraph/cache/x.mp4', 'output.state'],
    ['PRN.mp4', 'output.name'],
    [`${'f'.repeat(201)}.mp4`, 'output.name'],
  ])('refuses %s as %s', (file, code) => {
    expect(outputPathIssue(file)?.code).toBe(code);
  });

  it('lets the user consent to an output outside the folder', () => {
    expect(outputPathIssue('../film.mp4', { allowOutside: true })).toBeUndefined();
  });
});

describe('media URLs go through the URL policy', () => {
  it('refuses a metadata URL and plain http', () => {
    expect(mediaPathIssue('http://169.254.169.254/latest/meta-data/')?.code).toBe('media.url');
    expect(mediaPathIssue('http://cdn.example.com/a.png')?.message).toContain('https');
  });
});
