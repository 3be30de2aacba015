// Prompt references to input media (docs/gateways.md §4). The user writes "image 1", "video 1",
// "audio 1": the N-th medium of that type in port order (first frame, last frame, then reference
// images; reference videos; reference audios), which is also the order every provider sends them.
// Each gateway spells the token its own way, so the prompt means the same thing everywhere.

export type RefKind = 'image' | 'video' | 'audio';
export type RefStyle = 'ark' | 'seed2' | 'plain';

export interface PromptRef {
  kind: RefKind;
  /** 1-based number within its kind. */
  n: number;
  start: number;
  end: number;
}

// "image 1", "Image1", "@image 1", "video_2"; not "@image_file_1" (already seed2's spelling) nor
// "subimage 2". Chinese 图片1/视频1/音频1 are Ark's documented CN form.
const EN = /(?<![\p{L}\p{N}_])@?(image|video|audio)[ _]?(\d{1,2})(?![\p{N}])/giu;
const ZH = /(图片|视频|音频)\s?(\d{1,2})(?![\p{N}])/gu;
const ZH_KIND: Record<string, RefKind> = { 图片: 'image', 视频: 'video', 音频: 'audio' };

export function findPromptRefs(text: string): PromptRef[] {
  const refs: PromptRef[] = [];
  for (const m of text.matchAll(EN)) {
    refs.push({
      kind: (m[1] ?? '').toLowerCase() as RefKind,
      n: Number(m[2]),
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const m of text.matchAll(ZH)) {
    refs.push({ kind: ZH_KIND[m[1] ?? '']!, n: Number(m[2]), start: m.index, end: m.index + m[0].length });
  }
  return refs.sort((a, b) => a.start - b.start);
}

/** Ark keeps what the user wrote ("Image 1" is its own convention); seed2.io numbers files; the rest read "image 1". */
export function refStyleFor(gateway: string): RefStyle {
  if (gateway === 'seed2') return 'seed2';
  if (gateway === 'apiframe' || gateway === 'xingchao' || gateway === 'inference') return 'plain';
  return 'ark';
}

export function formatRef(kind: RefKind, n: number, style: RefStyle): string {
  // seed2.io documents @image_file_N; its video_files/audio_files are read the same way (🔶 §4).
  if (style === 'seed2') return `@${kind}_file_${n}`;
  return style === 'plain' ? `${kind} ${n}` : `${kind[0]!.toUpperCase()}${kind.slice(1)} ${n}`;
}

/** The prompt with every media reference spelled the way `gateway` reads it. */
export function translatePromptRefs(text: string, gateway: string): string {
  const style = refStyleFor(gateway);
  if (style === 'ark') return text;
  let out = '';
  let at = 0;
  for (const r of findPromptRefs(text)) {
    // Chinese prompts keep 图片1 for the plain gateways: it is the upstream model's own form.
    const isZh = /^[图视音]/.test(text.slice(r.start, r.end));
    if (isZh && style === 'plain') continue;
    out += text.slice(at, r.start) + formatRef(r.kind, r.n, style);
    at = r.end;
  }
  return out + text.slice(at);
}

/** The highest number the prompt uses for each kind (0 when it names none). */
export function highestRefs(text: string): Record<RefKind, number> {
  const top: Record<RefKind, number> = { image: 0, video: 0, audio: 0 };
  for (const r of findPromptRefs(text)) top[r.kind] = Math.max(top[r.kind], r.n);
  return top;
}
