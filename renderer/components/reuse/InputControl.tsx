// One input of the film as a typed control: text, number, a choice, on/off, or a media file.
import { memo, useRef } from 'react';
import type { FilmInputView } from '../../../shared/contract';
import { ACCEPT, importFile } from '../../actions/media';
import { setInputValue } from '../../actions/run-with';

interface Props {
  input: FilmInputView;
  value: string;
}

export const InputControl = memo(function InputControl({ input: i, value }: Props) {
  const id = `input-${i.name}`;
  return (
    <div className="field app-input" data-testid={`app-input-${i.name}`}>
      <label htmlFor={id}>{i.name}</label>
      <Control id={id} input={i} value={value} />
      <div className="field-hint">
        {i.description ?? `${i.node} · ${i.field}`}
        {value !== i.default && <span className="app-changed"> · changed</span>}
      </div>
    </div>
  );
});

function Control({ id, input: i, value }: { id: string; input: FilmInputView; value: string }) {
  const set = (v: string) => setInputValue(i.name, v);
  const file = useRef<HTMLInputElement>(null);
  switch (i.type) {
    case 'enum':
    case 'boolean':
      return (
        <select id={id} value={value} onChange={(e) => set(e.target.value)}>
          {(i.allowed ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'number':
      return (
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={value}
          onChange={(e) => set(e.target.value)}
          placeholder={i.min !== undefined && i.max !== undefined ? `${i.min}–${i.max}` : ''}
        />
      );
    case 'media':
      return (
        <div className="app-media">
          <input id={id} type="text" className="mono" value={value} onChange={(e) => set(e.target.value)} />
          <button className="btn" onClick={() => file.current?.click()}>
            Choose…
          </button>
          <input
            ref={file}
            type="file"
            hidden
            accept={i.media ? ACCEPT[i.media] : undefined}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importFile(f).then((r) => r && set(r.file));
            }}
          />
        </div>
      );
    default:
      return <textarea id={id} rows={3} value={value} onChange={(e) => set(e.target.value)} />;
  }
}
