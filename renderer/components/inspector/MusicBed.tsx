// The final cut's music bed: a file from the film's media folder, its level, fades and ducking under
// the shots' own sound.
import { useRef, useState } from 'react';
import { setCutSetting, setMusicFile } from '../../actions/cut';
import { ACCEPT, importFile } from '../../actions/media';
import { musicOf } from '../../model/cut-params';
import { CutField, numberField } from './CutField';

export function MusicBed({ cut, params }: { cut: string; params: Record<string, unknown> }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const music = musicOf(params);
  const choose = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    const r = await importFile(file);
    setBusy(false);
    if (r) setMusicFile(cut, r);
  };
  const set = (key: string) => (v: unknown) => setCutSetting(cut, 'music', key, v);
  return (
    <div className="music-bed" data-testid="music-bed">
      {music ? (
        <div className="media-file">
          <span title={String(music.file)}>♪ {String(music.file)}</span>
          <button className="link" disabled={busy} onClick={() => input.current?.click()}>
            Replace
          </button>
          <button className="link" onClick={() => setMusicFile(cut, undefined)}>
            Remove
          </button>
        </div>
      ) : (
        <button className="btn" disabled={busy} onClick={() => input.current?.click()}>
          {busy ? 'Importing…' : '♪ Add a music bed…'}
        </button>
      )}
      {music && (
        <>
          <div className="field-pair">
            <CutField
              cut={cut}
              group="music"
              name="gain_db"
              label="Level (dB)"
              field={numberField(-60, 12)}
              value={music.gain_db}
              onChange={set('gain_db')}
            />
            <CutField
              cut={cut}
              group="music"
              name="fade_in"
              label="Fade in (s)"
              field={numberField(0, 30)}
              value={music.fade_in}
              onChange={set('fade_in')}
            />
            <CutField
              cut={cut}
              group="music"
              name="fade_out"
              label="Fade out (s)"
              field={numberField(0, 30)}
              value={music.fade_out}
              onChange={set('fade_out')}
            />
          </div>
          <div className="field-pair">
            <CutField
              cut={cut}
              group="music"
              name="duck"
              label="Duck under the shots’ sound"
              field={{ widget: 'toggle' }}
              value={music.duck}
              hint=""
              onChange={set('duck')}
            />
            {music.duck === true && (
              <CutField
                cut={cut}
                group="music"
                name="duck_db"
                label="Duck by (dB)"
                field={numberField(0, 40)}
                value={music.duck_db}
                onChange={set('duck_db')}
              />
            )}
          </div>
        </>
      )}
      <input
        ref={input}
        type="file"
        hidden
        accept={ACCEPT.audio}
        data-testid={`music-input-${cut}`}
        onChange={(e) => {
          void choose(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
    </div>
  );
}
