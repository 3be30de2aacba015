// A graph is shared input: a path that leaves its folder could upload a private file to a paid
// API, so such paths need the user's explicit consent (docs/architecture.md §3).

export type MediaLocation = { kind: 'url'; url: string } | { kind: 'file'; relative: string };

export function isRemoteUrl(file: string): boolean {
  return /^https?:\/\//i.test(file);
}

/** Returns a reason when the path is not allowed, else undefined. Pure string check. */
export function mediaPathProblem(file: string, allowOutside: boolean): string | undefined {
  if (isRemoteUrl(file)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) {
    return `"${file}" uses an unsupported scheme; use a path relative to the graph file or an https URL`;
  }
  if (file.includes('\0')) return 'the path contains a NUL byte';
  if (allowOutside) return undefined;
  const absolute = file.startsWith('/') || file.startsWith('\\') || /^[a-z]:/i.test(file);
  const parent = file.split(/[\\/]+/).includes('..');
  if (absolute || parent) {
    return `"${file}" is outside the graph's folder; media must live beside the graph (pass --allow-outside to permit it)`;
  }
  return undefined;
}
