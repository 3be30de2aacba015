// Edits of a final cut's timeline params (trims, gain, transitions, music, loudness, preset). Each
// is one undoable step; typing in one field, or one drag of a trim handle, coalesces into one.
import { edit } from '../stores/document';

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

function setIn(target: Raw, key: string, value: unknown): Raw {
  const next = { ...target };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

function editParams(cut: string, change: (params: Raw) => Raw, mark?: string): void {
  edit(
    (s) => ({
      nodes: s.nodes.map((n) =>
        n.id === cut ? { ...n, data: { ...n.data, params: change(n.data.params) } } : n,
      ),
    }),
    mark,
  );
}

/** One value of the loudness, preset or music settings. */
export function setCutSetting(
  cut: string,
  group: 'loudness' | 'preset' | 'music',
  key: string,
  value: unknown,
): void {
  editParams(cut, (p) => ({ ...p, [group]: setIn(obj(p[group]), key, value) }), `cut:${cut}:${group}.${key}`);
}

/** The music bed's file (a fresh bed keeps the schema's defaults), or none. */
export function setMusicFile(cut: string, music: { file: string; sha256: string } | undefined): void {
  editParams(cut, (p) => setIn(p, 'music', music ? { ...obj(p.music), ...music } : undefined));
}

/** A clip's trim or gain; `mark` groups the steps of one drag. */
export function setClipSetting(cut: string, clip: string, key: string, value: unknown, mark?: string): void {
  editParams(
    cut,
    (p) => {
      const clips = obj(p.clips);
      const settings = setIn(obj(clips[clip]), key, value);
      return { ...p, clips: setIn(clips, clip, Object.keys(settings).length ? settings : undefined) };
    },
    mark ?? `cut:${cut}:clips.${clip}.${key}`,
  );
}

/** The transition into `clip`; a plain cut is stored as no entry. */
export function setTransition(cut: string, clip: string, type: string, duration?: number): void {
  editParams(
    cut,
    (p) => {
      const all = obj(p.transitions);
      const current = obj(all[clip]);
      const next =
        type === 'cut' ? undefined : { ...current, type, ...(duration !== undefined ? { duration } : {}) };
      return { ...p, transitions: setIn(all, clip, next) };
    },
    `cut:${cut}:transitions.${clip}`,
  );
}
