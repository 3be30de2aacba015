// A media node's file: a drop zone and picker when empty; a thumbnail, player or waveform once set.
import { useRef, useState, type DragEvent } from 'react';
import { ACCEPT, importInto, mediaKindOfName } from '../actions/media';
import { useDocument } from '../stores/document';
import { toast } from '../stores/ui';
import { host } from '../transport';
import { Waveform } from './Waveform';

const selectPath = (s: { path: string | null }) => s.path;

export function MediaSlot({
  id,
  kind,
  file,
}: {
  id: string;
  kind: 'image' | 'video' | 'audio';
  file: string | undefined;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const docPath = useDocument(selectPath);
  const take = async (f: File | undefined) => {
    if (!f) return;
    if (mediaKindOfName(f.name) !== kind)
      return toast(`${f.name} is not ${kind === 'image' ? 'an image' : `a ${kind} file`}`, 'error');
    setBusy(true);
    await importInto(id, f);
    setBusy(false);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };
  const url = file ? host.mediaUrl(file, docPath) : undefined;
  return (
    <div
      className={`media-slot nodrag ${over ? 'is-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {url && kind === 'image' && <img className="media-thumb" src={url} alt={file} draggable={false} />}
      {url && kind === 'video' && (
        <video className="media-thumb" src={url} controls muted preload="metadata" />
      )}
      {url && kind === 'audio' && <Waveform url={url} />}
      {!url && (
        <button className="media-empty" onClick={() => input.current?.click()} disabled={busy}>
          {busy
            ? 'Importing…'
            : `Drop ${kind === 'image' ? 'an image' : `a ${kind} file`} here or click to choose`}
        </button>
      )}
      {url && (
        <div className="media-file">
          <span title={file}>{file}</span>
          <button className="link" onClick={() => input.current?.click()} disabled={busy}>
            {busy ? 'Importing…' : 'Replace'}
          </button>
        </div>
      )}
      <input
        ref={input}
        type="file"
        hidden
        accept={ACCEPT[kind]}
        data-testid={`file-input-${id}`}
        onChange={(e) => {
          void take(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
    </div>
  );
}
