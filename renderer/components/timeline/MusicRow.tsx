// The music bed under the film: its file, level and fades drawn to scale; a click opens its
// settings in the final cut's inspector.
import { useShallow } from 'zustand/react/shallow';
import { selectCard } from '../../actions/storyboard';
import { musicOf } from '../../model/cut-params';
import { useDocument, type DocumentState } from '../../stores/document';

const selectMusic = (cut: string) => (s: DocumentState) => {
  const m = musicOf(s.nodes.find((n) => n.id === cut)?.data.params ?? {});
  return {
    file: m ? String(m.file ?? '') : '',
    gain: Number(m?.gain_db ?? 0),
    fadeIn: Number(m?.fade_in ?? 0),
    fadeOut: Number(m?.fade_out ?? 0),
    duck: m?.duck === true ? Number(m.duck_db ?? 0) : 0,
  };
};

export function MusicRow({ cut, total, pps }: { cut: string; total: number; pps: number }) {
  const m = useDocument(useShallow(selectMusic(cut)));
  if (!m.file)
    return (
      <button
        className="tl-music is-empty"
        onClick={() => selectCard(cut)}
        style={{ width: Math.max(220, total * pps) }}
        data-testid="tl-music"
      >
        ♪ No music bed: add one in the final cut’s inspector
      </button>
    );
  const width = Math.max(40, total * pps);
  const fade = (s: number) => `${Math.min(50, ((s * pps) / width) * 100)}%`;
  return (
    <button
      className="tl-music"
      style={{ width, ['--fade-in' as string]: fade(m.fadeIn), ['--fade-out' as string]: fade(m.fadeOut) }}
      onClick={() => selectCard(cut)}
      title="Music bed: click for its settings"
      data-testid="tl-music"
    >
      ♪ {m.file.split('/').pop()} · {m.gain} dB
      {m.fadeIn ? ` · fades in ${m.fadeIn} s` : ''}
      {m.fadeOut ? ` · out ${m.fadeOut} s` : ''}
      {m.duck ? ` · ducks ${m.duck} dB under the shots` : ''}
    </button>
  );
}
