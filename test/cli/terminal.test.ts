// The one sanitizer for everything the command prints: hostile text (file names, graph text, gateway
// messages) cannot drive the terminal, and nothing in it is silently hidden.
import { describe, expect, it } from 'vitest';
import { forTerminal } from '../../electron/cli/terminal';

const ESC = '\u001b';

describe('forTerminal', () => {
  it.each([
    ['colour', `${ESC}[31mred${ESC}[0m`, 'red'],
    ['clear screen and home', `${ESC}[2J${ESC}[Hfilm.mp4`, 'film.mp4'],
    ['cursor up to rewrite a line', `ok${ESC}[1A${ESC}[2Kvalid`, 'okvalid'],
    ['window title (OSC, BEL)', `${ESC}]0;pwned\u0007clip.mp4`, 'clip.mp4'],
    ['clipboard write (OSC 52, ST)', `${ESC}]52;c;ZXZpbA==${ESC}\\shot`, 'shot'],
    ['hyperlink', `${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`, 'link'],
    ['DCS string', `${ESC}Pq#0;2;0;0;0${ESC}\\x`, 'x'],
    ['8-bit CSI', `\u009b31mred`, 'red'],
    ['8-bit OSC', `\u009d0;title\u009cname`, 'name'],
    ['reset', `${ESC}cafter`, 'after'],
    ['charset switch', `${ESC}(0box`, 'box'],
  ])('drops a %s sequence', (_what, input, output) => {
    expect(forTerminal(input)).toBe(output);
  });

  it('shows every other control character instead of passing it through', () => {
    expect(forTerminal('a\u0007b\u0008c\rd\u007f')).toBe('a\\x07b\\x08c\\x0dd\\x7f');
    expect(forTerminal(`lone ${ESC}`)).toBe('lone \\x1b');
    expect(forTerminal('invoice\u202egnp.exe')).toBe('invoice\\u202egnp.exe');
  });

  it('keeps ordinary text, newlines and tabs; one line when asked', () => {
    const text = 'Plan 1 — été\tnode "s1"\nnext line ✓';
    expect(forTerminal(text)).toBe(text);
    expect(forTerminal('a\nb\tc', { singleLine: true })).toBe('a\\nb c');
  });

  it('leaves no escape byte in any output', () => {
    const nasty = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('') + `${ESC}[`;
    expect(forTerminal(nasty)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
