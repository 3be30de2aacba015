// A graph's own text (file names, URLs) inside a message: quoted, with control and bidi characters
// written as escapes so a hostile name cannot recolour, rewrite or reorder what the user reads.

/** Longer text is shortened to its start and end: enough to recognise it, never a screenful. */
const MAX_SHOWN = 160;

export function quoted(text: string): string {
  const escaped = text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const shown =
    escaped.length > MAX_SHOWN
      ? `${escaped.slice(0, 100)}…${escaped.slice(-40)} (${text.length} characters)`
      : escaped;
  return `"${shown}"`;
}
