// The graph-folder boundary as a pure string rule (symlinks are the engine's job, see
// test/engine/validate.test.ts).
import { describe, expect, it } from 'vitest';
import { isRemoteUrl, mediaPathProblem } from '../../shared/validate/media-path';

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

  it.each(['file:///etc/passwd', 'data:image/png;base64,AAAA', 'asset://123', 'ftp://x/a.png'])(
    'refuses the scheme of %s even with consent',
    (file) => {
      expect(mediaPathProblem(file, true)).toMatch(/unsupported scheme.*https URL/);
    },
  );

  it('refuses NUL bytes', () => {
    expect(mediaPathProblem('a\0.png', true)).toContain('NUL');
  });
});
