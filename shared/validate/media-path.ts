// The lexical half of the project-path rule (docs/architecture.md §3): every path a graph names must
// stay inside the graph's folder (a shared graph must not upload a private file to a paid API, nor
// write a film over one), be a name every platform can hold, and say what it is in plain text. Pure,
// so the editor shows the same problem; electron/engine/project-path.ts adds what needs the disk
// (symlinks, special files).
import { mediaUrlIssue, type MediaUrlOptions } from './media-url';
import { quoted } from './quoted';

export type MediaLocation = { kind: 'url'; url: string } | { kind: 'file'; relative: string };

export interface PathIssue {
  code: string;
  message: string;
}

export interface MediaPathOptions extends MediaUrlOptions {
  /** The user consented to paths outside the graph's folder (`--allow-outside`). */
  allowOutside?: boolean;
}

export const PATH_LIMITS = {
  /** Characters in a whole path as written in the graph (macOS's PATH_MAX is 1024 bytes). */
  pathChars: 1024,
  /** Bytes (UTF-8) in one file or folder name: the common NAME_MAX. */
  nameBytes: 255,
  /** An output leaves room for the temporary name written beside it before the rename. */
  outputNameBytes: 200,
} as const;

/** Names Windows keeps for devices, whatever their extension ("NUL.png" is NUL). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
/** Characters Windows refuses in a name ("\" and "/" separate names). */
const FORBIDDEN = /[<>:"|?*]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function isRemoteUrl(file: string): boolean {
  return /^https?:\/\//i.test(file);
}

/**
 * An id in the gateway's own asset library (`asset://<id>`, docs/gateways.md §1.5): nothing to read
 * or fetch here; sent as is to a gateway that takes asset ids, refused by one that does not.
 */
export function isAssetRef(file: string): boolean {
  return /^asset:\/\//i.test(file);
}

/** Media that lives elsewhere (an https URL or an asset id), not a file beside the graph. */
export function isRemoteMedia(file: string): boolean {
  return isRemoteUrl(file) || isAssetRef(file);
}

/** Asset ids as the gateways write them: letters, digits, `-`, `_` and `.`, up to 128 characters. */
const ASSET_ID = /^asset:\/\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function assetIssue(file: string): PathIssue | undefined {
  if (ASSET_ID.test(file)) return undefined;
  return {
    code: 'media.asset',
    message: `${quoted(file)} is not an asset id; write asset://<ASSET_ID> with letters, digits, "-", "_" or "." (up to 128)`,
  };
}

/** Why a graph may not name this input (a media file or URL, a music bed), or undefined. */
export function mediaPathIssue(file: string, opts: MediaPathOptions = {}): PathIssue | undefined {
  if (isRemoteUrl(file)) return mediaUrlIssue(file, opts);
  if (isAssetRef(file)) return assetIssue(file);
  return localPathIssue(file, opts, 'media', PATH_LIMITS.nameBytes);
}

/** Why a graph may not ask for a film (or any other file) to be written here, or undefined. */
export function outputPathIssue(file: string, opts: MediaPathOptions = {}): PathIssue | undefined {
  if (isRemoteMedia(file)) {
    return {
      code: 'output.scheme',
      message: `${quoted(file)} is a URL; the film is written on this computer, at a path relative to the graph file`,
    };
  }
  const lexical = localPathIssue(file, opts, 'output', PATH_LIMITS.outputNameBytes);
  if (lexical) return lexical;
  const parts = segments(file);
  if (parts[0]?.toLowerCase() === '.shotgraph') {
    return {
      code: 'output.state',
      message: `${quoted(file)} is inside the project's .shotgraph folder (its cache and journal); write the film beside the graph`,
    };
  }
  if (!/\.mp4$/i.test(parts.at(-1) ?? '')) {
    return {
      code: 'output.format',
      message: `${quoted(file)} does not end in .mp4; the final cut is an MP4 file`,
    };
  }
  return undefined;
}

/** Back-compatible form: only the message. */
export function mediaPathProblem(file: string, allowOutside: boolean): string | undefined {
  return mediaPathIssue(file, { allowOutside })?.message;
}

function localPathIssue(
  file: string,
  opts: MediaPathOptions,
  kind: 'media' | 'output',
  maxNameBytes: number,
): PathIssue | undefined {
  const at = (what: string, message: string): PathIssue => ({
    code: `${kind}.${what}`,
    message: `${quoted(file)} ${message}`,
  });
  if (file.includes('\0')) return at('name', 'contains a NUL byte; a path is plain text');
  const control = CONTROL.exec(file);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return at('name', `contains the control character U+${code}; rename the file`);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) {
    return at('scheme', 'uses an unsupported scheme; use a path relative to the graph file or an https URL');
  }
  if (file.length > PATH_LIMITS.pathChars)
    return at('name', `is ${file.length} characters long; a path may be at most ${PATH_LIMITS.pathChars}`);
  const absolute = file.startsWith('/') || file.startsWith('\\') || /^[a-z]:/i.test(file);
  const parts = file.split(/[\\/]+/);
  if (!opts.allowOutside && (absolute || parts.includes('..'))) {
    return at(
      'outside',
      `is outside the graph's folder; ${kind === 'media' ? 'media must live beside the graph' : 'the film is written beside the graph'} (pass --allow-outside to permit it)`,
    );
  }
  for (const [i, name] of parts.entries()) {
    if (name === '' || name === '.' || name === '..' || (i === 0 && /^[a-z]:$/i.test(name))) continue;
    const problem = nameProblem(name, maxNameBytes);
    if (problem) return at('name', problem);
  }
  return undefined;
}

/** Why one file or folder name cannot exist on every platform a graph is shared to. */
function nameProblem(name: string, maxBytes: number): string | undefined {
  if (RESERVED.test(name))
    return `uses ${quoted(name)}, a device name reserved on Windows (with any extension); rename it`;
  const bad = FORBIDDEN.exec(name);
  if (bad) return `has "${bad[0]}" in ${quoted(name)}, which Windows does not allow in a name; rename it`;
  if (/[. ]$/.test(name))
    return `has ${quoted(name)}, which ends in a dot or a space that Windows drops; rename it`;
  const bytes = utf8Length(name);
  if (bytes > maxBytes)
    return `has a name of ${bytes} bytes (${quoted(name)}); a name may be at most ${maxBytes} bytes`;
  return undefined;
}

function segments(file: string): string[] {
  return file.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
