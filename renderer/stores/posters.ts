// Poster frames (a clip's middle frame) and clip lengths, fetched once per clip file from the host
// and shared by the storyboard, the takes drawer and the timeline. Not part of the document.
import { useEffect } from 'react';
import { create } from 'zustand';
import type { OpOutput } from '../../shared/contract';
import { host } from '../transport';

export type Poster = OpOutput<'media.poster'>;

export const usePosters = create<{ byClip: Record<string, Poster | 'failed'> }>(() => ({ byClip: {} }));

const keyOf = (path: string, base?: string | null) => (base ? `${base}\n${path}` : path);
const asked = new Set<string>();

function ask(path: string, base?: string | null): void {
  const key = keyOf(path, base);
  if (asked.has(key)) return;
  asked.add(key);
  host
    .call('media.poster', { path, ...(base ? { base } : {}) })
    .then((p) => usePosters.setState((s) => ({ byClip: { ...s.byClip, [key]: p } })))
    .catch(() => {
      asked.delete(key); // asked again next time a card showing it mounts
      usePosters.setState((s) => ({ byClip: { ...s.byClip, [key]: 'failed' } }));
    });
}

/** The poster of clip `path` (relative to `base`, the graph file, when given), once made. */
export function usePoster(path: string | undefined, base?: string | null): Poster | 'failed' | undefined {
  const key = path ? keyOf(path, base) : '';
  const poster = usePosters((s) => (key ? s.byClip[key] : undefined));
  useEffect(() => {
    if (path) ask(path, base);
  }, [path, base]);
  return poster;
}

/** Length of a clip already asked for, in seconds. */
export function knownSeconds(path: string | undefined, base?: string | null): number | undefined {
  const p = path ? usePosters.getState().byClip[keyOf(path, base)] : undefined;
  return p && p !== 'failed' ? p.seconds : undefined;
}
