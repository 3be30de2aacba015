// Readable node ids ("shot-3"): they appear in error messages, logs and the saved file.
export function nextNodeId(kind: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = kind.replace(/_/g, '-');
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!used.has(id)) return id;
  }
}
