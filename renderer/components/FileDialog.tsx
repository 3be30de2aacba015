// The in-app file browser for Open and Save as. Both transports use it, so the desktop app and
// web mode behave the same; the host refuses any path outside the folders it allows.
import { useEffect, useState } from 'react';
import type { OpOutput } from '../../shared/contract';
import { host } from '../transport';
import { useUi, type FileDialogRequest } from '../stores/ui';

const selectDialog = (s: { fileDialog: FileDialogRequest | null }) => s.fileDialog;
type Listing = OpOutput<'files.list'>;

function parentOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : '';
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

export function FileDialog() {
  const req = useUi(selectDialog);
  if (!req) return null;
  return <DialogBody req={req} />;
}

function DialogBody({ req }: { req: FileDialogRequest }) {
  const [folder, setFolder] = useState(req.suggested ? parentOf(req.suggested) : '');
  const [listing, setListing] = useState<Listing | null>(null);
  const [name, setName] = useState(req.suggested ? baseName(req.suggested) : '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    host
      .call('files.list', { folder })
      .then((l) => live && (setListing(l), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [folder]);
  const finish = (path: string | null) => {
    useUi.setState({ fileDialog: null });
    req.resolve(path);
  };
  const join = (dir: string, file: string) =>
    dir ? `${dir}${dir.includes('\\') && !dir.includes('/') ? '\\' : '/'}${file}` : file;
  const confirm = () => {
    const n = name.trim();
    if (!n) return setError(req.mode === 'save' ? 'type a file name' : 'choose a film');
    finish(join(listing?.folder ?? folder, req.mode === 'save' && !/\.json$/i.test(n) ? `${n}.json` : n));
  };
  const newFolder = async () => {
    const n = window.prompt('New folder name');
    if (!n) return;
    try {
      const made = await host.call('files.createFolder', { parent: listing?.folder ?? folder, name: n });
      setFolder(made.path);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={() => finish(null)}>
      <div
        className="modal file-dialog"
        role="dialog"
        aria-label={req.mode === 'open' ? 'Open film' : 'Save film as'}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') finish(null);
        }}
      >
        <h2>{req.mode === 'open' ? 'Open film' : 'Save film as'}</h2>
        <div className="crumbs">
          <button
            className="link"
            disabled={listing?.parent == null}
            onClick={() => setFolder(listing?.parent ?? '')}
            aria-label="up one folder"
          >
            ↑ Up
          </button>
          <span className="mono">{listing ? listing.folder || 'workspace' : '…'}</span>
          <span className="grow" />
          {req.mode === 'save' && (
            <button className="link" onClick={() => void newFolder()}>
              + New folder
            </button>
          )}
        </div>
        <ul className="file-list" data-testid="file-list">
          {listing?.entries.length === 0 && <li className="muted">This folder is empty</li>}
          {listing?.entries.map((en) => (
            <li key={en.path}>
              <button
                className={`file-entry kind-${en.kind} ${baseName(en.path) === name ? 'is-active' : ''}`}
                disabled={en.kind === 'file'}
                onClick={() => (en.kind === 'folder' ? setFolder(en.path) : setName(en.name))}
                onDoubleClick={() => en.kind === 'graph' && finish(en.path)}
              >
                <span className="file-icon">
                  {en.kind === 'folder' ? '▸' : en.kind === 'graph' ? '◆' : '·'}
                </span>
                <span>{en.name}</span>
                <span className="muted">{new Date(en.modifiedAt).toLocaleDateString()}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="file-name-row">
          <label htmlFor="file-name">{req.mode === 'save' ? 'File name' : 'Film'}</label>
          <input
            id="file-name"
            autoFocus
            value={name}
            placeholder="my-film.json"
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && confirm()}
            data-testid="file-name"
          />
        </div>
        {error && <div className="field-error">{error}</div>}
        <footer>
          <button className="btn" onClick={() => finish(null)}>
            Cancel
          </button>
          <button className="btn btn-primary" onClick={confirm} data-testid="file-confirm">
            {req.mode === 'open' ? 'Open' : 'Save'}
          </button>
        </footer>
      </div>
    </div>
  );
}
