// An inline player for a rendered clip or film; dimmed with a note when edits made it stale.
import { host } from '../transport';

export function Clip({
  path,
  stale,
  testId,
  film,
}: {
  path: string;
  stale?: boolean;
  testId?: string;
  film?: boolean;
}) {
  return (
    <div className={`clip nodrag nowheel ${stale ? 'is-stale' : ''} ${film ? 'is-film' : ''}`}>
      <video
        src={host.mediaUrl(path)}
        controls
        preload="metadata"
        playsInline
        muted={!film}
        data-testid={testId}
      />
      {stale && <span className="clip-note">stale: run again to update</span>}
    </div>
  );
}
