// Static checks of the Electron wiring, on source text (the binary cannot run everywhere the
// tests do). Each returns the violations it found, so tests can also prove they catch bad code.

/** Source without comments, so a commented-out option neither passes nor fails a check. */
export function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The text between the bracket at `open` and its partner. */
function balanced(src: string, open: number): string {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (!stack.length) return src.slice(open, i + 1);
    }
  }
  return src.slice(open);
}

export function windowViolations(mainSource: string): string[] {
  const src = stripComments(mainSource);
  const problems: string[] = [];
  const calls = [...src.matchAll(/new\s+BrowserWindow\s*\(/g)];
  if (!calls.length) problems.push('no BrowserWindow is created');
  for (const m of calls) {
    const args = balanced(src, m.index! + m[0].length - 1);
    const where = `BrowserWindow at offset ${m.index}`;
    const prefs = /webPreferences\s*:\s*\{/.exec(args);
    if (!prefs) {
      problems.push(`${where}: no inline webPreferences, so its security options cannot be checked`);
      continue;
    }
    const body = balanced(args, prefs.index + prefs[0].length - 1);
    if (!/\bcontextIsolation\s*:\s*true\b/.test(body))
      problems.push(`${where}: contextIsolation is not true`);
    if (!/\bsandbox\s*:\s*true\b/.test(body)) problems.push(`${where}: sandbox is not true`);
    for (const m of body.matchAll(/\b(nodeIntegration\w*)\s*:\s*([^,}\s]+)/g)) {
      if (m[2] !== 'false') problems.push(`${where}: ${m[1]} is not literally false`);
    }
    if (/\bwebSecurity\s*:\s*false\b/.test(body)) problems.push(`${where}: webSecurity is disabled`);
    if (/\ballowRunningInsecureContent\s*:\s*true\b/.test(body))
      problems.push(`${where}: allowRunningInsecureContent is enabled`);
    if (/\.\.\.\s*\w/.test(body))
      problems.push(`${where}: webPreferences are spread from elsewhere and cannot be checked`);
  }
  return problems;
}

export function preloadViolations(preloadSource: string): string[] {
  const src = stripComments(preloadSource);
  const problems: string[] = [];
  const calls = [...src.matchAll(/exposeInMainWorld\s*\(/g)];
  if (!calls.length) problems.push('the preload exposes nothing through contextBridge');
  for (const m of calls) {
    const args = balanced(src, m.index! + m[0].length - 1);
    // ipcRenderer may be called inside exposed functions, never handed over as a value.
    if (/\bipcRenderer\b(?!\s*\.\s*(invoke|on|removeListener|off|once)\s*\()/.test(args)) {
      problems.push('the preload exposes ipcRenderer itself (or one of its unbound methods)');
    }
    if (/\bipcRenderer\s*\.\s*(send|sendSync|sendTo|postMessage)\b/.test(args)) {
      problems.push('the preload exposes a raw ipcRenderer send');
    }
    if (/\brequire\b|\bprocess\b/.test(args)) problems.push('the preload exposes require or process');
  }
  return problems;
}

/** Files other than the three thin shells that import electron. */
export function electronImporters(files: { path: string; source: string }[], allowed: string[]): string[] {
  const pattern =
    /(?:from\s+['"]electron(?:\/[\w/]+)?['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/;
  return files
    .filter((f) => !allowed.includes(f.path) && pattern.test(stripComments(f.source)))
    .map((f) => f.path);
}
