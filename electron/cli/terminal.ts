// Everything the command prints goes through here. File names, graph text and gateway messages are
// hostile input: an escape sequence in them could recolour the terminal, move the cursor to rewrite
// what was printed, set the window title or (on some terminals) write to the clipboard. Complete
// sequences are dropped; any other control character is shown as an escape, so nothing is hidden.

/** CSI, OSC, DCS/SOS/PM/APC strings and two-byte escapes, in their 7-bit and 8-bit forms. */
const SEQUENCE = new RegExp(
  [
    '\\u001b\\[[0-?]*[ -/]*[@-~]', // CSI … final byte
    '\\u009b[0-?]*[ -/]*[@-~]',
    '\\u001b\\][^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?', // OSC … BEL or ST
    '\\u009d[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?',
    '\\u001b[PX^_][^\\u001b\\u009c]*(?:\\u001b\\\\|\\u009c)?', // DCS, SOS, PM, APC … ST
    '[\\u0090\\u0098\\u009e\\u009f][^\\u001b\\u009c]*(?:\\u001b\\\\|\\u009c)?',
    '\\u001b[ -/]*[0-~]', // two-byte and nF escapes (ESC c, ESC 7, ESC ( B …)
  ].join('|'),
  'g',
);
/** Controls left after the sequences, plus bidi overrides that reorder what is shown. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe to print: escape sequences removed, other controls visible as \xNN or \uNNNN. */
export function forTerminal(text: string, opts: { singleLine?: boolean } = {}): string {
  let s = text.replace(SEQUENCE, '').replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
  if (opts.singleLine) s = s.replace(/\n/g, '\\n').replace(/\t/g, ' ');
  return s;
}

/** A line on stdout (results a script may read). */
export function say(text: string): void {
  process.stdout.write(forTerminal(text) + '\n');
}

/** A line on stderr (problems, progress, advice). */
export function warn(text: string): void {
  process.stderr.write(forTerminal(text) + '\n');
}

/** JSON for stdout: characters `say` would rewrite are written as JSON escapes, so it stays valid JSON. */
export function sayJson(value: unknown): void {
  say(
    JSON.stringify(value, null, 2).replace(
      /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  );
}
