// A clip's poster frame (its middle frame), or a placeholder until the clip is rendered.
import { KindIcon } from '../../nodes/icons';
import { usePoster } from '../../stores/posters';
import { host } from '../../transport';

interface Props {
  path: string | undefined;
  base?: string | null | undefined;
  stale?: boolean;
  /** Said on the placeholder before there is a clip. */
  empty?: string;
}

export function Poster({ path, base, stale, empty = 'not rendered yet' }: Props) {
  const poster = usePoster(path, base);
  const ready = poster && poster !== 'failed';
  return (
    <div className={`poster ${stale ? 'is-stale' : ''} ${ready ? 'is-ready' : ''}`}>
      {ready ? (
        <img src={host.mediaUrl(poster.file)} alt="" draggable={false} />
      ) : (
        <div className="poster-empty">
          <KindIcon kind="shot" size={22} />
          <span>{!path ? empty : poster === 'failed' ? 'clip missing' : 'loading…'}</span>
        </div>
      )}
    </div>
  );
}
