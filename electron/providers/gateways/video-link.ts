// Where a finished task's video link may sit. Apiframe, seed2.io and xingchaoyiqing document one field
// each, but their pages do not fix the shape (docs/gateways.md §2.5), so the link is looked for in
// every shape a gateway has been seen to use: a URL string, `{videoUrl | video_url | url | uri}`, a
// nested `video`, or the first of `videos`. Only http(s) links count; anything else is no link.
const KEYS = ['videoUrl', 'video_url', 'url', 'uri', 'video', 'videos', 'output'] as const;

export function findVideoUrl(value: unknown, depth = 0): string | undefined {
  if (depth > 3 || value == null) return undefined;
  if (typeof value === 'string') return /^https?:\/\/\S+$/i.test(value.trim()) ? value.trim() : undefined;
  if (Array.isArray(value)) return findVideoUrl(value[0], depth + 1);
  if (typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  for (const k of KEYS) {
    const found = findVideoUrl(o[k], depth + 1);
    if (found) return found;
  }
  return undefined;
}
