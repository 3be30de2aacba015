// The film's cast: characters, props and locations called into any prompt as @Name. Each member's
// reference images (picked from the project's media, or imported into it), voice sample and Ark
// asset id are edited here as undoable edits; the shots that use a member are the engine's answer.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CAST_KINDS, type CastKind, type CastMember } from '../../shared/cast';
import {
  addMember,
  addMemberImage,
  castOf,
  removeMember,
  removeMemberImage,
  renameMember,
  setMemberAssetId,
  setMemberKind,
  setMemberVoice,
} from '../actions/cast';
import { ACCEPT, importFile, mediaKindOfName } from '../actions/media';
import { selectOnly } from '../actions/nodes';
import { useDocument, type DocumentState } from '../stores/document';
import { useFilmStatus } from '../stores/film-status';
import { useUi } from '../stores/ui';
import { host } from '../transport';

const selectDoc = (s: DocumentState) => ({ extra: s.extra, path: s.path, nodes: s.nodes });

interface ProjectMedia {
  images: string[];
  audios: string[];
}

/** The film's media folder and the files its media nodes name, as paths relative to the film. */
function useProjectMedia(docPath: string | null, open: boolean, revision: number): ProjectMedia {
  const [media, setMedia] = useState<ProjectMedia>({ images: [], audios: [] });
  const nodes = useDocument((s) => s.nodes);
  useEffect(() => {
    if (!open) return;
    let live = true;
    const used = nodes
      .map((n) => n.data.params.file)
      .filter((f): f is string => typeof f === 'string' && !/^https?:/i.test(f));
    const dir = docPath ? docPath.split('/').slice(0, -1).join('/') : '';
    const listed = docPath
      ? host
          .call('files.list', { folder: dir ? `${dir}/media` : 'media' })
          .then((r) => r.entries.filter((e) => e.kind === 'file').map((e) => `media/${e.name}`))
          .catch(() => [] as string[])
      : Promise.resolve([] as string[]);
    void listed.then((files) => {
      if (!live) return;
      const all = [...new Set([...files, ...used])].sort();
      setMedia({
        images: all.filter((f) => mediaKindOfName(f) === 'image'),
        audios: all.filter((f) => mediaKindOfName(f) === 'audio'),
      });
    });
    return () => {
      live = false;
    };
    // The list is read again when the panel opens and after each edit (an import adds a file).
  }, [docPath, open, revision]); // eslint-disable-line react-hooks/exhaustive-deps
  return media;
}

export function CastPanel() {
  const open = useUi((s) => s.castOpen);
  const doc = useDocument(useShallow(selectDoc));
  const revision = useDocument((s) => s.revision);
  const uses = useFilmStatus((s) => s.cast);
  const media = useProjectMedia(doc.path, open, revision);
  if (!open) return null;
  const cast = castOf(doc.extra);
  const label = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    return n?.data.label ? `${n.data.label} (${id})` : id;
  };
  return (
    <section className="cast-panel" aria-label="Cast" data-testid="cast-panel">
      <header>
        <h3>Cast</h3>
        <span className="grow" />
        <button className="btn" onClick={() => addMember()} data-testid="cast-add">
          + Add member
        </button>
        <button
          className="icon-btn"
          onClick={() => useUi.setState({ castOpen: false })}
          aria-label="close cast"
        >
          ×
        </button>
      </header>
      {cast.length === 0 && (
        <p className="muted">
          No cast yet. Add a character, prop or location, then call it into any prompt as @Name: its reference
          images go with every shot that mentions it.
        </p>
      )}
      <ul>
        {cast.map((m, i) => (
          <MemberCard
            key={i}
            index={i}
            member={m}
            media={media}
            docPath={doc.path}
            shots={uses.find((u) => u.name === m.name)?.shots}
            label={label}
          />
        ))}
      </ul>
    </section>
  );
}

function MemberCard({
  index,
  member,
  media,
  docPath,
  shots,
  label,
}: {
  index: number;
  member: CastMember;
  media: ProjectMedia;
  docPath: string | null;
  shots: string[] | undefined;
  label: (id: string) => string;
}) {
  const [name, setName] = useState(member.name);
  const [importing, setImporting] = useState(false);
  useEffect(() => setName(member.name), [member.name]);
  const commitName = () => {
    if (name !== member.name && !renameMember(index, name)) setName(member.name);
  };
  const importImage = async (file: File | undefined) => {
    if (!file) return;
    setImporting(true);
    const r = await importFile(file);
    setImporting(false);
    if (r) addMemberImage(index, r.file);
  };
  const unused = media.images.filter((f) => !member.images.includes(f));
  return (
    <li className="cast-member" data-testid={`cast-member-${index}`} data-member={member.name}>
      <div className="cast-row">
        <span className="cast-at">@</span>
        <input
          className="cast-name"
          value={name}
          aria-label="name"
          data-testid={`cast-name-${index}`}
          onChange={(e) => setName(e.target.value)}
          onBlur={commitName}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            if (e.key === 'Escape') setName(member.name);
          }}
        />
        <select
          value={member.kind}
          aria-label="kind"
          data-testid={`cast-kind-${index}`}
          onChange={(e) => setMemberKind(index, e.target.value as CastKind)}
        >
          {CAST_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button
          className="link danger"
          onClick={() => removeMember(index)}
          data-testid={`cast-remove-${index}`}
          title={`Remove @${member.name} from the cast`}
        >
          Remove
        </button>
      </div>
      <div className="cast-images" data-testid={`cast-images-${index}`}>
        {member.images.map((f) => (
          <figure key={f} className="cast-image" data-file={f}>
            <img src={host.mediaUrl(f, docPath)} alt={f} title={f} draggable={false} />
            <button
              className="icon-btn"
              onClick={() => removeMemberImage(index, f)}
              aria-label={`remove ${f}`}
              data-testid={`cast-image-remove-${index}`}
            >
              ×
            </button>
          </figure>
        ))}
      </div>
      <div className="cast-row">
        <select
          value=""
          aria-label="add a reference image"
          data-testid={`cast-add-image-${index}`}
          onChange={(e) => e.target.value && addMemberImage(index, e.target.value)}
        >
          <option value="">
            {unused.length ? '+ Reference image from the project…' : 'No other images in the project'}
          </option>
          {unused.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <label className="link">
          {importing ? 'Importing…' : 'Import…'}
          <input
            type="file"
            hidden
            accept={ACCEPT.image}
            data-testid={`cast-import-${index}`}
            onChange={(e) => {
              void importImage(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <div className="cast-row">
        <select
          value={member.voice ?? ''}
          aria-label="voice sample"
          data-testid={`cast-voice-${index}`}
          onChange={(e) => setMemberVoice(index, e.target.value)}
        >
          <option value="">No voice sample</option>
          {[...new Set([...(member.voice ? [member.voice] : []), ...media.audios])].map((f) => (
            <option key={f} value={f}>
              voice: {f}
            </option>
          ))}
        </select>
        <input
          className="cast-asset"
          placeholder="asset://… (Ark asset id, optional)"
          value={member.assetId ?? ''}
          aria-label="asset id"
          data-testid={`cast-asset-${index}`}
          onChange={(e) => setMemberAssetId(index, e.target.value)}
        />
      </div>
      <div className="cast-uses" data-testid={`cast-uses-${index}`}>
        {shots === undefined ? (
          <span className="muted">…</span>
        ) : shots.length === 0 ? (
          <span className="muted">In no shot yet: write @{member.name} in a prompt.</span>
        ) : (
          <>
            <span className="muted">In </span>
            {shots.map((id) => (
              <button key={id} className="chip" onClick={() => selectOnly(id)} data-shot={id}>
                {label(id)}
              </button>
            ))}
          </>
        )}
      </div>
    </li>
  );
}
